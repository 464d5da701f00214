import type { ParkedLabChange } from '../../sync/lab-server';
import { useParkedLabChanges, useResolveParkedLab } from '../../queries/sync-queries';
import { useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';
import { formatDateTime } from '../../ui/format';

/** Changes to people, roles, policy or equipment made here while apart that another device's change to the lab log overtook. */
export function ParkedLabChanges() {
  const parked = useParkedLabChanges();
  const open = parked.data?.filter((p) => !p.resolved) ?? [];
  if (open.length === 0) return null;
  return (
    <section className="card notice warn" aria-labelledby="parked-lab-title">
      <h2 id="parked-lab-title">Lab changes overtaken by another device’s</h2>
      <p>These were made on this device while it was apart from the lab server, and another device changed the lab first. They are not in force until an admin signs them again; or dismiss them. Either is recorded.</p>
      <ul className="lab-list">
        {open.map((p) => (
          <Parked key={p.id} change={p} />
        ))}
      </ul>
    </section>
  );
}

function Parked({ change }: { change: ParkedLabChange }) {
  const policy = useSecurityPolicy().data?.secret;
  const resolve = useResolveParkedLab();
  const adminSecret = useAdminSecret();
  const act = (how: 'apply' | 'dismiss') => resolve.mutate({ id: change.id, how, adminSecret: adminSecret.take() });
  return (
    <li aria-label={change.summary}>
      <div>
        <strong>{change.summary}</strong>
        <div className="muted">{change.actorName} · {formatDateTime(change.at)}</div>
        {!change.canApply && <p className="muted">Only the person it concerns can make this change again.</p>}
      </div>
      <form onSubmit={(e) => { e.preventDefault(); act(change.canApply ? 'apply' : 'dismiss'); }} noValidate aria-label={`Resolve: ${change.summary}`}>
        <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={resolve.error} />
        <div className="btn-row">
          {change.canApply && <button type="submit" className="btn primary" disabled={resolve.isPending}>Sign again</button>}
          <button type="button" className="btn" disabled={resolve.isPending} onClick={() => act('dismiss')}>Dismiss</button>
        </div>
      </form>
    </li>
  );
}
