import { describe, expect, it } from 'vitest';
import type { Case, StageId } from '../../src/domain/case';
import * as figures from '../../src/domain/dashboard';
import { caseFacts, inRange, MAX_MONTHS, median, p90, UTC_CLOCK, type CaseFacts, type DateRange, type DayClock } from '../../src/domain/dashboard';
import { accumulate, daysOf, noTotals, readInStage, sumDays, tally, type Totals } from '../../src/domain/dashboard-totals';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { splitPhi } from '../../src/domain/phi';
import { deriveStatus, statusKey } from '../../src/domain/workflow';
import { Lab, rad, tech } from '../support/case-builder';

const NO_EFFORT = { consultation: { total: null, clinician: null }, segmentation: { total: null, clinician: null }, cad: { total: null, clinician: null }, postProcessing: { total: null, clinician: null } };

const NO_IMPACT = { procedurePerformed: null, planChanged: null, surgeonRating: null, minutesSaved: null };

// Each figure as the dashboard computes it: from the cases' totals, summed per day of opening.
const totals = (facts: CaseFacts[]) => sumDays(daysOf(facts));
const casesByStatus = (facts: CaseFacts[]) => figures.casesByStatus(totals(facts));
const overdueCases = (facts: CaseFacts[], today: string) => figures.overdueCases(totals(facts), today);
const turnaround = (facts: CaseFacts[]) => figures.turnaround(totals(facts));
const casesPerMonth = (facts: CaseFacts[], range?: DateRange) => figures.casesPerMonth(daysOf(facts), range);
const deliverableMix = (facts: CaseFacts[]) => figures.deliverableMix(totals(facts));
const effortByCategory = (facts: CaseFacts[]) => figures.effortByCategory(totals(facts));
const useInCare = (facts: CaseFacts[]) => figures.useInCare(totals(facts));
const clinicalImpact = (facts: CaseFacts[]) => figures.clinicalImpact(totals(facts));
const computeDashboard = (facts: CaseFacts[], range: DateRange, today: string) => figures.computeDashboard(daysOf(facts), range, today);

let n = 0;
/** A case's facts with sensible defaults: opened 2026-03-02 08:00 UTC, in imaging. */
function fact(o: Partial<CaseFacts> = {}): CaseFacts {
  n++;
  return {
    id: `case-${n}`,
    caseNumber: `PP-2026-T1-${String(n).padStart(4, '0')}`,
    statusKey: 'imaging',
    openedAt: '2026-03-02T08:00:00.000Z',
    openedOn: (o.openedAt ?? '2026-03-02').slice(0, 10),
    dateNeeded: '2026-03-20',
    cancelled: o.statusKey === 'cancelled',
    models: 1,
    components: 2,
    guides: 0,
    stageDone: {},
    deliveredAt: null,
    effort: NO_EFFORT,
    use: { yes: 0, no: 0, unknown: 0, notRecorded: 1 },
    impact: NO_IMPACT,
    demo: false,
    ...o,
  };
}

/** A delivered case: opened at `opened`, each stage taking the given hours, delivered at the end. */
function delivered(hours: [number, number, number, number], o: Partial<CaseFacts> = {}): CaseFacts {
  const opened = Date.parse(o.openedAt ?? '2026-03-02T08:00:00.000Z');
  const ids: StageId[] = ['imaging', 'segmenting', 'printing', 'delivery'];
  let t = opened;
  const stageDone: Partial<Record<StageId, string>> = {};
  ids.forEach((id, i) => {
    t += hours[i]! * 3_600_000;
    stageDone[id] = new Date(t).toISOString();
  });
  return fact({ statusKey: 'ready-for-billing', stageDone, deliveredAt: stageDone.delivery!, use: { yes: 1, no: 0, unknown: 0, notRecorded: 0 }, ...o });
}

