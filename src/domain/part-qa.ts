// Dimensional QA per printed part: each model component and each guide is measured
// (what, nominal, measured, tolerance, in mm) before it leaves. A measurement passes
// when |measured − nominal| ≤ tolerance; a check passes when all its measurements do.
// The latest check of a part is the one that counts: a failed one blocks the printing
// stage (and so delivery) until the part is reprinted and measured again with a pass,
// or a radiologist or lab admin accepts it with a reason.
//
// Cases recorded before per-part QA carry one figure for the whole case (the printing
// stage's legacy fields qaMeasuredErrorMm / qaToleranceMm): they keep it, shown as such,
// and need no per-part check. Digital models are not printed and need none.
// Pure: who and when come from the command's actor and clock.
import type { Case, Deliverable } from './case';
import type { UserId } from './ids';
import { LEGACY_QA_HINT } from './stages';

export type QaMeasurement = {
  /** What was measured, e.g. "Length of the cutting slot". */
  what: string;
  nominalMm: number;
  measuredMm: number;
  toleranceMm: number;
};

export type QaAcceptance = { at: string; by: UserId; byName: string; reason: string };

export type PartQaCheck = {
  id: string;
  /** A model component's id or a guide's id. */
  partId: string;
  measurements: QaMeasurement[];
  at: string;
  by: UserId;
  byName: string;
  /** Measured after the part was printed again. Absent otherwise. */
  reprinted?: true;
  /** A person accepted the part although a measurement is out of tolerance. Absent otherwise. */
  accepted?: QaAcceptance;
};

/** A part that is printed and measured: a component of a printed model, or a guide. */
export type PrintedPart = { id: string; name: string };

const isDigital = (d: Deliverable) => d.kind === 'model' && d.digital === true;

export function printedParts(c: Pick<Case, 'deliverables'>): PrintedPart[] {
  return c.deliverables.flatMap((d) =>
    isDigital(d) ? [] : d.kind === 'guide' ? [{ id: d.id, name: d.name }] : d.components.map((p) => ({ id: p.id, name: `${d.name} – ${p.structure}` })),
  );
}

export const checksOf = (c: Pick<Case, 'partQa'>): PartQaCheck[] => c.partQa ?? [];

// Measured to the hundredth of a millimetre: compared in micrometres, so 10.05 against 10 ± 0.05 passes.
const microns = (mm: number) => Math.round(mm * 1000);
export const deviationMm = (m: Pick<QaMeasurement, 'nominalMm' | 'measuredMm'>) => Math.abs(microns(m.measuredMm) - microns(m.nominalMm)) / 1000;
export const measurementPasses = (m: QaMeasurement) => microns(deviationMm(m)) <= microns(m.toleranceMm);
export const checkPasses = (check: Pick<PartQaCheck, 'measurements'>) => check.measurements.every(measurementPasses);

export type PartQaState =
  | { state: 'not-checked' }
  | { state: 'passed'; check: PartQaCheck }
  | { state: 'failed'; check: PartQaCheck; failing: QaMeasurement[] }
  | { state: 'accepted'; check: PartQaCheck; failing: QaMeasurement[] };

/** The state of a part: its latest check counts. */
export function partQaState(c: Pick<Case, 'partQa'>, partId: string): PartQaState {
  const check = checksOf(c).findLast((x) => x.partId === partId);
  if (!check) return { state: 'not-checked' };
  const failing = check.measurements.filter((m) => !measurementPasses(m));
  if (failing.length === 0) return { state: 'passed', check };
  return check.accepted ? { state: 'accepted', check, failing } : { state: 'failed', check, failing };
}

/**
 * The largest deviation among the latest checks of a deliverable's printed parts, with the
 * tolerance it was held to (the registry's one figure per object); null when none was measured.
 */
export function largestDeviation(c: Pick<Case, 'partQa'>, d: Deliverable): { deviationMm: number; toleranceMm: number } | null {
  const ids = isDigital(d) ? [] : d.kind === 'guide' ? [d.id] : d.components.map((p) => p.id);
  let worst: { deviationMm: number; toleranceMm: number } | null = null;
  for (const id of ids) {
    const s = partQaState(c, id);
    if (s.state === 'not-checked') continue;
    for (const m of s.check.measurements) if (!worst || deviationMm(m) > worst.deviationMm) worst = { deviationMm: deviationMm(m), toleranceMm: m.toleranceMm };
  }
  return worst;
}

