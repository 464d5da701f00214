import { useState } from 'react';
import type { PersistenceAnswer } from '../../db/storage-status';
import { useBackupPolicy, useLastBackup, useRequestPersistence, useStorageStatus } from '../../queries/backup-queries';
import { formatDateTime } from '../../ui/format';

const mb = (n: number | null) => (n === null ? 'unknown' : `${(n / 1_048_576).toFixed(1)} MB`);

/** What the browser's answer means for the lab; backups are the fallback every time. */
const ANSWER_TEXT: Record<PersistenceAnswer, string> = {
  granted: 'The browser will keep the data. Keep making backups all the same.',
  declined: 'The browser declined. Installing Printpath to the home screen usually allows it; keep backups regardless.',
  unsupported: 'This browser cannot make the storage persistent: make backups regularly.',
  'no-answer':
    'The browser has not answered. If it shows a question about storing data (near the address bar), answer it; either way, keep making backups.',
};

export function StorageCard() {
  const status = useStorageStatus().data;
  const last = useLastBackup().data;
  const remindAfter = useBackupPolicy().data?.remindAfterDays ?? 7;
  const persist = useRequestPersistence();
  const [now] = useState(Date.now);
  const stale = !last || now - Date.parse(last) > remindAfter * 86_400_000;
  const cannot = status !== undefined && !status.canAsk && status.persisted !== true;
  return (
    <section className="card" aria-labelledby="storage-title">
      <h2 id="storage-title">This tablet’s storage</h2>
      <dl className="facts">
        <dt>Persistent storage</dt>
        <dd>
          {status?.persisted === true && <span className="badge ok">Yes: the browser will not clear it to free space</span>}
          {cannot && <span className="badge warn">No: this browser cannot make the storage persistent</span>}
          {!cannot && status?.persisted === false && <span className="badge warn">No: the browser may clear it when space runs low</span>}
          {!cannot && status?.persisted === null && <span className="badge warn">This browser cannot say or promise it</span>}
        </dd>
        <dt>Used</dt>
        <dd>{mb(status?.usage ?? null)} of {mb(status?.quota ?? null)} available to the app</dd>
        <dt>Last backup</dt>
        <dd>{last ? formatDateTime(last) : 'Never'} {stale && <span className="badge warn">Older than {remindAfter} days: make one now</span>}</dd>
      </dl>
      {status?.canAsk && status.persisted !== true && (
        <button type="button" className="btn" onClick={persist.ask} disabled={persist.asking}>Ask the browser to keep the data</button>
      )}
      {cannot && !persist.answer && <p className="muted">It may clear Printpath’s data when space runs low: make backups regularly.</p>}
      {(persist.asking || persist.answer) && (
        <p className="muted" role="status">
          {persist.asking ? 'Waiting for the browser’s answer; it may ask you near the address bar.' : ANSWER_TEXT[persist.answer!]}
        </p>
      )}
      <p className="muted">On iPad, Safari deletes a website’s data after 7 days without use unless Printpath is added to the home screen (Share → Add to Home Screen).</p>
    </section>
  );
}