describe('median and p90', () => {
  const cases: [string, number[], number | null, number | null][] = [
    ['no values', [], null, null],
    ['one value', [5], 5, 5],
    ['two values: median is their mean, p90 the larger', [2, 4], 3, 4],
    ['odd count, unsorted', [9, 1, 5], 5, 9],
    ['fewer than ten values: p90 is the largest', [1, 2, 3, 4, 5, 6, 7, 8, 9], 5, 9],
    ['ten values: p90 is the 9th (nearest rank)', [10, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5.5, 9],
    ['twenty values: p90 is the 18th', Array.from({ length: 20 }, (_, i) => i + 1), 10.5, 18],
    ['ties', [3, 3, 3, 3], 3, 3],
  ];
  it.each(cases)('%s', (_name, values, expectedMedian, expectedP90) => {
    expect(median(values)).toBe(expectedMedian);
    expect(p90(values)).toBe(expectedP90);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    p90(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('date range (on the day the case was opened)', () => {
  const facts = [fact({ openedOn: '2026-02-28' }), fact({ openedOn: '2026-03-01' }), fact({ openedOn: '2026-03-31' }), fact({ openedOn: '2026-04-01' })];
  const cases: [string, string | null, string | null, string[]][] = [
    ['no range: everything', null, null, ['2026-02-28', '2026-03-01', '2026-03-31', '2026-04-01']],
    ['both ends included', '2026-03-01', '2026-03-31', ['2026-03-01', '2026-03-31']],
    ['from only', '2026-03-31', null, ['2026-03-31', '2026-04-01']],
    ['to only', null, '2026-02-28', ['2026-02-28']],
    ['start after end: nothing', '2026-04-01', '2026-03-01', []],
  ];
  it.each(cases)('%s', (_name, from, to, expected) => {
    expect(inRange(facts, { from, to }).map((f) => f.openedOn)).toEqual(expected);
  });
});

describe('cases by stage', () => {
  it('lists every status in workflow order, zeros included', () => {
    const rows = casesByStatus([fact({ statusKey: 'printing' }), fact({ statusKey: 'printing' }), fact({ statusKey: 'cancelled' }), fact({ statusKey: 'closed' })]);
    expect(rows.map((r) => [r.key, r.count])).toEqual([
      ['imaging', 0],
      ['segmenting', 0],
      ['printing', 2],
      ['delivery', 0],
      ['awaiting-use', 0],
      ['ready-for-billing', 0],
      ['closed', 1],
      ['cancelled', 1],
    ]);
    expect(rows[2]!.label).toBe('In printing');
  });

  it('no cases: every count is zero', () => {
    expect(casesByStatus([]).every((r) => r.count === 0)).toBe(true);
  });
});

describe('overdue cases', () => {
  const today = '2026-03-15';
  const cases: [string, Partial<CaseFacts>, boolean][] = [
    ['in a stage, needed yesterday', { statusKey: 'segmenting', dateNeeded: '2026-03-14' }, true],
    ['in a stage, needed today', { statusKey: 'segmenting', dateNeeded: '2026-03-15' }, false],
    ['delivered, awaiting use, past the date', { statusKey: 'awaiting-use', dateNeeded: '2026-03-01' }, false],
    ['closed, past the date', { statusKey: 'closed', dateNeeded: '2026-03-01' }, false],
    ['cancelled, past the date', { statusKey: 'cancelled', dateNeeded: '2026-03-01' }, false],
  ];
  it.each(cases)('%s → overdue: %s', (_name, o, expected) => {
    expect(overdueCases([fact(o)], today)).toHaveLength(expected ? 1 : 0);
  });

  it('longest overdue first, with its stage in words', () => {
    const late = fact({ statusKey: 'printing', dateNeeded: '2026-03-02' });
    const later = fact({ statusKey: 'imaging', dateNeeded: '2026-03-10' });
    expect(overdueCases([later, late], today)).toEqual([
      { id: late.id, caseNumber: late.caseNumber, statusLabel: 'In printing', dateNeeded: '2026-03-02', demo: false },
      { id: later.id, caseNumber: later.caseNumber, statusLabel: 'In imaging', dateNeeded: '2026-03-10', demo: false },
    ]);
  });

  it('needed the same day: by case number; a demo case says so', () => {
    const b = fact({ statusKey: 'printing', dateNeeded: '2026-03-02', caseNumber: 'PP-2026-T1-0200', demo: true });
    const a = fact({ statusKey: 'segmenting', dateNeeded: '2026-03-02', caseNumber: 'PP-2026-T1-0100' });
    expect(overdueCases([b, a], today).map((o) => [o.caseNumber, o.demo])).toEqual([['PP-2026-T1-0100', false], ['PP-2026-T1-0200', true]]);
  });

  it('a case still in a stage is kept as one entry that reads back as the case, whatever its case number holds', () => {
    for (const f of [fact({ statusKey: 'printing', demo: true }), fact({ statusKey: 'imaging', caseNumber: 'odd\tnumber\t' }), fact({ statusKey: 'delivery', dateNeeded: '' })]) {
      const [entry] = tally(f).inStage;
      expect(typeof entry).toBe('string');
      expect(readInStage(entry!)).toEqual({ id: f.id, caseNumber: f.caseNumber, statusKey: f.statusKey, dateNeeded: f.dateNeeded, demo: f.demo });
    }
  });
});

describe('turnaround', () => {
  it('no cases: no figures, zero counts', () => {
    const t = turnaround([]);
    expect(t.orderToDelivery).toEqual({ count: 0, medianHours: null, p90Hours: null });
    expect(t.perStage.map((s) => s.spread.count)).toEqual([0, 0, 0, 0]);
  });

  it('one delivered case: median and p90 are its own times', () => {
    const t = turnaround([delivered([24, 48, 12, 6])]);
    expect(t.orderToDelivery).toEqual({ count: 1, medianHours: 90, p90Hours: 90 });
    expect(t.perStage.map((s) => [s.stage, s.spread.medianHours])).toEqual([['imaging', 24], ['segmenting', 48], ['printing', 12], ['delivery', 6]]);
  });

  it('cancelled cases are left out, even with stages done', () => {
    const c = delivered([1, 1, 1, 1], { statusKey: 'cancelled', cancelled: true });
    expect(turnaround([c]).orderToDelivery.count).toBe(0);
    expect(turnaround([c]).perStage.every((s) => s.spread.count === 0)).toBe(true);
  });

  it('a stage counts once finished; open stages and undelivered cases do not', () => {
    const inPrinting = fact({ statusKey: 'printing', stageDone: { imaging: '2026-03-02T10:00:00.000Z', segmenting: '2026-03-03T10:00:00.000Z' } });
    const t = turnaround([inPrinting, delivered([4, 4, 4, 4])]);
    expect(t.orderToDelivery.count).toBe(1);
    expect(t.perStage.map((s) => s.spread.count)).toEqual([2, 2, 1, 1]);
    expect(t.perStage[0]!.spread).toEqual({ count: 2, medianHours: 3, p90Hours: 4 });
  });

  it('order to delivery uses the recorded delivery time when there is one', () => {
    const c = delivered([1, 1, 1, 1], { deliveredAt: '2026-03-04T08:00:00.000Z' });
    expect(turnaround([c]).orderToDelivery.medianHours).toBe(48);
  });

  it('p90 over a spread of cases (nearest rank)', () => {
    const facts = Array.from({ length: 10 }, (_, i) => delivered([1, 1, 1, (i + 1) * 24 - 3]));
    const t = turnaround(facts);
    expect(t.orderToDelivery.medianHours).toBe(5.5 * 24);
    expect(t.orderToDelivery.p90Hours).toBe(9 * 24);
  });

  it('a stage finished before the previous one (re-signed later) counts as zero, not negative', () => {
    const c = fact({ statusKey: 'ready-for-billing', stageDone: { imaging: '2026-03-02T10:00:00.000Z', segmenting: '2026-03-05T10:00:00.000Z', printing: '2026-03-04T10:00:00.000Z', delivery: '2026-03-06T10:00:00.000Z' }, deliveredAt: '2026-03-06T10:00:00.000Z' });
    expect(turnaround([c]).perStage[2]!.spread.medianHours).toBe(0);
  });
});

describe('cases per month', () => {
  const cases: [string, string[], [string | null, string | null], [string, number][]][] = [
    ['no cases, no range: no months', [], [null, null], []],
    ['no cases in a range: every month, zero', [], ['2026-01-10', '2026-03-05'], [['2026-01', 0], ['2026-02', 0], ['2026-03', 0]]],
    ['one case', ['2026-03-02'], [null, null], [['2026-03', 1]]],
    ['gaps filled with zeros, across a year end', ['2025-11-30', '2026-02-01', '2026-02-28'], [null, null], [['2025-11', 1], ['2025-12', 0], ['2026-01', 0], ['2026-02', 2]]],
  ];
  it.each(cases)('%s', (_name, days, [from, to], expected) => {
    const months = casesPerMonth(days.map((d) => fact({ openedOn: d })), { from, to });
    expect(months.map((m) => [m.month, m.count])).toEqual(expected);
  });

  it('labels months in words', () => {
    expect(casesPerMonth([fact({ openedOn: '2026-12-01' })])[0]!.label).toBe('Dec 2026');
  });

  it(`shows at most the latest ${MAX_MONTHS} months`, () => {
    const months = casesPerMonth([], { from: '2000-01-01', to: '2026-12-31' });
    expect(months).toHaveLength(MAX_MONTHS);
    expect(months.at(-1)!.month).toBe('2026-12');
    expect(months[0]!.month).toBe('2022-01');
  });
});

describe('models vs guides', () => {
  it('counts models, components and guides of cases not cancelled', () => {
    const mix = deliverableMix([fact({ models: 2, components: 5, guides: 0 }), fact({ models: 0, components: 0, guides: 3 }), fact({ models: 1, components: 1, guides: 1, statusKey: 'cancelled', cancelled: true })]);
    expect(mix).toEqual({ models: 2, components: 5, guides: 3, casesWithModels: 1, casesWithGuides: 1 });
  });

  it('no cases: zeros', () => {
    expect(deliverableMix([])).toEqual({ models: 0, components: 0, guides: 0, casesWithModels: 0, casesWithGuides: 0 });
  });
});

describe('effort by registry category', () => {
  type E = CaseFacts['effort']['segmentation'];
  const cases: [string, E[], { cases: number; clinician: number; non: number; unknown: number; total: number }][] = [
    ['nothing recorded', [{ total: null, clinician: null }], { cases: 0, clinician: 0, non: 0, unknown: 0, total: 0 }],
    ['split recorded', [{ total: 120, clinician: 30 }], { cases: 1, clinician: 30, non: 90, unknown: 0, total: 120 }],
    ['all by clinicians', [{ total: 60, clinician: 60 }], { cases: 1, clinician: 60, non: 0, unknown: 0, total: 60 }],
    ['none by clinicians', [{ total: 60, clinician: 0 }], { cases: 1, clinician: 0, non: 60, unknown: 0, total: 60 }],
    ['split unknown', [{ total: 45, clinician: null }], { cases: 1, clinician: 0, non: 0, unknown: 45, total: 45 }],
    ['clinicians’ part above the total: all clinician', [{ total: 30, clinician: 50 }], { cases: 1, clinician: 50, non: 0, unknown: 0, total: 50 }],
    ['clinicians’ part without a total', [{ total: null, clinician: 20 }], { cases: 1, clinician: 20, non: 0, unknown: 0, total: 20 }],
    ['summed over cases', [{ total: 120, clinician: 30 }, { total: 60, clinician: null }, { total: 30, clinician: 30 }], { cases: 3, clinician: 60, non: 90, unknown: 60, total: 210 }],
  ];
  it.each(cases)('%s', (_name, efforts, expected) => {
    const rows = effortByCategory(efforts.map((segmentation) => fact({ effort: { ...NO_EFFORT, segmentation } })));
    const seg = rows.find((r) => r.category === 'segmentation')!;
    expect({ cases: seg.cases, clinician: seg.clinicianMinutes, non: seg.nonClinicianMinutes, unknown: seg.unknownSplitMinutes, total: seg.totalMinutes }).toEqual(expected);
    expect(seg.clinicianMinutes + seg.nonClinicianMinutes + seg.unknownSplitMinutes).toBe(seg.totalMinutes);
  });

  it('one row per registry category, in order, even with no cases', () => {
    expect(effortByCategory([]).map((r) => [r.label, r.totalMinutes])).toEqual([['Consultation', 0], ['Segmentation', 0], ['CAD design', 0], ['Preparation / post-processing', 0]]);
  });

  it('counts effort on cancelled cases (the time was spent)', () => {
    const c = fact({ statusKey: 'cancelled', cancelled: true, effort: { ...NO_EFFORT, consultation: { total: 30, clinician: 15 } } });
    expect(effortByCategory([c])[0]!.totalMinutes).toBe(30);
  });
});

describe('share used in patient care', () => {
  const cases: [string, CaseFacts['use'][], number | null][] = [
    ['no cases', [], null],
    ['nothing delivered yet', [{ yes: 0, no: 0, unknown: 0, notRecorded: 3 }], null],
    ['only “not yet known”', [{ yes: 0, no: 0, unknown: 2, notRecorded: 0 }], null],
    ['all used', [{ yes: 2, no: 0, unknown: 0, notRecorded: 0 }], 1],
    ['3 of 4 known used; unknown ones left out', [{ yes: 2, no: 1, unknown: 5, notRecorded: 0 }, { yes: 1, no: 0, unknown: 0, notRecorded: 0 }], 0.75],
  ];
  it.each(cases)('%s → %s', (_name, uses, share) => {
    expect(useInCare(uses.map((use) => fact({ use }))).share).toBe(share);
  });

  it('leaves cancelled cases out', () => {
    const u = useInCare([fact({ use: { yes: 1, no: 0, unknown: 0, notRecorded: 0 } }), fact({ statusKey: 'cancelled', cancelled: true, use: { yes: 0, no: 4, unknown: 0, notRecorded: 0 } })]);
    expect(u).toEqual({ yes: 1, no: 0, unknown: 0, notRecorded: 0, share: 1 });
  });
});

describe('clinical impact (the registry’s questions, answered at delivery)', () => {
  it('counts only delivered, not cancelled cases; the share of plans changed leaves unanswered ones out; ratings and time saved as medians', () => {
    const facts = [
      delivered([1, 1, 1, 1], { impact: { procedurePerformed: 'yes', planChanged: 'yes', surgeonRating: 5, minutesSaved: 30 } }),
      delivered([1, 1, 1, 1], { impact: { procedurePerformed: 'yes', planChanged: 'no', surgeonRating: 3, minutesSaved: null } }),
      delivered([1, 1, 1, 1], { impact: { procedurePerformed: 'yes', planChanged: 'yes', surgeonRating: 4, minutesSaved: 10 } }),
      delivered([1, 1, 1, 1], { impact: { procedurePerformed: 'no', planChanged: 'unknown', surgeonRating: null, minutesSaved: null } }),
      delivered([1, 1, 1, 1]),
      delivered([1, 1, 1, 1], { statusKey: 'cancelled', cancelled: true, impact: { procedurePerformed: 'yes', planChanged: 'yes', surgeonRating: 1, minutesSaved: 99 } }),
      fact({ impact: { procedurePerformed: 'yes', planChanged: 'yes', surgeonRating: 1, minutesSaved: 99 } }),
    ];
    expect(clinicalImpact(facts)).toEqual({
      delivered: 5,
      answered: 4,
      procedurePerformed: { yes: 3, no: 1 },
      planChanged: { yes: 2, no: 1 },
      planChangedShare: 2 / 3,
      medianRating: 4,
      ratings: 3,
      medianMinutesSaved: 20,
    });
  });

  it('reads the answers from the delivery stage', () => {
    const lab = new Lab();
    let c = lab.build();
    c = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: { procedurePerformed: 'yes', planChanged: 'no', surgeonRating: 4, minutesSaved: 15 } });
    expect(caseFacts(c, statusKey(deriveStatus(c))).impact).toEqual({ procedurePerformed: 'yes', planChanged: 'no', surgeonRating: 4, minutesSaved: 15 });
  });
});

describe('the whole dashboard', () => {
  it('no cases at all', () => {
    const d = computeDashboard([], { from: null, to: null }, '2026-03-15');
    expect(d.cases).toBe(0);
    expect(d.open).toBe(0);
    expect(d.overdue).toEqual([]);
    expect(d.perMonth).toEqual([]);
    expect(d.useInCare.share).toBeNull();
    expect(d.turnaround.orderToDelivery.medianHours).toBeNull();
  });

  it('counts only cases opened within the range, for every figure', () => {
    const march = delivered([24, 24, 24, 24], { openedOn: '2026-03-02' });
    const april = fact({ openedOn: '2026-04-02', statusKey: 'printing', dateNeeded: '2026-04-03' });
    const d = computeDashboard([march, april], { from: '2026-03-01', to: '2026-03-31' }, '2026-04-10');
    expect(d.cases).toBe(1);
    expect(d.open).toBe(1); // ready for billing is still open
    expect(d.overdue).toEqual([]);
    expect(d.perMonth.map((m) => [m.month, m.count])).toEqual([['2026-03', 1]]);
    expect(d.turnaround.orderToDelivery.medianHours).toBe(96);
    const all = computeDashboard([march, april], { from: null, to: null }, '2026-04-10');
    expect(all.overdue.map((o) => o.caseNumber)).toEqual([april.caseNumber]);
  });
});

describe('facts from a case (clear part only)', () => {
  const factsOf = (c: Case, clock?: DayClock) => caseFacts(splitPhi(c).clear, statusKey(deriveStatus(c)), clock);

  it('a case just opened: nothing finished, nothing delivered', () => {
    const lab = new Lab();
    const c = lab.build({ through: 'opened' });
    const f = factsOf(c);
    expect(f).toMatchObject({ statusKey: 'imaging', openedAt: c.createdAt, openedOn: c.createdAt.slice(0, 10), cancelled: false, models: 1, components: 1, guides: 0, stageDone: {}, deliveredAt: null });
    expect(f.use).toEqual({ yes: 0, no: 0, unknown: 0, notRecorded: 1 });
  });

  it('a delivered case: signed stages finish at their signature, others at their last tick; delivery at the recorded time', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Kidney', ['Kidney', 'Tumour']), lab.guide('Guide')], use: 'yes', deliveredAt: '2026-03-10T07:30' });
    const f = factsOf(c);
    expect(f.statusKey).toBe('ready-for-billing');
    expect(f.stageDone.imaging).toBe(c.stages.imaging.signature!.signedAt);
    expect(f.stageDone.segmenting).toBe(c.stages.segmenting.signature!.signedAt);
    expect(f.stageDone.printing).toBe(c.stages.printing.checklist.labelled!.at);
    expect(f.stageDone.delivery).toBe(c.stages.delivery.checklist.handedOver!.at);
    expect(f.deliveredAt).toBe('2026-03-10T07:30:00.000Z');
    expect(f).toMatchObject({ models: 1, components: 2, guides: 1, use: { yes: 2, no: 0, unknown: 0, notRecorded: 0 } });
    expect(f.effort.segmentation).toEqual({ total: 120, clinician: null });
  });

  it('reads "Delivered at" and the opening day through the clock it is given', () => {
    const lab = new Lab();
    const c = lab.build({ deliveredAt: '2026-03-10T07:30' });
    const plusTwo: DayClock = { dayOf: () => '2026-03-03', fromLocal: (l) => new Date(Date.parse(`${l}:00Z`) - 2 * 3_600_000).toISOString() };
    expect(factsOf(c, plusTwo)).toMatchObject({ openedOn: '2026-03-03', deliveredAt: '2026-03-10T05:30:00.000Z' });
    expect(UTC_CLOCK.fromLocal('not a time')).toBeNull();
  });

  it('a cancelled case has no finished stages', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'segmenting' });
    c = lab.apply(c, { type: 'cancel', reason: 'Surgery cancelled' });
    expect(factsOf(c)).toMatchObject({ statusKey: 'cancelled', cancelled: true, stageDone: {} });
  });

  it('demo cases give a full dashboard', () => {
    let id = 0;
    const rng = seededRng(2019);
    const facts = Array.from({ length: 12 }, (_, i) => {
      const g = generateCase(rng, { index: i, openedAt: `2026-0${1 + (i % 3)}-1${i % 9}T09:00:00.000Z`, technician: tech, radiologist: rad, progress: i % 6, newId: () => `id-${id++}`, caseNumber: `PP-${i}` });
      return factsOf(g.case);
    });
    const d = computeDashboard(facts, { from: null, to: null }, '2026-12-31');
    expect(d.cases).toBe(12);
    expect(d.perMonth.map((m) => m.count)).toEqual([4, 4, 4]);
    expect(d.turnaround.orderToDelivery.count).toBe(4);
    expect(d.turnaround.perStage.map((s) => s.spread.count)).toEqual([10, 8, 6, 4]);
    expect(d.effort.every((e) => e.totalMinutes > 0 || e.category === 'cad')).toBe(true);
    expect(d.effort.find((e) => e.category === 'segmentation')!.cases).toBe(8);
    expect(d.useInCare.yes).toBeGreaterThan(0);
  });
});

