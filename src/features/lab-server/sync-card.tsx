import { useState, useSyncExternalStore } from 'react';
import type { SyncState } from '../../db/sync-state';
import { syncNow, useSetHolding } from '../../queries/sync-queries';
import { HoldingChoice } from '../../ui/holding-choice';
import type { Holding } from '../../domain/holding';
import { getSyncStatus, subscribeSyncStatus, type SyncStatus } from '../../session/sync-status';
import { errorMessage, formatDateTime } from '../../ui/format';

const STATE_WORDS: Record<SyncStatus['state'], string> = {
  synced: 'Synced',
  syncing: 'Syncing',
  offline: 'Offline: changes wait on this tablet',
  problem: 'Problem: the lab server refused the last attempt',
  revoked: 'Revoked: this device no longer syncs',
};

/** Whole archive or recent cases: fewer drops histories now; more brings them back from the server. */
function HoldingForm({ holds }: { holds: Holding }) {
  const [value, setValue] = useState(holds);
  const change = useSetHolding();
  return (
    <form aria-label="What this device holds" noValidate onSubmit={(e) => (e.preventDefault(), change.mutate(value))}>
      <HoldingChoice value={value} onChange={setValue} />
      {change.isError && <p className="field-error" role="alert">{errorMessage(change.error)}</p>}
      {value !== holds && <button type="submit" className="btn" disabled={change.isPending}>{change.isPending ? 'Changing…' : 'Change what this device holds'}</button>}
    </form>
  );
}

/** This device's link to the lab server, as the sync engine last reported it. */
export function SyncCard({ state }: { state: SyncState }) {
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  const [asked, setAsked] = useState<string | null>(null);
  const revoked = state.revoked || status?.state === 'revoked';
  const sync = () => {
    setAsked('Syncing now…');
    syncNow().catch((e: unknown) => setAsked(errorMessage(e)));
  };
  return (
    <section className="card" aria-labelledby="sync-card-title">
      <h2 id="sync-card-title">This device</h2>
      {revoked && (
        <p className="notice bad" role="alert">This device’s access to the lab server was revoked: its changes stay here, unsynced, and can be exported in a backup.</p>
      )}
      <dl className="facts">
        <dt>Name</dt>
        <dd>{state.deviceName}</dd>
        <dt>State</dt>
        <dd>{revoked ? STATE_WORDS.revoked : status ? STATE_WORDS[status.state] : 'Starting…'}</dd>
        <dt>Last synced</dt>
        <dd>{state.lastSyncedAt ? formatDateTime(state.lastSyncedAt) : 'Not yet'}</dd>
        <dt>Changes waiting to go up</dt>
        <dd>{status?.waiting ?? '—'}</dd>
        <dt>Conflicts to resolve</dt>
        <dd>{status ? status.conflicts : '—'}{status && status.conflicts > 0 && <> <span className="badge bad">Open the cases to resolve them</span></>}</dd>
        <dt>Events needing a newer version</dt>
        <dd>{status ? status.newer : '—'}{status && status.newer > 0 && <> <span className="badge warn">Update Printpath on this device</span></>}</dd>
        {status?.message && !revoked && (
          <>
            <dt>Message</dt>
            <dd>{status.message}</dd>
          </>
        )}
      </dl>
      {!revoked && <HoldingForm holds={state.holds ?? 'all'} />}
      {!revoked && (
        <div className="btn-row sync-now">
          <button type="button" className="btn" onClick={sync}>Sync now</button>
          {asked && <span className="muted" role="status">{asked}</span>}
        </div>
      )}
    </section>
  );
}
