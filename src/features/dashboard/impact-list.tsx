import type { ClinicalImpact } from '../../domain/dashboard';
import { formatShare, plural } from './format';

/** The registry's clinical-impact answers over the delivered cases, as figures (few enough to read, no chart needed). */
export function ImpactList({ impact: i }: { impact: ClinicalImpact }) {
  if (i.answered === 0) return <p className="muted">No impact recorded yet: it is asked at delivery, once the procedure is done.</p>;
  return (
    <dl className="facts">
      <dt>Cases with impact recorded</dt>
      <dd>{i.answered} of {plural(i.delivered, 'delivered case')}</dd>
      <dt>Procedure performed</dt>
      <dd>{i.procedurePerformed.yes} yes · {i.procedurePerformed.no} no</dd>
      <dt>Surgical plan changed</dt>
      <dd>{formatShare(i.planChangedShare)} ({i.planChanged.yes} yes · {i.planChanged.no} no)</dd>
      <dt>Surgeon’s rating (median)</dt>
      <dd>{i.medianRating === null ? '—' : `${i.medianRating} of 5, over ${plural(i.ratings, 'rating')}`}</dd>
      <dt>Operating time saved (median)</dt>
      <dd>{i.medianMinutesSaved === null ? '—' : `${i.medianMinutesSaved} min`}</dd>
    </dl>
  );
}
