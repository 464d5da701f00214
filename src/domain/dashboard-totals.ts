// What the dashboard's figures are made of, summed per day a case was opened: counts, and the
// hours, ratings and minutes whose medians it shows (a median needs every value, not a sum). The
// figures of any date range come from the days in it, so the database keeps one row per day,
// updated on every case write (db/dashboard-facts.ts), and the dashboard reads one row per day the
// lab worked instead of one per case. A day's totals are plain data: adding a case's tally and
// taking it away again (when the case changes) are the same walk over the structure.
import type { StageId } from './case';
import type { CaseFacts } from './dashboard';
import { EFFORT, STAGES, STAGE_IDS, type EffortCategory } from './stages';

const HOUR = 3_600_000;

export const hoursBetween = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / HOUR);

export type UseCounts = { yes: number; no: number; unknown: number; notRecorded: number };
export type EffortTotals = { cases: number; clinicianMinutes: number; nonClinicianMinutes: number; unknownSplitMinutes: number; totalMinutes: number };
export type YesNo = { yes: number; no: number };
/** A case still in a stage: whether it is overdue depends on the day the dashboard is looked at. */
export type InStageCase = { id: string; caseNumber: string; statusKey: string; dateNeeded: string; demo: boolean };

// Thousands of in-stage cases are kept in the day rows and read back on every look at the dashboard:
// as one string each, not an object of five fields, they cost a fraction to store and read back.
// The date needed comes first, so code-point order is the longest overdue first, then by case
// number (neither holds a tab); the case number is the one field parsed from both ends.
const SEP = '\t';

/** A case still in a stage, as kept in a day's totals. */
export const inStageEntry = (c: InStageCase): string => [c.dateNeeded, c.caseNumber, c.statusKey, c.demo ? 'demo' : '', c.id].join(SEP);

export function readInStage(entry: string): InStageCase {
  const parts = entry.split(SEP);
  const [id, demo, statusKey] = [parts.pop()!, parts.pop()!, parts.pop()!];
  return { dateNeeded: parts[0]!, caseNumber: parts.slice(1).join(SEP), statusKey, demo: demo === 'demo', id };
}

/** The date needed of a kept entry. */
export const neededOn = (entry: string): string => entry.slice(0, entry.indexOf(SEP));

export type Totals = {
  cases: number;
  demo: number;
  /** Neither closed nor cancelled. */
  open: number;
  byStatus: Record<string, number>;
  /** Work in progress, not the archive: the only cases that can be overdue (inStageEntry). */
  inStage: string[];
  /** Every case's, cancelled ones included (the time was spent). */
  effort: Record<EffortCategory, EffortTotals>;
  // The rest leaves cancelled cases out.
  models: number;
  components: number;
  guides: number;
  casesWithModels: number;
  casesWithGuides: number;
  use: UseCounts;
  orderToDelivery: number[];
  /** Hours in each completed stage, from the end of the one before (the opening for the first). */
  stageHours: Record<StageId, number[]>;
  delivered: number;
  /** Delivered cases with any clinical impact answer. */
  answered: number;
  procedurePerformed: YesNo;
  planChanged: YesNo;
  ratings: number[];
  minutesSaved: number[];
};

/** One day's totals: the cases opened that day (YYYY-MM-DD). */
export type DayTotals = { openedOn: string; totals: Totals };

const CLOSED_KEYS = new Set(['closed', 'cancelled']);
const yesNo = (v: string | null, counts: boolean): YesNo => ({ yes: counts && v === 'yes' ? 1 : 0, no: counts && v === 'no' ? 1 : 0 });
const one = (when: boolean) => (when ? 1 : 0);

/** A clinicians' part larger than its total counts as the total (all clinician); a clinicians' part without a total counts as both. */
function effortTotals({ total, clinician }: CaseFacts['effort'][EffortCategory]): EffortTotals {
  if (total === null && clinician === null) return { cases: 0, clinicianMinutes: 0, nonClinicianMinutes: 0, unknownSplitMinutes: 0, totalMinutes: 0 };
  const all = Math.max(total ?? 0, clinician ?? 0);
  const part = clinician === null ? 0 : Math.min(clinician, all);
  return { cases: 1, clinicianMinutes: part, nonClinicianMinutes: clinician === null ? 0 : all - part, unknownSplitMinutes: clinician === null ? all : 0, totalMinutes: all };
}

