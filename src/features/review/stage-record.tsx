import type { Case, StageId } from '../../domain/case';
import { formatFieldValue } from '../../domain/case-summary';
import { stageDef } from '../../domain/stages';
import { applicableChecklist, applicableFields, isBlank } from '../../domain/workflow';
import { formatDateTime } from '../../ui/format';

/** The stage's record and checklist as the signature will cover them; lab bookkeeping it does not cover is marked so. */
export function StageRecordReview({ caseData, stage }: { caseData: Case; stage: StageId }) {
  const def = stageDef(stage);
  const rec = caseData.stages[stage];
  const fields = applicableFields(def, caseData);
  return (
    <section className="card" aria-labelledby="review-record-title">
      <h2 id="review-record-title">{def.title}: the record</h2>
      <p className="muted">Last changed {rec.updatedAt ? `by ${rec.updatedBy ?? 'someone'}, ${formatDateTime(rec.updatedAt)}` : 'never'}.</p>
      <table className="record-table" aria-label={`${def.title} record`}>
        <tbody>
          {fields.map((f) => (
            <tr key={f.key}>
              <th scope="row">{f.label}</th>
              <td>
                {isBlank(rec.values[f.key]) ? <span className="muted">Not recorded</span> : formatFieldValue(f, rec.values[f.key])}
                {f.unsigned && <span className="muted"> · not part of the signature</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {def.deliverableFields.length > 0 && caseData.deliverables.length > 0 && (
        <table className="record-table" aria-label={`${def.title} per model or guide`}>
          <tbody>
            {caseData.deliverables.flatMap((d) =>
              def.deliverableFields.map((f) => (
                <tr key={`${d.id}-${f.key}`}>
                  <th scope="row">{d.name}: {f.label}</th>
                  <td>{isBlank(rec.perDeliverable[d.id]?.[f.key]) ? <span className="muted">Not recorded</span> : formatFieldValue(f, rec.perDeliverable[d.id]?.[f.key])}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <h3>Checklist</h3>
      <ul className="trail" aria-label={`${def.title} checklist`}>
        {applicableChecklist(def, caseData).map((item) => {
          const tick = rec.checklist[item.key];
          return (
            <li key={item.key}>
              <strong>{tick?.done ? '☑ Done' : '☐ Not done'}</strong> — {item.label}
              {tick && <div className="muted">{tick.done ? 'Ticked' : 'Unticked'} by {tick.byName}, {formatDateTime(tick.at)}</div>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