export const mm = (n: number) => `${n} mm`;
/** "Slot length: 40.3 mm against 40 ± 0.2 mm (off by 0.3 mm) — fail" */
export const measurementText = (m: QaMeasurement) =>
  `${m.what}: ${mm(m.measuredMm)} against ${m.nominalMm} ± ${mm(m.toleranceMm)} (off by ${mm(deviationMm(m))}) — ${measurementPasses(m) ? 'pass' : 'fail'}`;

/** The case's single QA figure from before per-part QA, or null when it recorded none. */
export function legacyQaFigure(c: Pick<Case, 'stages'>): { measuredMm: number | null; toleranceMm: number | null } | null {
  const v = c.stages.printing.values;
  const num = (x: unknown) => (typeof x === 'number' ? x : null);
  const measuredMm = num(v.qaMeasuredErrorMm), toleranceMm = num(v.qaToleranceMm);
  return measuredMm === null && toleranceMm === null ? null : { measuredMm, toleranceMm };
}

export const ACCEPTERS = ['radiologist', 'admin'] as const;

/** What the printing stage still needs for its parts' QA. */
export function partQaBlockers(c: Pick<Case, 'deliverables' | 'partQa' | 'stages'>): string[] {
  const legacy = legacyQaFigure(c) !== null;
  return printedParts(c).flatMap((p) => {
    const s = partQaState(c, p.id);
    if (s.state === 'not-checked') return legacy ? [] : [`${p.name}: record its dimensional QA (what was measured, nominal, measured, tolerance)`];
    if (s.state !== 'failed') return [];
    const m = s.failing[0]!;
    return [`${p.name}: QA out of tolerance (${m.what}: ${mm(m.measuredMm)} against ${m.nominalMm} ± ${mm(m.toleranceMm)}): reprint it and measure again, or a radiologist or lab admin accepts it with a reason`];
  });
}

export type PartQaLine = {
  partId: string;
  part: string;
  /** "Passed", "FAILED — blocks delivery", "Accepted out of tolerance", "Not checked yet". */
  status: string;
  ok: boolean;
  checks: { heading: string; measurements: string[]; accepted: string | null }[];
};

export type PartQaSummary = {
  /** The single figure of a case recorded before per-part QA, in words; null otherwise. */
  legacy: string | null;
  parts: PartQaLine[];
  /** Said when nothing is printed (digital models only). */
  none: string | null;
};

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export function legacyQaText(c: Pick<Case, 'stages'>): string | null {
  const f = legacyQaFigure(c);
  if (!f) return null;
  const shown = (n: number | null) => (n === null ? 'not recorded' : mm(n));
  const verdict = f.measuredMm !== null && f.toleranceMm !== null ? (microns(f.measuredMm) <= microns(f.toleranceMm) ? ' — within tolerance' : ' — over the tolerance') : '';
  return `${LEGACY_QA_HINT}: largest measured deviation ${shown(f.measuredMm)}, accepted tolerance ${shown(f.toleranceMm)}${verdict}`;
}

const STATUS: Record<PartQaState['state'], string> = {
  'not-checked': 'Not checked yet',
  passed: 'Passed',
  failed: 'FAILED — blocks delivery',
  accepted: 'Accepted out of tolerance',
};

/** Per-part QA in words, for the PDF and the review. */
export function partQaSummary(c: Pick<Case, 'deliverables' | 'partQa' | 'stages'>): PartQaSummary {
  const parts = printedParts(c);
  const legacy = legacyQaText(c);
  return {
    legacy,
    none: parts.length === 0 && c.deliverables.length > 0 ? 'No printed parts: digital models need no dimensional QA' : null,
    parts: parts
      // A case with only the legacy figure lists no unchecked parts: they were measured as one.
      .filter((p) => !(legacy && partQaState(c, p.id).state === 'not-checked'))
      .map((p) => {
        const state = partQaState(c, p.id);
        return {
          partId: p.id,
          part: p.name,
          status: STATUS[state.state],
          ok: state.state === 'passed' || state.state === 'accepted',
          checks: checksOf(c)
            .filter((x) => x.partId === p.id)
            .map((x) => ({
              heading: `${checkPasses(x) ? 'Pass' : 'Fail'}${x.reprinted ? ' (reprinted)' : ''} — measured by ${x.byName}, ${utc(x.at)}`,
              measurements: x.measurements.map(measurementText),
              accepted: x.accepted ? `Accepted by ${x.accepted.byName}, ${utc(x.accepted.at)}: “${x.accepted.reason}”` : null,
            })),
        };
      }),
  };
}
