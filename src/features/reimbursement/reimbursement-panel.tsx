import type { Actor, Case } from '../../domain/case';
import { verifiedCodes, verifiedStatus, type CaseTrust } from '../../domain/case-trust';
import { CPT_DISCLAIMER, MUE_CONSEQUENCE, type CodeTable } from '../../domain/cpt';
import { mueText, payerPosition } from '../../domain/cpt-notes';
import { useRunCommand } from '../../queries/case-queries';
import { errorMessage, formatDateTime } from '../../ui/format';

const STATE_LABEL = { final: 'Suggested', provisional: 'Provisional', none: 'No code suggested' } as const;

type Props = { caseData: Case; codeTable: CodeTable; trust: CaseTrust; actor: Actor | null };

/** The codes and the status count only what verifies: the same as the case summary PDF. */
export function ReimbursementPanel({ caseData, codeTable, trust, actor }: Props) {
  const suggestion = verifiedCodes(caseData, codeTable, trust);
  const status = verifiedStatus(caseData, trust);
  const run = useRunCommand(caseData.id);
  const payer = payerPosition(caseData.order.payer, codeTable);
  const dates = suggestion.serviceDates ?? [];
  const grouped = dates.length > 1;
  const aboveMue = suggestion.lines.filter((l) => (l.mue?.over ?? 0) > 0);
  return (
    <section className="card" aria-labelledby="codes-title">
      <div className="case-head">
        <h2 id="codes-title" style={{ margin: 0 }}>Suggested CPT codes</h2>
        <span className={`badge ${suggestion.state === 'final' ? 'ok' : suggestion.state === 'provisional' ? 'warn' : ''}`}>{STATE_LABEL[suggestion.state]}</span>
      </div>
      <p><strong>{CPT_DISCLAIMER}</strong></p>
      {status.code === 'not-verified' && (
        <div className="notice bad" role="alert">
          <strong>{status.label}.</strong> {status.reason}
        </div>
      )}
      {payer && (
        <div className={`notice ${payer.note ? 'warn' : ''}`} aria-label="Payer">
          <strong>Payer: {payer.payer}.</strong> {payer.note ? `Position noted by the lab: ${payer.note}` : 'No position noted by the lab for this payer.'}
        </div>
      )}
      {aboveMue.length > 0 && (
        <div className="notice warn" role="note" aria-label="Above the MUE">
          <strong>Above the MUE:</strong> {aboveMue.map((l) => `${l.code} × ${l.units} (MUE ${l.mue!.limit}${l.serviceDate ? ` on ${l.serviceDate}` : ''})`).join(', ')}. {MUE_CONSEQUENCE} The full units are kept for the appeal.
        </div>
      )}
      {suggestion.lines.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Suggested codes with units and reasons</caption>
          <thead>
            <tr>{grouped && <th scope="col">Date of service</th>}<th scope="col">Code</th><th scope="col">Units</th><th scope="col">MUE</th><th scope="col">What it covers</th><th scope="col">Why</th></tr>
          </thead>
          <tbody>
            {suggestion.lines.map((l) => (
              <tr key={`${l.serviceDate ?? ''}-${l.code}`}>
                {grouped && <td>{l.serviceDate ?? 'not delivered yet'}</td>}
                <th scope="row">{l.code}</th>
                <td>{l.units}</td>
                <td className={(l.mue?.over ?? 0) > 0 ? 'field-error' : undefined}>{l.mue === undefined ? '—' : mueText(l)}</td>
                <td>{l.description}</td>
                <td>{l.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {suggestion.reasons.length > 0 && (
        <ul aria-label="Reasons">{suggestion.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
      )}
      {suggestion.warnings.length > 0 && (
        <div className="notice warn" aria-label="Warnings">
          <strong>Check before billing</strong>
          <ul>{suggestion.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        </div>
      )}
      <p className="muted">
        Date of service: {grouped ? dates.join(', ') : (suggestion.serviceDate ?? 'not delivered yet')} · code table {suggestion.codeTableVersion}
        {caseData.closed && ` · frozen when the case was closed by ${caseData.closed.byName}, ${formatDateTime(caseData.closed.at)}`}
      </p>
      {!caseData.closed && !caseData.cancelled && (
        <div className="btn-row">
          <button
            type="button"
            className="btn"
            disabled={status.code !== 'ready-for-billing' || !actor || run.isPending}
            onClick={() => actor && run.mutate({ command: { type: 'close', codeTable } })}
          >
            Close case for billing
          </button>
          {status.code !== 'ready-for-billing' && <span className="muted">A case can be closed once it is ready for billing ({status.label.toLowerCase()} now).</span>}
        </div>
      )}
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </section>
  );
}
