// The lab dashboard's figures, computed from a small set of facts per case that
// are all stored in the clear (no PHI is opened to draw the dashboard):
//   - when the case was opened (the order arrived) and its status key;
//   - when each completed stage finished: a signed stage when it was signed, any
//     other stage at its latest checklist tick (else its last change);
//   - when it was delivered: the recorded "Delivered at", else delivery's finish;
//   - its models, components and guides, and each deliverable's use in care;
//   - effort minutes per registry category with the clinicians' part (stages.ts).
// Time in a stage runs from the previous stage's finish (the case's opening for
// imaging) to this stage's finish, so it includes waiting for the lab to start.
// Cancelled cases count in "cases by stage", "cases per month" and effort (the
// time was spent), and are left out of turnaround, models vs guides and use in care.
// The facts are summed per day of opening (dashboard-totals.ts), and every figure
// comes from the days in the date range: what the database keeps up to date.
// Pure: the date range and today are passed in; time zones through `DayClock`.
import type { Case, StageId } from './case';
import { neededOn, readInStage, sumDays, type DayTotals, type EffortTotals, type Totals, type UseCounts } from './dashboard-totals';
import { EFFORT, STAGES, STAGE_IDS, type EffortCategory } from './stages';
import { statusKeyLabel } from './workflow';

export type EffortFact = { total: number | null; clinician: number | null };
/** The clinical impact recorded at delivery (the registry's questions); null where not answered. */
export type ImpactFact = { procedurePerformed: string | null; planChanged: string | null; surgeonRating: number | null; minutesSaved: number | null };

export type CaseFacts = {
  id: string;
  caseNumber: string;
  statusKey: string;
  openedAt: string;
  /** The opening's calendar day where the lab is (YYYY-MM-DD): what the date range filters on. */
  openedOn: string;
  dateNeeded: string;
  cancelled: boolean;
  models: number;
  components: number;
  guides: number;
  /** When each completed stage finished (ISO); absent while a stage is not complete. */
  stageDone: Partial<Record<StageId, string>>;
  /** ISO; null until delivery is complete. */
  deliveredAt: string | null;
  effort: Record<EffortCategory, EffortFact>;
  use: UseCounts;
  impact: ImpactFact;
  /** Made by "Load demo cases": counted like any case, and said how many. */
  demo: boolean;
};

/** How the tablet reads calendar days and wall-clock times; the database layer passes the tablet's own. */
export type DayClock = {
  /** The calendar day of an instant (YYYY-MM-DD). */
  dayOf: (iso: string) => string;
  /** A wall-clock "YYYY-MM-DDTHH:MM" as entered on the tablet → ISO instant, or null when unreadable. */
  fromLocal: (local: string) => string | null;
};

