import type { FieldValue } from '../../domain/case';
import type { CaseId } from '../../domain/ids';
import type { ParkedChange } from '../../sync/lab-server';
import { useParkedChanges, useResolveParked } from '../../queries/sync-queries';
import { errorMessage, formatDateTime } from '../../ui/format';

const show = (v: FieldValue | string[]) => (v === null || v === '' ? '—' : Array.isArray(v) ? v.join(', ') : String(v));

/**
 * On a device connected to a lab server: this device's changes to the case that another
 * device's overtook, for a person to apply again or dismiss. A standalone tablet asks nothing.
 */
export function ParkedChanges({ caseId }: { caseId: CaseId }) {
  const parked = useParkedChanges(caseId);
  const open = parked.data?.filter((p) => !p.resolved) ?? [];
  if (open.length === 0) return null;
  return (
    <section className="notice warn parked" aria-labelledby="parked-title">
      <h2 id="parked-title">Changes made on this device were overtaken by another device’s</h2>
      <p>The case below shows the other device’s version. Apply a change again to make it on top of that version, or dismiss it; either is recorded.</p>
      <ul className="lab-list">
        {open.map((p) => (
          <Parked key={p.id} change={p} caseId={caseId} />
        ))}
      </ul>
    </section>
  );
}

function Parked({ change, caseId }: { change: ParkedChange; caseId: CaseId }) {
  const resolve = useResolveParked(caseId);
  return (
    <li aria-label={change.summary}>
      <div>
        <strong>{change.summary}</strong>
        <div className="muted">{change.actorName} · {formatDateTime(change.at)}</div>
        {change.event && change.event.changes.length > 0 && (
          <ul className="changes">
            {change.event.changes.map((c) => (
              <li key={c.field}>{c.field}: {show(c.before)} → {show(c.after)}</li>
            ))}
          </ul>
        )}
        {!change.canApply && <p className="muted">This change cannot be applied again: make it again by hand if it is still needed.</p>}
      </div>
      {resolve.isError && <p className="field-error" role="alert">{errorMessage(resolve.error)}</p>}
      <div className="btn-row">
        {change.canApply && (
          <button type="button" className="btn primary" disabled={resolve.isPending} onClick={() => resolve.mutate({ id: change.id, how: 'apply' })}>Apply again</button>
        )}
        <button type="button" className="btn" disabled={resolve.isPending} onClick={() => resolve.mutate({ id: change.id, how: 'dismiss' })}>Dismiss</button>
      </div>
    </li>
  );
}
