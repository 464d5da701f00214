import { useState } from 'react';
import { cancelConsequence } from '../../domain/billing-state';
import type { Actor, Case } from '../../domain/case';
import { useRunCommand } from '../../queries/case-queries';
import { errorMessage, formatDateTime } from '../../ui/format';
import { NoBreakDates } from '../../ui/no-break-dates';

export function CancelCase({ caseData, actor }: { caseData: Case; actor: Actor | null }) {
  const run = useRunCommand(caseData.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (caseData.cancelled) {
    return <div className="notice bad">Cancelled by {caseData.cancelled.byName}, {formatDateTime(caseData.cancelled.at)}: {caseData.cancelled.reason}</div>;
  }
  if (caseData.closed || !actor) return null;
  const consequence = cancelConsequence(caseData);
  return (
    <section className="card" aria-label="Cancel case">
      {!open ? (
        <button type="button" className="btn danger" onClick={() => setOpen(true)}>Cancel this case…</button>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); run.mutate({ command: { type: 'cancel', reason } }); }}>
          {consequence && (
            <div className="notice warn" role="note" aria-label="What cancelling means for billing">
              <strong>Nothing will be billed.</strong> <NoBreakDates text={consequence} />
            </div>
          )}
          <div className="field">
            <label htmlFor="cancel-reason">Why is the case cancelled?</label>
            <input id="cancel-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div className="btn-row">
            <button type="submit" className="btn danger">{consequence ? 'Cancel case — nothing billed' : 'Cancel case'}</button>
            <button type="button" className="btn" onClick={() => setOpen(false)}>Keep case open</button>
          </div>
          {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
        </form>
      )}
    </section>
  );
}
