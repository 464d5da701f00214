import { useState } from 'react';
import { Link } from 'react-router';
import type { QueueItem } from '../../db/queue-list-repo';
import { ROLE_LABELS } from '../../domain/case';
import { queueRoleOf } from '../../domain/stages';
import { QUEUE_PAGE, useQueue, useQueueCount } from '../../queries/queue-queries';
import { useSession } from '../../session/session';
import { DemoBadge } from '../../ui/demo-badge';
import { formatDateTime } from '../../ui/format';

const PRIORITY_LABELS = { emergent: 'Emergent', urgent: 'Urgent', routine: 'Routine' } as const;

/** "Waiting for my sign-off": every case of the lab with a stage ready for this person's signature, most urgent first. */
export function QueuePage() {
  const { actor } = useSession();
  const role = queueRoleOf(actor);
  if (!role) {
    return (
      <section aria-labelledby="queue-title">
        <h1 id="queue-title">Waiting for my sign-off</h1>
        <p className="notice">Only people who sign stages off (radiologists) have a sign-off queue.</p>
      </section>
    );
  }
  return <Queue role={role} />;
}

function Queue({ role }: { role: NonNullable<ReturnType<typeof queueRoleOf>> }) {
  const [limit, setLimit] = useState(QUEUE_PAGE);
  const queue = useQueue(role, limit);
  const count = useQueueCount(role).data;
  const items = queue.data;
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Waiting for my sign-off</h1>
      <p className="muted">Every case of the lab with a stage ready for a {ROLE_LABELS[role].toLowerCase()}’s signature, most urgent first (priority, then date needed).</p>
      {!items ? (
        <p role="status">Reading the queue…</p>
      ) : items.length === 0 ? (
        <p className="notice ok" role="status">Nothing is waiting for your sign-off.</p>
      ) : (
        <>
          <p className="muted" role="status">
            {count !== undefined && count > items.length ? `The ${items.length} most urgent of ${count} cases waiting.` : `${items.length} case${items.length === 1 ? '' : 's'} waiting.`}
          </p>
          <ul className="queue-list" aria-label="Cases waiting for my sign-off">
            {items.map((item) => <QueueRow key={item.id} item={item} />)}
          </ul>
          {count !== undefined && count > items.length && (
            <button type="button" className="btn" disabled={queue.isPlaceholderData} onClick={() => setLimit((n) => n + QUEUE_PAGE)}>
              {queue.isPlaceholderData ? 'Reading…' : `Show the next ${Math.min(QUEUE_PAGE, count - items.length)}`}
            </button>
          )}
        </>
      )}
    </section>
  );
}

function QueueRow({ item }: { item: QueueItem }) {
  return (
    <li>
      <Link to={`/cases/${item.id}/review/${item.stage}`} className="queue-row">
        <span className="case-main">
          <span>{item.demo && <><DemoBadge /> </>}<strong className="patient">{item.patientName}</strong></span>
          <span className="muted">MRN {item.mrn} · {item.caseNumber}</span>
          <span><strong>{item.stageTitle}</strong>: “{item.meaning}”</span>
        </span>
        <span className="case-side">
          {item.priority !== 'routine' ? <span className="badge warn">{PRIORITY_LABELS[item.priority]}</span> : <span className="muted">Routine</span>}
          <span className="muted">Needed {item.dateNeeded}</span>
          <span className="muted">Waiting since {formatDateTime(item.since)}</span>
        </span>
      </Link>
    </li>
  );
}
