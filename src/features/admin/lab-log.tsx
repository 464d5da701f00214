import { UNSIGNED_KINDS } from '../../domain/audit-chain';
import { useLabLog } from '../../queries/user-queries';
import { formatDateTime } from '../../ui/format';

/** Why an entry carries no valid signature, in words. */
function unsignedReason(kind: string, logProblem: string | null): string {
  // A wrong secret (at sign-in, a signature or an admin's confirmation) unlocks no key to sign its own record with.
  if (UNSIGNED_KINDS.has(kind)) return 'not signed (a wrong secret opens no key)';
  return logProblem ? 'signature does not verify' : 'not signed (made before the signed lab log started)';
}

/** The signed lab log: people, keys, roles, policy, sign-ins and their failures, with every signature checked. */
export function LabLog() {
  const log = useLabLog();
  if (!log.data) return null;
  const { entries, problem } = log.data;
  return (
    <section className="card" aria-labelledby="lablog-title">
      <h2 id="lablog-title">Lab audit trail</h2>
      {problem ? (
        <p className="notice bad" role="alert">{problem}</p>
      ) : (
        <p className="notice ok" role="status">Lab log verified: {entries.length} entries, every signature checked.</p>
      )}
      <ol className="history" reversed>
        {[...entries].reverse().slice(0, 100).map((e, i) => (
          <li key={i}>
            <strong>{e.body.summary}</strong>
            <div className="muted">
              {e.actorName} · {formatDateTime(e.at)}
              {e.device && <> · {e.device === 'this' ? 'on this device' : 'on another device of the lab'}</>}
              {!e.signed && <> · <span className={`badge ${problem && !UNSIGNED_KINDS.has(e.kind) ? 'bad' : 'warn'}`}>{unsignedReason(e.kind, problem)}</span></>}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
