import type { Case, CaseEvent, FieldValue, StageId } from '../../domain/case';
import { changesSinceVoided } from '../../domain/review';
import { formatDateTime } from '../../ui/format';

const show = (v: FieldValue | string[]) => (v === null || v === '' ? '—' : Array.isArray(v) ? v.join(', ') : String(v));

/** What changed since the last signature of this stage was voided: before and after, who and when, from the audit trail. */
export function ChangesSinceVoided({ caseData, stage, events }: { caseData: Case; stage: StageId; events: CaseEvent[] | undefined }) {
  const since = events && changesSinceVoided(caseData, stage, events);
  return (
    <section className="card" aria-labelledby="review-changes-title">
      <h2 id="review-changes-title">What changed since a voided signature</h2>
      {!events ? (
        <p role="status">Reading the history…</p>
      ) : !since ? (
        <p className="muted">No signature of this stage was voided: this is its first sign-off.</p>
      ) : (
        <>
          <p>
            <s>{since.voided.signerName}, {formatDateTime(since.voided.signedAt)}: “{since.voided.meaning}”</s> — voided {formatDateTime(since.voided.voidedAt)} by {since.voided.voidedByName}. {since.voided.reason}
          </p>
          {since.events.length === 0 ? (
            <p className="muted">No recorded change since it was made.</p>
          ) : (
            <table className="record-table" aria-label="Changes since the voided signature">
              <thead><tr><th scope="col">What</th><th scope="col">Before</th><th scope="col">After</th><th scope="col">Who, when</th></tr></thead>
              <tbody>
                {since.events.flatMap((e) =>
                  e.changes.map((ch, n) => (
                    <tr key={`${e.id}-${n}`}>
                      <td>{ch.field}</td>
                      <td>{show(ch.before)}</td>
                      <td>{show(ch.after)}</td>
                      <td>{e.actorName}, {formatDateTime(e.at)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