/** One case's part of its day's totals. */
export function tally(f: CaseFacts): Totals {
  const live = !f.cancelled;
  const delivered = live && f.deliveredAt !== null;
  const stageHours = Object.fromEntries(
    STAGES.map((def, i) => {
      const end = f.stageDone[def.id];
      const start = i === 0 ? f.openedAt : f.stageDone[STAGES[i - 1]!.id];
      return [def.id, live && end && start ? [hoursBetween(start, end)] : []];
    }),
  ) as Record<StageId, number[]>;
  const { surgeonRating, minutesSaved } = f.impact;
  return {
    cases: 1,
    demo: one(f.demo),
    open: one(!CLOSED_KEYS.has(f.statusKey)),
    byStatus: { [f.statusKey]: 1 },
    inStage: (STAGE_IDS as readonly string[]).includes(f.statusKey) ? [inStageEntry(f)] : [],
    effort: Object.fromEntries(EFFORT.map((e) => [e.id, effortTotals(f.effort[e.id])])) as Record<EffortCategory, EffortTotals>,
    models: live ? f.models : 0,
    components: live ? f.components : 0,
    guides: live ? f.guides : 0,
    casesWithModels: one(live && f.models > 0),
    casesWithGuides: one(live && f.guides > 0),
    use: live ? { ...f.use } : { yes: 0, no: 0, unknown: 0, notRecorded: 0 },
    orderToDelivery: live && f.deliveredAt ? [hoursBetween(f.openedAt, f.deliveredAt)] : [],
    stageHours,
    delivered: one(delivered),
    answered: one(delivered && Object.values(f.impact).some((v) => v !== null)),
    procedurePerformed: yesNo(f.impact.procedurePerformed, delivered),
    planChanged: yesNo(f.impact.planChanged, delivered),
    ratings: delivered && surgeonRating !== null ? [surgeonRating] : [],
    minutesSaved: delivered && minutesSaved !== null ? [minutesSaved] : [],
  };
}

/** `from` without one occurrence of each of `gone`'s items. */
function without(from: unknown[], gone: readonly unknown[]): unknown[] {
  const left = new Map<unknown, number>();
  for (const x of gone) left.set(x, (left.get(x) ?? 0) + 1);
  return from.filter((x) => {
    const n = left.get(x);
    if (!n) return true;
    left.set(x, n - 1);
    return false;
  });
}

/**
 * Adds `part` to `into` (sign 1) or takes it away (sign -1), in place: numbers add, lists gain or
 * lose its items, records go key by key (a key `into` lacks starts from nothing). `into` must be
 * the caller's own copy.
 */
export function accumulate<T>(into: T, part: T, sign: 1 | -1 = 1): T {
  const target = into as Record<string, unknown>;
  for (const [key, value] of Object.entries(part as Record<string, unknown>)) {
    const have = target[key];
    if (typeof value === 'number') target[key] = ((have as number | undefined) ?? 0) + sign * value;
    else if (Array.isArray(value)) {
      const list = (have as unknown[] | undefined) ?? [];
      if (sign < 0) target[key] = without(list, value);
      else if (have) list.push(...value);
      else target[key] = [...value];
    }
    else if (typeof value === 'object' && value !== null) target[key] = accumulate(have ?? {}, value, sign);
  }
  return into;
}

/** Nothing yet: what sums start from. */
export const noTotals = (): Totals => ({
  cases: 0,
  demo: 0,
  open: 0,
  byStatus: {},
  inStage: [],
  effort: Object.fromEntries(EFFORT.map((e) => [e.id, effortTotals({ total: null, clinician: null })])) as Record<EffortCategory, EffortTotals>,
  models: 0,
  components: 0,
  guides: 0,
  casesWithModels: 0,
  casesWithGuides: 0,
  use: { yes: 0, no: 0, unknown: 0, notRecorded: 0 },
  orderToDelivery: [],
  stageHours: Object.fromEntries(STAGE_IDS.map((id) => [id, []])) as unknown as Record<StageId, number[]>,
  delivered: 0,
  answered: 0,
  procedurePerformed: { yes: 0, no: 0 },
  planChanged: { yes: 0, no: 0 },
  ratings: [],
  minutesSaved: [],
});

/** Every day's totals summed. */
export function sumDays(days: readonly DayTotals[]): Totals {
  const sum = noTotals();
  for (const d of days) accumulate(sum, d.totals);
  return sum;
}

/** The totals of each day on which some of these cases were opened, in day order. */
export function daysOf(facts: readonly CaseFacts[]): DayTotals[] {
  const days = new Map<string, Totals>();
  for (const f of facts) {
    const day = days.get(f.openedOn) ?? noTotals();
    days.set(f.openedOn, accumulate(day, tally(f)));
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([openedOn, totals]) => ({ openedOn, totals }));
}
