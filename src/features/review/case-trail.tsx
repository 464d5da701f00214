import type { CaseEvent } from '../../domain/case';
import { formatDateTime } from '../../ui/format';

/** Who did what and when on this case, newest first, from its audit trail. */
export function CaseTrail({ events }: { events: CaseEvent[] | undefined }) {
  return (
    <section className="card" aria-labelledby="review-trail-title">
      <h2 id="review-trail-title">Who did what, and when</h2>
      {!events ? (
        <p role="status">Reading the history…</p>
      ) : (
        <ol className="trail" reversed aria-label="Case history">
          {[...events].reverse().map((e) => (
            <li key={e.id}>
              <div>{e.summary}</div>
              <div className="muted">{e.actorName} · {formatDateTime(e.at)}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
