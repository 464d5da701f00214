import type { ChainVerification } from '../../domain/audit-chain';
import type { CaseEvent, FieldValue } from '../../domain/case';
import { formatDateTime } from '../../ui/format';

const show = (v: FieldValue | string[]) => (v === null || v === '' ? '—' : Array.isArray(v) ? v.join(', ') : String(v));

/** Every change to the case, newest first: who, when, what, before and after. */
export function HistoryPanel({ events, verification }: { events: CaseEvent[]; verification: ChainVerification }) {
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {verification.ok ? (
        <p className="notice ok" role="status">Audit chain verified: {verification.count} entries, none altered, inserted or removed. Head {verification.head?.slice(0, 16)}…</p>
      ) : (
        <p className="notice bad" role="alert">Audit chain broken at entry {verification.brokenAt}: {verification.reason}.</p>
      )}
      <ol className="history" reversed>
        {[...events].reverse().map((e) => (
          <li key={e.id}>
            <div><strong>{e.summary}</strong></div>
            <div className="muted">{e.actorName} · {formatDateTime(e.at)}</div>
            {e.changes.length > 0 && (
              <ul className="changes">
                {e.changes.map((c) => (
                  <li key={c.field}>{c.field}: {show(c.before)} → {show(c.after)}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
