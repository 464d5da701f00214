import { useState } from 'react';
import type { ChainVerification } from '../../domain/audit-chain';
import type { Case, CaseEvent } from '../../domain/case';
import { trustPending, type CaseTrust } from '../../domain/case-trust';
import type { CodeTable } from '../../domain/cpt';
import { errorMessage, stageClock } from '../../ui/format';
import { auditSummaryOf } from './audit-summary';
import type { Combination } from '../../domain/traceability';

type Props = { caseData: Case; events: CaseEvent[]; history: ChainVerification; trust: CaseTrust; codeTable: CodeTable;
  /** The lab's validated combinations, for the models' labels; null while they load (the export waits), none given: none known. */
  combinations?: readonly Combination[] | null;
};

/** The PDF library and font load only when a PDF is asked for, never with the case list. */
export function ExportPdfButton({ caseData, events, history, trust, codeTable, combinations = [] }: Props) {
  const [state, setState] = useState<{ busy: boolean; error: string | null; done: boolean }>({ busy: false, error: null, done: false });
  const [confirming, setConfirming] = useState(false);
  // A PDF is made only from finished checks: what it says verifies must have been checked.
  const verifying = trustPending(caseData, trust) || !combinations;
  const exportPdf = async () => {
    setConfirming(false);
    setState({ busy: true, error: null, done: false });
    try {
      const [{ caseSummary }, { downloadCasePdf }] = await Promise.all([import('../../domain/case-summary'), import('./case-pdf')]);
      const now = new Date();
      // The same clock as the case page, so the PDF names the billing state the screen shows.
      await downloadCasePdf(caseSummary(caseData, events, { codeTable, trust, generatedAt: now.toISOString(), audit: auditSummaryOf(history, events.length), clock: stageClock(caseData.createdAt, now), combinations: combinations ?? [] }));
      setState({ busy: false, error: null, done: true });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e), done: false });
    }
  };
  return (
    <section className="card" aria-labelledby="pdf-title">
      <h2 id="pdf-title">Case summary PDF</h2>
      <p>For the coder: the order, every stage with who did what and when, the signatures and the suggested codes.</p>
      {confirming && !verifying ? (
        <div className="notice warn" role="group" aria-label="Patient data in the PDF">
          <p>
            <strong>The PDF holds patient data in the clear</strong> (name, MRN, date of birth, notes). It is not encrypted like the
            data on this tablet: save it only where PHI is allowed.
          </p>
          <div className="btn-row">
            <button type="button" className="btn primary" onClick={() => void exportPdf()}>Save PDF with patient data</button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </div>
      ) : (
        <div className="btn-row">
          <button type="button" className="btn primary" onClick={() => setConfirming(true)} disabled={state.busy || verifying}>
            {verifying ? 'Verifying…' : state.busy ? 'Making PDF…' : 'Export PDF'}
          </button>
          {state.done && <span className="badge ok" role="status">PDF downloaded</span>}
        </div>
      )}
      {state.error && <p className="field-error" role="alert">Could not make the PDF: {state.error}</p>}
    </section>
  );
}
