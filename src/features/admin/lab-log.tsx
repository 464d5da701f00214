import { useLabLog } from '../../queries/user-queries';
import { formatDateTime } from '../../ui/format';

/** Lab-wide audit trail: sign-ins, failures, lock-outs and user changes, with its chain check. */
export function LabLog() {
  const log = useLabLog();
  if (!log.data) return null;
  const { entries, verification } = log.data;
  return (
    <section className="card" aria-labelledby="lablog-title">
      <h2 id="lablog-title">Lab audit trail</h2>
      {verification.ok ? (
        <p className="notice ok" role="status">Chain verified: {verification.count} entries, none altered, inserted or removed.</p>
      ) : (
        <p className="notice bad" role="alert">Chain broken at entry {verification.brokenAt}: {verification.reason}.</p>
      )}
      <ol className="history" reversed>
        {[...entries].reverse().slice(0, 100).map((e, i) => (
          <li key={i}>
            <strong>{e.body.summary}</strong>
            <div className="muted">{e.actorName} · {formatDateTime(e.at)}</div>
          </li>
        ))}
      </ol>
    </section>
  );
}
