import { useState } from 'react';
import type { ChainVerification } from '../../domain/audit-chain';
import type { Case, CaseEvent } from '../../domain/case';
import { trustPending, type CaseTrust } from '../../domain/case-trust';
import type { CodeTable } from '../../domain/cpt';
import type { FiledWith } from '../../domain/dicom-export';
import type { Combination } from '../../domain/traceability';
import { dicomEquipment } from '../../queries/dicom-equipment';
import { DICOM_IDLE, DicomPhiWarning, saveDicom, type DicomState } from '../../ui/dicom-save';
import { errorMessage, stageClock } from '../../ui/format';
import { auditSummaryOf } from './audit-summary';

type Props = { caseData: Case; events: CaseEvent[]; history: ChainVerification; trust: CaseTrust; codeTable: CodeTable;
  /** The lab's validated combinations, for the models' labels in the PDF; null while they load (the export waits). */
  combinations?: readonly Combination[] | null;
};

const FILED_WITH: Record<FiledWith, string> = {
  'imaging-study': 'It files with the imaging study recorded at imaging (its study instance UID).',
  'case-study': 'No study instance UID is recorded at imaging: it files in a study of this case’s own, with the case’s other DICOM exports.',
};

/** The case summary PDF as an Encapsulated PDF for PACS. The PDF and DICOM code load only when asked for. */
export function ExportDicomButton({ caseData, events, history, trust, codeTable, combinations = [] }: Props) {
  const [state, setState] = useState<DicomState>(DICOM_IDLE);
  const [confirming, setConfirming] = useState(false);
  const verifying = trustPending(caseData, trust) || !combinations;
  const exportDicom = async () => {
    setConfirming(false);
    setState({ busy: true, error: null, done: null });
    try {
      const [{ caseSummary }, { renderCasePdf }, { encapsulatedPdf }, equipment] = await Promise.all([
        import('../../domain/case-summary'),
        import('./case-pdf'),
        import('../../domain/dicom-export'),
        dicomEquipment(),
      ]);
      const now = new Date();
      // The same PDF as "Export PDF" makes, with the same clock as the case page.
      const pdf = await renderCasePdf(caseSummary(caseData, events, { codeTable, trust, generatedAt: now.toISOString(), audit: auditSummaryOf(history, events.length), clock: stageClock(caseData.createdAt, now), combinations: combinations ?? [] }));
      const r = encapsulatedPdf(caseData, pdf, { now: now.toISOString(), newUuid: () => crypto.randomUUID(), equipment });
      setState(saveDicom(r));
    } catch (e) {
      setState({ busy: false, error: errorMessage(e), done: null });
    }
  };
  return (
    <section className="card" aria-labelledby="dicom-pdf-title">
      <h2 id="dicom-pdf-title">Case summary for PACS (DICOM)</h2>
      <p>The case summary PDF as a DICOM file (Encapsulated PDF), to send to the hospital’s PACS beside the patient’s images.</p>
      {confirming && !verifying ? (
        <DicomPhiWarning label="Patient data in the DICOM file" holds="name, MRN, date of birth, and the PDF with its notes" onSave={() => void exportDicom()} onCancel={() => setConfirming(false)} />
      ) : (
        <div className="btn-row">
          <button type="button" className="btn" onClick={() => setConfirming(true)} disabled={state.busy || verifying}>
            {verifying ? 'Verifying…' : state.busy ? 'Making the DICOM file…' : 'Export the PDF as DICOM'}
          </button>
          {state.done && <span className="badge ok" role="status">DICOM file downloaded</span>}
        </div>
      )}
      {state.done && <p className="muted">{FILED_WITH[state.done]}</p>}
      {state.error && <p className="field-error" role="alert">Could not make the DICOM file: {state.error}</p>}
    </section>
  );
}