describe('totals per day, kept as cases change', () => {
  const sorted = (t: Totals) => JSON.parse(JSON.stringify(t), (_k, v: unknown) => (Array.isArray(v) ? [...v].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : v)) as Totals;
  const cases = [delivered([5, 10, 20, 3]), delivered([5, 10, 20, 3]), fact({ statusKey: 'printing' }), delivered([1, 2, 3, 4], { statusKey: 'cancelled', cancelled: true }), fact({ effort: { ...NO_EFFORT, cad: { total: 90, clinician: 30 } }, impact: { ...NO_IMPACT, surgeonRating: 4 } })];

  it('taking a case’s tally away leaves the totals of the others; an equal value is taken once', () => {
    const all = cases.reduce((t, f) => accumulate(t, tally(f)), noTotals());
    const withoutFirst = accumulate(structuredClone(all), tally(cases[0]!), -1);
    expect(sorted(withoutFirst)).toEqual(sorted(sumDays(daysOf(cases.slice(1)))));
    expect(withoutFirst.orderToDelivery).toEqual([38]);
  });

  it('a case changed: its day loses the old tally and gains the new one, as if summed afresh', () => {
    const before = fact({ statusKey: 'printing', id: 'moving' });
    const after = delivered([2, 2, 2, 2], { id: 'moving' });
    const day = accumulate(accumulate([...cases, before].reduce((t, f) => accumulate(t, tally(f)), noTotals()), tally(before), -1), tally(after));
    expect(sorted(day)).toEqual(sorted(sumDays(daysOf([...cases, after]))));
    expect(day.inStage.map((e) => readInStage(e).id)).not.toContain('moving');
  });
});
