import { useId, useState } from 'react';
import type { Actor, Case } from '../../domain/case';
import { billingState, CLOSE_NOTHING_BILLED_HINT } from '../../domain/billing-state';
import { verifiedCodes, verifiedStatus, type CaseTrust } from '../../domain/case-trust';
import { CPT_DISCLAIMER, MUE_CONSEQUENCE, type CodeTable } from '../../domain/cpt';
import { mueText, payerPosition } from '../../domain/cpt-notes';
import { useRunCommand } from '../../queries/case-queries';
import { BillingBadge } from '../../ui/billing-badge';
import { errorMessage, formatDateTime, stageClock } from '../../ui/format';
import { NoBreakDates } from '../../ui/no-break-dates';

type Props = { caseData: Case; codeTable: CodeTable; trust: CaseTrust; actor: Actor | null };

/** The codes and the status count only what verifies: the same as the case summary PDF, in the same words (billing-state.ts). */
export function ReimbursementPanel({ caseData, codeTable, trust, actor }: Props) {
  const suggestion = verifiedCodes(caseData, codeTable, trust);
  const status = verifiedStatus(caseData, trust);
  const billing = billingState(caseData, status, suggestion, stageClock(caseData.createdAt));
  const payer = payerPosition(caseData.order.payer, codeTable);
  const dates = suggestion.serviceDates ?? [];
  const grouped = dates.length > 1;
  const aboveMue = suggestion.lines.filter((l) => (l.mue?.over ?? 0) > 0);
  // The reasons repeat "Nothing to bill: …" when that is all they say.
  const reasons = billing.nothingToBill && suggestion.reasons.length === 1 ? [] : suggestion.reasons;
  return (
    <section className="card" aria-labelledby="codes-title">
      <div className="case-head">
        <h2 id="codes-title" style={{ margin: 0 }}>Suggested CPT codes</h2>
        <BillingBadge tone={billing.tone} label={billing.label} />
      </div>
      <p><strong>{CPT_DISCLAIMER}</strong></p>
      {status.code === 'not-verified' && (
        <div className="notice bad" role="alert">
          <strong>{status.label}.</strong> {status.reason}
        </div>
      )}
      {billing.nothingToBill && (
        <div className={`notice ${billing.code === 'cancelled' ? 'cancelled' : ''}`} role="note" aria-label="Nothing to bill">
          <strong>Nothing to bill:</strong> <NoBreakDates text={billing.nothingToBill.replace(/^Nothing to bill: /, '')} />
          {billing.close.kind === 'close-nothing-billed' && <p className="close-hint">{CLOSE_NOTHING_BILLED_HINT}</p>}
          {billing.close.kind === 'none' && billing.code === 'cancelled' && <p className="close-hint">{billing.close.why}</p>}
        </div>
      )}
      {payer && (
        <div className={`notice ${payer.note ? 'warn' : ''}`} aria-label="Payer">
          <strong>Payer: {payer.payer}.</strong> {payer.note ? `Position noted by the lab: ${payer.note}` : 'No position noted by the lab for this payer.'}
        </div>
      )}
      {aboveMue.length > 0 && (
        <div className="notice warn" role="note" aria-label="Above the MUE">
          <strong>Above the MUE:</strong> <NoBreakDates text={`${aboveMue.map((l) => `${l.code} × ${l.units} (MUE ${l.mue!.limit}${l.serviceDate ? ` on ${l.serviceDate}` : ''})`).join(', ')}. ${MUE_CONSEQUENCE} The full units are kept for the appeal.`} />
        </div>
      )}
      {suggestion.lines.length > 0 && (
        <table className="data codes-table">
          <caption className="visually-hidden">Suggested codes with units and reasons</caption>
          <thead>
            <tr>{grouped && <th scope="col">Date of service</th>}<th scope="col">Code</th><th scope="col">Units</th><th scope="col">MUE</th><th scope="col">What it covers</th><th scope="col">Why</th></tr>
          </thead>
          <tbody>
            {suggestion.lines.map((l) => (
              <tr key={`${l.serviceDate ?? ''}-${l.code}`}>
                {grouped && <td className="nowrap" data-label="Date of service">{l.serviceDate ?? 'not delivered yet'}</td>}
                <th scope="row">{l.code}</th>
                <td data-label="Units">{l.units}</td>
                <td data-label="MUE" className={(l.mue?.over ?? 0) > 0 ? 'field-error' : undefined}>{l.mue === undefined ? '—' : <NoBreakDates text={mueText(l)} />}</td>
                <td data-label="What it covers">{l.description}</td>
                <td data-label="Why"><NoBreakDates text={l.reason} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reasons.length > 0 && (
        <ul aria-label="Reasons">{reasons.map((r) => <li key={r}><NoBreakDates text={r} /></li>)}</ul>
      )}
      {billing.warnings.length > 0 && (
        <div className="notice warn" aria-label="Warnings">
          <strong>Check before billing</strong>
          <ul>{billing.warnings.map((w) => <li key={w}><NoBreakDates text={w} /></li>)}</ul>
        </div>
      )}
      <p className="muted">
        Date of service: <NoBreakDates text={grouped ? dates.join(', ') : (suggestion.serviceDate ?? 'not delivered yet')} /> · code table {suggestion.codeTableVersion}
        {caseData.closed && <> · frozen when the case was closed by {caseData.closed.byName}, <span className="nowrap">{formatDateTime(caseData.closed.at)}</span></>}
      </p>
      {!caseData.closed && !caseData.cancelled && <CloseCase key={billing.warnings.join('\n')} caseData={caseData} codeTable={codeTable} actor={actor} close={billing.close} />}
    </section>
  );
}

type CloseProps = { caseData: Case; codeTable: CodeTable; actor: Actor | null; close: ReturnType<typeof billingState>['close'] };

/** Closing as the state allows: plainly, after confirming the warnings were read, or with nothing billed. Keyed by the warnings: new ones are confirmed anew. */
function CloseCase({ caseData, codeTable, actor, close }: CloseProps) {
  const run = useRunCommand(caseData.id);
  const [read, setRead] = useState(false);
  const confirmId = useId();
  const busy = !actor || run.isPending;
  const warnings = close.kind === 'confirm-and-close' ? close.warnings : [];
  const submit = () => actor && run.mutate({ command: { type: 'close', codeTable, ...(warnings.length ? { confirmedWarnings: warnings } : {}) } });
  return (
    <>
      {close.kind === 'confirm-and-close' && (
        <label className="check confirm-read" htmlFor={confirmId}>
          <input id={confirmId} type="checkbox" checked={read} onChange={(e) => setRead(e.target.checked)} />
          <span>
            I have read {warnings.length === 1 ? 'the warning' : `the ${warnings.length} warnings`} above and checked {warnings.length === 1 ? 'it' : 'them'} before billing
            <span className="meta">Your confirmation goes on the case’s audit trail with the closing.</span>
          </span>
        </label>
      )}
      <div className="btn-row">
        {close.kind === 'close-nothing-billed' ? (
          <button type="button" className="btn" disabled={busy} onClick={submit}>Close case with nothing billed</button>
        ) : (
          <button type="button" className="btn" disabled={busy || close.kind === 'none' || (close.kind === 'confirm-and-close' && !read)} onClick={submit}>
            Close case for billing
          </button>
        )}
        {close.kind === 'none' && <span className="muted">{close.why}</span>}
        {close.kind === 'confirm-and-close' && !read && <span className="muted">Tick the confirmation above to close for billing.</span>}
      </div>
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </>
  );
}