export const UTC_CLOCK: DayClock = {
  dayOf: (iso) => iso.slice(0, 10),
  fromLocal: (local) => {
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00Z` : local);
    return Number.isNaN(t) ? null : new Date(t).toISOString();
  },
};

/** Where the case has got to, as a count of completed stages; cancelled cases have none that count. */
const DONE_AFTER: Record<string, number> = { ...Object.fromEntries(STAGE_IDS.map((id, i) => [id, i])), 'awaiting-use': 4, 'ready-for-billing': 4, closed: 4, cancelled: 0 };

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const answer = (v: unknown) => (v === 'yes' || v === 'no' || v === 'unknown' ? v : null);

type ClearPart = Pick<Case, 'id' | 'caseNumber' | 'createdAt' | 'order' | 'deliverables' | 'stages' | 'cancelled'> & { demo?: boolean };

/** A case's dashboard facts, from its clear (non-PHI) part and stored status key. */
export function caseFacts(c: ClearPart, statusKey: string, clock: DayClock = UTC_CLOCK): CaseFacts {
  const completed = DONE_AFTER[statusKey] ?? 0;
  const stageDone: Partial<Record<StageId, string>> = {};
  STAGES.slice(0, completed).forEach((def) => {
    const rec = c.stages[def.id];
    const ticks = Object.values(rec.checklist).filter((t) => t.done).map((t) => t.at).sort();
    const done = def.signoff ? rec.signature?.signedAt : (ticks.at(-1) ?? rec.updatedAt);
    if (done) stageDone[def.id] = done;
  });
  const recorded = c.stages.delivery.values.deliveredAt;
  const deliveredAt = stageDone.delivery ? ((typeof recorded === 'string' && recorded ? clock.fromLocal(recorded) : null) ?? stageDone.delivery) : null;
  const use: UseCounts = { yes: 0, no: 0, unknown: 0, notRecorded: 0 };
  for (const d of c.deliverables) {
    const u = c.stages.delivery.perDeliverable[d.id]?.usedInCare;
    if (u === 'yes' || u === 'no' || u === 'unknown') use[u]++;
    else use.notRecorded++;
  }
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    statusKey,
    openedAt: c.createdAt,
    openedOn: clock.dayOf(c.createdAt),
    dateNeeded: c.order.dateNeeded,
    cancelled: c.cancelled !== null || statusKey === 'cancelled',
    models: c.deliverables.filter((d) => d.kind === 'model').length,
    components: c.deliverables.reduce((n, d) => n + (d.kind === 'model' ? d.components.length : 0), 0),
    guides: c.deliverables.filter((d) => d.kind === 'guide').length,
    stageDone,
    deliveredAt,
    effort: Object.fromEntries(EFFORT.map((e) => [e.id, { total: num(c.stages[e.stage].values[e.totalKey]), clinician: num(c.stages[e.stage].values[e.clinicianKey]) }])) as Record<EffortCategory, EffortFact>,
    use,
    impact: {
      procedurePerformed: answer(c.stages.delivery.values.procedurePerformed),
      planChanged: answer(c.stages.delivery.values.planChanged),
      surgeonRating: num(c.stages.delivery.values.surgeonRating),
      minutesSaved: num(c.stages.delivery.values.minutesSaved),
    },
    demo: c.demo === true,
  };
}

// ---- statistics -------------------------------------------------------------

// A typed array sorts numbers natively, without calling a comparator per comparison: tens of
// thousands of hours per look at the dashboard.
const ascending = (values: readonly number[]) => Float64Array.from(values).sort();

const middleOf = (s: Float64Array) => {
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const p90Of = (s: Float64Array) => (s.length === 0 ? null : s[Math.ceil(0.9 * s.length) - 1]!);

/** The middle value; the mean of the two middle values for an even count; null for none. */
export const median = (values: readonly number[]): number | null => middleOf(ascending(values));

/**
 * The 90th percentile by nearest rank: the smallest value that at least 90 % of
 * values are at or below. With fewer than 10 values that is the largest.
 */
export const p90 = (values: readonly number[]): number | null => p90Of(ascending(values));

export type Spread = { count: number; medianHours: number | null; p90Hours: number | null };

/** Count, median and p90 of one sort. */
export function spread(hours: readonly number[]): Spread {
  const s = ascending(hours);
  return { count: s.length, medianHours: middleOf(s), p90Hours: p90Of(s) };
}

// ---- figures ----------------------------------------------------------------

export type DateRange = { from: string | null; to: string | null };

/** Cases (or days) opened within the range, both ends included (calendar days, YYYY-MM-DD). */
export const inRange = <T extends { openedOn: string }>(items: readonly T[], { from, to }: DateRange): T[] =>
  items.filter((f) => (!from || f.openedOn >= from) && (!to || f.openedOn <= to));

export const STATUS_ORDER = [...STAGE_IDS, 'awaiting-use', 'ready-for-billing', 'closed', 'cancelled'] as const;

export type StatusCount = { key: string; label: string; count: number };

/** Every status in workflow order, zeros included, so the chart keeps its shape. */
export function casesByStatus(t: Totals): StatusCount[] {
  return STATUS_ORDER.map((key) => ({ key, label: statusKeyLabel(key), count: t.byStatus[key] ?? 0 }));
}

export type OverdueCase = { id: string; caseNumber: string; statusLabel: string; dateNeeded: string; demo: boolean };

/** Still in a stage after the date needed; the longest overdue first. */
export function overdueCases(t: Totals, today: string): OverdueCase[] {
  return t.inStage
    .filter((entry) => neededOn(entry) < today)
    // Code-point order of the entries: by date needed, then case number (inStageEntry).
    .sort()
    .map(readInStage)
    .map((f) => ({ id: f.id, caseNumber: f.caseNumber, statusLabel: statusKeyLabel(f.statusKey), dateNeeded: f.dateNeeded, demo: f.demo }));
}

export type Turnaround = { orderToDelivery: Spread; perStage: { stage: StageId; title: string; spread: Spread }[] };

/** Order → delivery, and time in each completed stage, in hours; cancelled cases left out. */
export function turnaround(t: Totals): Turnaround {
  return { orderToDelivery: spread(t.orderToDelivery), perStage: STAGES.map((def) => ({ stage: def.id, title: def.title, spread: spread(t.stageHours[def.id]) })) };
}

export type MonthCount = { month: string; label: string; count: number };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** At most this many months are charted: the latest ones. */
export const MAX_MONTHS = 60;

const monthIndex = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1;
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** Cases opened per calendar month, every month of the range (or of the data) listed, zeros included. */
export function casesPerMonth(days: readonly DayTotals[], range: DateRange = { from: null, to: null }): MonthCount[] {
  const counts = new Map<string, number>();
  for (const d of days) counts.set(d.openedOn.slice(0, 7), (counts.get(d.openedOn.slice(0, 7)) ?? 0) + d.totals.cases);
  const seen = [...counts.keys()].sort();
  const first = range.from?.slice(0, 7) ?? seen[0];
  const last = range.to?.slice(0, 7) ?? seen.at(-1);
  if (!first || !last || first > last) return [];
  const hi = monthIndex(last);
  const lo = Math.max(monthIndex(first), hi - MAX_MONTHS + 1);
  const out: MonthCount[] = [];
  for (let i = lo; i <= hi; i++) {
    const month = monthOf(i);
    out.push({ month, label: `${MONTHS[i % 12]} ${Math.floor(i / 12)}`, count: counts.get(month) ?? 0 });
  }
  return out;
}

export type DeliverableMix = { models: number; components: number; guides: number; casesWithModels: number; casesWithGuides: number };

export const deliverableMix = ({ models, components, guides, casesWithModels, casesWithGuides }: Totals): DeliverableMix => ({ models, components, guides, casesWithModels, casesWithGuides });

export type EffortRow = EffortTotals & {
  category: EffortCategory;
  label: string;
};

/** Effort per registry category, split clinician / non-clinician / split unknown (dashboard-totals.ts says how). */
export const effortByCategory = (t: Totals): EffortRow[] => EFFORT.map((e) => ({ category: e.id, label: e.label, ...t.effort[e.id] }));

export type UseInCare = UseCounts & {
  /** Used ÷ (used + not used): deliverables whose use is not yet known are left out; null when none is known. */
  share: number | null;
};

export function useInCare({ use }: Totals): UseInCare {
  return { ...use, share: use.yes + use.no === 0 ? null : use.yes / (use.yes + use.no) };
}

export type ClinicalImpact = {
  /** Delivered, not cancelled cases, and how many of them have any impact answer. */
  delivered: number;
  answered: number;
  procedurePerformed: { yes: number; no: number };
  planChanged: { yes: number; no: number };
  /** Where answered: the plan changed ÷ (changed + not changed). */
  planChangedShare: number | null;
  medianRating: number | null;
  ratings: number;
  medianMinutesSaved: number | null;
};

export function clinicalImpact(t: Totals): ClinicalImpact {
  const changed = t.planChanged;
  return {
    delivered: t.delivered,
    answered: t.answered,
    procedurePerformed: { ...t.procedurePerformed },
    planChanged: { ...changed },
    planChangedShare: changed.yes + changed.no === 0 ? null : changed.yes / (changed.yes + changed.no),
    medianRating: median(t.ratings),
    ratings: t.ratings.length,
    medianMinutesSaved: median(t.minutesSaved),
  };
}

export type Dashboard = {
  cases: number;
  /** Of `cases`, how many are demo cases. */
  demo: number;
  open: number;
  byStatus: StatusCount[];
  overdue: OverdueCase[];
  turnaround: Turnaround;
  perMonth: MonthCount[];
  deliverables: DeliverableMix;
  effort: EffortRow[];
  useInCare: UseInCare;
  impact: ClinicalImpact;
};

/** Every figure, for the cases opened within the range, from the totals of each day (daysOf). */
export function computeDashboard(days: readonly DayTotals[], range: DateRange, today: string): Dashboard {
  const inside = inRange(days, range);
  const t = sumDays(inside);
  return {
    cases: t.cases,
    demo: t.demo,
    open: t.open,
    byStatus: casesByStatus(t),
    overdue: overdueCases(t, today),
    turnaround: turnaround(t),
    perMonth: casesPerMonth(inside, range),
    deliverables: deliverableMix(t),
    effort: effortByCategory(t),
    useInCare: useInCare(t),
    impact: clinicalImpact(t),
  };
}
