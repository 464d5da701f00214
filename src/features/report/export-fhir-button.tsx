import { useState } from 'react';
import type { ChainVerification } from '../../domain/audit-chain';
import type { Case, CaseEvent } from '../../domain/case';
import { trustPending, uncountedStages, verifiedCodes, type CaseTrust } from '../../domain/case-trust';
import type { CodeTable } from '../../domain/cpt';
import { downloadFile } from '../../ui/download';
import { errorMessage } from '../../ui/format';
import { auditSummaryOf } from './audit-summary';
import type { Combination } from '../../domain/traceability';

type Props = { caseData: Case; events: CaseEvent[]; history: ChainVerification; trust: CaseTrust; codeTable: CodeTable;
  /** The lab's validated combinations, for the models' labels; null while they load (the export waits), none given: none known. */
  combinations?: readonly Combination[] | null;
};

/** The case as a FHIR R4 Bundle for the hospital's systems; says it holds PHI before saving. */
export function ExportFhirButton({ caseData, events, history, trust, codeTable, combinations = [] }: Props) {
  const [withPdf, setWithPdf] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const verifying = trustPending(caseData, trust) || !combinations;

  const exportFhir = async () => {
    setConfirming(false);
    setState({ busy: true, error: null, done: false });
    try {
      const generatedAt = new Date().toISOString();
      // The codes and the sign-offs it carries count only what verifies, as on screen and in the PDF.
      const suggestion = verifiedCodes(caseData, codeTable, trust);
      const distrusted = uncountedStages(caseData, trust);
      const { caseFhirBundle, fhirFileName } = await import('../../domain/fhir-export');
      let pdf: { bytes: Uint8Array; fileName: string } | null = null;
      if (withPdf) {
        // The PDF library loads only when the PDF is asked for.
        const [{ caseSummary }, { renderCasePdf, casePdfFileName }] = await Promise.all([import('../../domain/case-summary'), import('./case-pdf')]);
        const bytes = await renderCasePdf(caseSummary(caseData, events, { codeTable, trust, generatedAt, audit: auditSummaryOf(history, events.length), combinations: combinations ?? [] }));
        pdf = { bytes, fileName: casePdfFileName(caseData.caseNumber) };
      }
      const bundle = caseFhirBundle(caseData, { suggestion, generatedAt, newUuid: () => crypto.randomUUID(), distrusted, pdf });
      downloadFile(JSON.stringify(bundle, null, 2), 'application/fhir+json', fhirFileName(caseData.caseNumber));
      setState({ busy: false, error: null, done: true });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e), done: false });
    }
  };

  return (
    <section className="card" aria-labelledby="fhir-title">
      <h2 id="fhir-title">FHIR R4 export</h2>
      <p>
        For the hospital’s systems: the patient, the order, the work done, the sign-offs and the suggested codes as one FHIR R4
        Bundle (JSON).
      </p>
      <label className="check">
        <input type="checkbox" checked={withPdf} onChange={(e) => setWithPdf(e.target.checked)} disabled={state.busy} />
        Include the case summary PDF
      </label>
      {confirming && !verifying ? (
        <div className="notice warn" role="group" aria-label="Patient data in the FHIR file">
          <p>
            <strong>The FHIR file holds patient data in the clear</strong> (name, MRN, date of birth, indication, notes). It is not
            encrypted like the data on this tablet: save it only where PHI is allowed.
          </p>
          <div className="btn-row">
            <button type="button" className="btn primary" onClick={() => void exportFhir()}>Save FHIR file with patient data</button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      ) : (
        <div className="btn-row">
          <button type="button" className="btn primary" onClick={() => setConfirming(true)} disabled={state.busy || verifying}>
            {verifying ? 'Verifying…' : state.busy ? 'Making the FHIR file…' : 'Export FHIR bundle'}
          </button>
          {state.done && <span className="badge ok" role="status">FHIR file downloaded</span>}
        </div>
      )}
      {state.error && <p className="field-error" role="alert">Could not make the FHIR file: {state.error}</p>}
    </section>
  );
}
