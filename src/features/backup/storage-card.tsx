import { useState } from 'react';
import { useBackupPolicy, useLastBackup, useRequestPersistence, useStorageStatus } from '../../queries/backup-queries';
import { formatDateTime } from '../../ui/format';

const mb = (n: number | null) => (n === null ? 'unknown' : `${(n / 1_048_576).toFixed(1)} MB`);

export function StorageCard() {
  const status = useStorageStatus().data;
  const last = useLastBackup().data;
  const remindAfter = useBackupPolicy().data?.remindAfterDays ?? 7;
  const persist = useRequestPersistence();
  const [now] = useState(Date.now);
  const stale = !last || now - Date.parse(last) > remindAfter * 86_400_000;
  return (
    <section className="card" aria-labelledby="storage-title">
      <h2 id="storage-title">This tablet’s storage</h2>
      <dl className="facts">
        <dt>Persistent storage</dt>
        <dd>
          {status?.persisted === true && <span className="badge ok">Yes: the browser will not clear it to free space</span>}
          {status?.persisted === false && <span className="badge warn">No: the browser may clear it when space runs low</span>}
          {status?.persisted === null && <span className="badge warn">This browser cannot say or promise it</span>}
        </dd>
        <dt>Used</dt>
        <dd>{mb(status?.usage ?? null)} of {mb(status?.quota ?? null)} available to the app</dd>
        <dt>Last backup</dt>
        <dd>{last ? formatDateTime(last) : 'Never'} {stale && <span className="badge warn">Older than {remindAfter} days: make one now</span>}</dd>
      </dl>
      {status?.persisted !== true && (
        <button type="button" className="btn" onClick={() => persist.mutate()} disabled={persist.isPending}>Ask the browser to keep the data</button>
      )}
      {persist.data === false && <p className="muted" role="status">The browser declined. Installing Printpath to the home screen usually allows it; keep backups regardless.</p>}
      <p className="muted">On iPad, Safari deletes a website’s data after 7 days without use unless Printpath is added to the home screen (Share → Add to Home Screen).</p>
    </section>
  );
}
