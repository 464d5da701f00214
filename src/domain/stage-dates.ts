// Stage dates that cannot be right: a date in the future, a date (other than the study
// date) before the case was opened, a date before the imaging study. Shown where the date
// is typed and again on the billing tab: a wrong delivery date is a wrong date of service.
// Pure: the tablet's wall clock and the day the case was opened (both local) are passed in.
import type { Case, FieldValue, StageId } from './case';
import { STAGES } from './stages';

/** `now`: local wall-clock time, YYYY-MM-DDTHH:mm (as a datetime-local input holds it); `openedOn`: local day the case was opened. */
export type StageClock = { now: string; openedOn: string };

export type DateWarning = { stage: StageId; key: string; label: string; text: string };

const STUDY_DATE = { stage: 'imaging', key: 'studyDate' } as const;

const DAY = /^\d{4}-\d{2}-\d{2}/;
const asDate = (v: FieldValue | undefined): string | null => (typeof v === 'string' && DAY.test(v) ? v : null);
/** "2026-03-10T07:30" → "2026-03-10 07:30", the way the PDF prints it. */
const shown = (v: string) => v.replace('T', ' ');

/**
 * Every date a stage records, checked. `editing`: the values being typed in one stage's
 * form, which take the place of what that stage has stored.
 */
export function stageDateWarnings(c: Pick<Case, 'stages'>, clock: StageClock, editing?: { stage: StageId; values: Record<string, FieldValue | undefined> }): DateWarning[] {
  const valueOf = (stage: StageId, key: string) => (editing?.stage === stage ? editing.values[key] : c.stages[stage].values[key]);
  const studyDate = asDate(valueOf(STUDY_DATE.stage, STUDY_DATE.key))?.slice(0, 10) ?? null;
  const today = clock.now.slice(0, 10);
  const out: DateWarning[] = [];
  for (const def of STAGES) {
    for (const f of def.fields) {
      if (f.type !== 'date' && f.type !== 'datetime') continue;
      const v = asDate(valueOf(def.id, f.key));
      if (!v) continue;
      const day = v.slice(0, 10);
      const add = (text: string) => out.push({ stage: def.id, key: f.key, label: f.label, text: `${f.label} ${shown(v)} ${text}` });
      // A datetime is compared to the minute; a date to the day.
      if (f.type === 'datetime' ? v.slice(0, 16) > clock.now.slice(0, 16) : day > today) add('is in the future.');
      const isStudyDate = def.id === STUDY_DATE.stage && f.key === STUDY_DATE.key;
      // The study is usually done before the order that asks for a model from it: only the study date may come first.
      if (isStudyDate) continue;
      if (day < clock.openedOn) add(`is before the case was opened (${clock.openedOn}).`);
      else if (studyDate && day < studyDate) add(`is before the study date (${studyDate}).`);
    }
  }
  return out;
}
