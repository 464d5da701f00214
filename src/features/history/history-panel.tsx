import type { ChainVerification } from '../../domain/audit-chain';
import type { Case, CaseEvent, FieldValue } from '../../domain/case';
import { labRootText, TRUST_STATE_WORDS, verificationRows, type CaseTrust } from '../../domain/case-trust';
import { formatDateTime } from '../../ui/format';

const show = (v: FieldValue | string[]) => (v === null || v === '' ? '—' : Array.isArray(v) ? v.join(', ') : String(v));

const TONE = { verified: 'ok', verifying: '', legacy: 'warn', failed: 'bad' } as const;

type Props = { caseData: Case; events: CaseEvent[]; verification: ChainVerification; trust: CaseTrust };

/** Every change to the case, newest first: who, when, what, before and after; and what of it verifies, as the PDF prints it. */
export function HistoryPanel({ caseData, events, verification, trust }: Props) {
  const trail = trust.history;
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {trail.state === 'verified' ? (
        <p className="notice ok" role="status">{trail.text} {verification.ok && verification.head && `Head ${verification.head.slice(0, 16)}…`}</p>
      ) : (
        <p className={`notice ${TONE[trail.state]}`} role={trail.state === 'failed' ? 'alert' : 'status'}>{trail.text}</p>
      )}
      <dl className="verification" aria-label="Verification">
        {verificationRows(caseData, trust).map((r) => (
          <div key={r.label}>
            <dt>{r.label}</dt>
            <dd className={r.state === 'verified' ? undefined : `notice ${TONE[r.state]}`}><strong>{TRUST_STATE_WORDS[r.state]}</strong> — {r.text}</dd>
          </div>
        ))}
        <div>
          <dt>Lab root key</dt>
          <dd>{labRootText(trust)}</dd>
        </div>
      </dl>
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
