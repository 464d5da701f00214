import type { Case } from '../../domain/case';
import { formatFieldValue } from '../../domain/case-summary';
import { fieldDef } from '../../domain/stages';
import { isBlank } from '../../domain/workflow';

const STUDY_FIELDS = ['modality', 'studyDate', 'accessionNumber', 'studyInstanceUid', 'studyDescription', 'seriesDescription', 'sliceThicknessMm'] as const;

/** Which study the work was done on: what the reviewer opens on their own workstation to compare. */
export function StudyIdentifiers({ caseData }: { caseData: Case }) {
  const values = caseData.stages.imaging.values;
  return (
    <section className="card" aria-labelledby="review-study-title">
      <h2 id="review-study-title">Study</h2>
      <dl className="verification">
        {STUDY_FIELDS.map((key) => {
          const f = fieldDef('imaging', key)!;
          return (
            <div key={key}>
              <dt>{f.label}</dt>
              <dd>{isBlank(values[key]) ? <span className="muted">Not recorded</span> : formatFieldValue(f, values[key])}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
