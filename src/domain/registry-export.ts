// The de-identified registry export: one CSV row per model or guide, with columns
// grouped like the ACR–RSNA 3D Printing Registry case form (indication, imaging,
// digital model, physical model, print, use in care, effort, assessment).
//
// De-identified by the HIPAA Safe Harbor method (45 CFR 164.514(b)(2)): no names,
// no MRN, accession number, UID, case number or id, no date element but the year,
// ages over 89 as "90+", and no free text (notes, indication wording, feedback),
// which may hold any of these. Short labels typed by the lab (structures, region,
// printer, materials, software) are exported, after removing anything in them that
// matches the case's own identifiers. Rows are numbered at random per export, so
// a row cannot be matched to a case on the tablet. Column meanings: docs/exports.md.
// Pure: the random source is passed in.
import type { Case, Deliverable, FieldValue, StageId } from './case';
import { EFFORT, type EffortCategory, type EffortDef } from './stages';
import { deriveStatus, deliverableUse, isBlank, statusKey } from './workflow';
import { largestDeviation } from './part-qa';

export type RegistryScope = 'delivered' | 'all';

export type RegistryColumn = { key: string; section: RegistrySection };
export type RegistrySection = 'Case' | 'Indication' | 'Imaging' | 'Digital model' | 'Physical model' | 'Print' | 'Use in care' | 'Effort' | 'Assessment';

type Ctx = { c: Case; d: Deliverable | null; objectNumber: number; objects: number; caseRef: number; scrub: (s: string) => string };

/** A stage field as text: '' when not applicable, 'unknown' when applicable but not recorded. */
const val = (c: Case, stage: StageId, key: string): FieldValue | undefined => c.stages[stage].values[key];
const known = (v: FieldValue | undefined) => (v === undefined || isBlank(v) ? 'unknown' : String(v));
const yearOf = (v: FieldValue | undefined) => (typeof v === 'string' && /^\d{4}-/.test(v) ? v.slice(0, 4) : 'unknown');
const list = (xs: readonly string[]) => xs.map((x) => x.trim()).filter(Boolean).join('; ');

/** Whole years between two YYYY-MM-DD dates; null when either is not a date. */
export function ageInYears(dateOfBirth: string, on: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})/.exec(dateOfBirth), o = /^(\d{4})-(\d{2})-(\d{2})/.exec(on);
  if (!b || !o) return null;
  const age = Number(o[1]) - Number(b[1]) - (`${o[2]}${o[3]}` < `${b[2]}${b[3]}` ? 1 : 0);
  return age >= 0 ? age : null;
}

/** Safe Harbor: ages over 89 are one category. */
export function safeHarborAge(age: number | null): string {
  if (age === null) return 'unknown';
  return age >= 90 ? '90+' : String(age);
}

const TRANSPARENT = /\b(clear|transparent|translucent)|veroclear|med610/i;

/** Known only when a part's colour or material says it is see-through (e.g. "clear", VeroClear); else unknown. */
function opticalProperty(d: Deliverable): string {
  const texts = d.kind === 'model' ? d.components.flatMap((p) => [p.colour, p.material]) : [d.material];
  return texts.some((t) => TRANSPARENT.test(t)) ? 'transparent' : 'unknown';
}

/**
 * Effort by registry category (the stage table's EFFORT): the total minutes, and the
 * clinician and non-clinician parts when the clinician part is recorded ('unknown' otherwise).
 */
function effort(c: Case, e: EffortDef): { total: string; clinician: string; nonClinician: string } {
  const total = val(c, e.stage, e.totalKey), clinician = val(c, e.stage, e.clinicianKey);
  const t = typeof total === 'number' ? total : null, k = typeof clinician === 'number' ? clinician : null;
  return {
    total: t === null ? 'unknown' : String(t),
    clinician: k === null ? 'unknown' : String(k),
    nonClinician: t === null || k === null || k > t ? 'unknown' : String(t - k),
  };
}

const SNAKE: Record<EffortCategory, string> = { consultation: 'consultation', segmentation: 'segmentation', cad: 'cad', postProcessing: 'post_processing' };

type ColumnDef = RegistryColumn & { value: (x: Ctx) => string };

const model = (x: Ctx) => (x.d?.kind === 'model' ? x.d : null);
const guide = (x: Ctx) => (x.d?.kind === 'guide' ? x.d : null);

const COLUMNS: readonly ColumnDef[] = [
  { key: 'case_ref', section: 'Case', value: (x) => String(x.caseRef) },
  { key: 'object_number', section: 'Case', value: (x) => (x.d ? String(x.objectNumber) : '') },
  { key: 'objects_in_case', section: 'Case', value: (x) => String(x.objects) },
  { key: 'order_year', section: 'Case', value: (x) => yearOf(x.c.createdAt) },
  { key: 'case_status', section: 'Case', value: (x) => statusKey(deriveStatus(x.c)) },
  // Kept in the file (a lab may want the whole shape of its data), but never mistaken for a patient.
  { key: 'demo', section: 'Case', value: (x) => (x.c.demo ? 'yes' : 'no') },

  { key: 'icd10', section: 'Indication', value: (x) => x.c.order.icd10 || 'unknown' },
  { key: 'anatomic_region', section: 'Indication', value: (x) => x.scrub(x.c.order.anatomicRegion) || 'unknown' },
  { key: 'structures_ordered', section: 'Indication', value: (x) => x.scrub(list(x.c.order.structures)) },
  { key: 'patient_age', section: 'Indication', value: (x) => safeHarborAge(ageInYears(x.c.phi.dateOfBirth, x.c.createdAt)) },
  { key: 'patient_sex', section: 'Indication', value: (x) => x.c.phi.sex || 'unknown' },
  { key: 'priority', section: 'Indication', value: (x) => x.c.order.priority },
  // The rating and its year only: the scenario is free text.
  { key: 'appropriateness_rating', section: 'Indication', value: (x) => (x.c.order.appropriatenessRating === undefined ? 'unknown' : String(x.c.order.appropriatenessRating)) },
  { key: 'appropriateness_criteria_year', section: 'Indication', value: (x) => (x.c.order.criteriaYear === undefined ? 'unknown' : String(x.c.order.criteriaYear)) },

  { key: 'imaging_modality', section: 'Imaging', value: (x) => known(val(x.c, 'imaging', 'modality')) },
  { key: 'imaging_year', section: 'Imaging', value: (x) => yearOf(val(x.c, 'imaging', 'studyDate')) },
  { key: 'slice_thickness_mm', section: 'Imaging', value: (x) => known(val(x.c, 'imaging', 'sliceThicknessMm')) },
  { key: 'contrast_phase', section: 'Imaging', value: (x) => known(val(x.c, 'imaging', 'contrastPhase')) },

  { key: 'object_type', section: 'Digital model', value: (x) => (x.d ? (x.d.kind === 'model' ? 'anatomic_model' : 'anatomic_guide') : 'none') },
  { key: 'guide_type', section: 'Digital model', value: (x) => guide(x)?.guideType ?? '' },
  { key: 'part_count', section: 'Digital model', value: (x) => (model(x) ? String(model(x)!.components.length) : '') },
  { key: 'anatomic_parts', section: 'Digital model', value: (x) => x.scrub(list(model(x)?.components.map((p) => p.structure) ?? [])) },
  { key: 'segmentation_software', section: 'Digital model', value: (x) => x.scrub(softwareText(x.c, 'software', 'softwareVersion')) },
  { key: 'cad_software', section: 'Digital model', value: (x) => x.scrub(softwareText(x.c, 'cadSoftware', null)) },

  { key: 'copies', section: 'Physical model', value: (x) => (model(x) ? String(model(x)!.copies) : '') },
  { key: 'optical_property', section: 'Physical model', value: (x) => (x.d ? opticalProperty(x.d) : '') },
  { key: 'part_colours', section: 'Physical model', value: (x) => x.scrub(list(model(x)?.components.map((p) => p.colour || 'unknown') ?? [])) },

  { key: 'printer', section: 'Print', value: (x) => x.scrub(known(val(x.c, 'printing', 'printer'))) },
  { key: 'print_technology', section: 'Print', value: (x) => known(val(x.c, 'printing', 'technology')) },
  { key: 'materials', section: 'Print', value: (x) => x.scrub(list(x.d ? (x.d.kind === 'model' ? x.d.components.map((p) => p.material || 'unknown') : [x.d.material || 'unknown']) : [])) },
  { key: 'scale_percent', section: 'Print', value: (x) => known(val(x.c, 'printing', 'scalePercent')) },
  { key: 'print_hours', section: 'Print', value: (x) => known(val(x.c, 'printing', 'printHours')) },
  // The single figure of a case recorded before per-part QA, else the object's largest deviation measured per part.
  { key: 'qa_max_deviation_mm', section: 'Print', value: (x) => known(val(x.c, 'printing', 'qaMeasuredErrorMm') ?? (x.d ? largestDeviation(x.c, x.d)?.deviationMm : undefined)) },
  { key: 'qa_tolerance_mm', section: 'Print', value: (x) => known(val(x.c, 'printing', 'qaToleranceMm') ?? (x.d ? largestDeviation(x.c, x.d)?.toleranceMm : undefined)) },

  { key: 'used_in_care', section: 'Use in care', value: (x) => (x.d ? known(deliverableUse(x.c, x.d)) : '') },
  { key: 'delivery_year', section: 'Use in care', value: (x) => yearOf(val(x.c, 'delivery', 'deliveredAt')) },
  { key: 'sterilization_method', section: 'Use in care', value: (x) => (guide(x) ? known(val(x.c, 'delivery', 'sterilizationMethod')) : '') },

  ...EFFORT.flatMap((e): ColumnDef[] => [
    { key: `effort_${SNAKE[e.id]}_minutes`, section: 'Effort', value: (x) => effort(x.c, e).total },
    { key: `effort_${SNAKE[e.id]}_clinician_minutes`, section: 'Effort', value: (x) => effort(x.c, e).clinician },
    { key: `effort_${SNAKE[e.id]}_non_clinician_minutes`, section: 'Effort', value: (x) => effort(x.c, e).nonClinician },
  ]),

  { key: 'clinician_feedback', section: 'Assessment', value: (x) => (isBlank(val(x.c, 'delivery', 'feedback')) ? 'not recorded' : 'recorded') },
  { key: 'procedure_performed', section: 'Assessment', value: (x) => known(val(x.c, 'delivery', 'procedurePerformed')) },
  { key: 'plan_changed', section: 'Assessment', value: (x) => known(val(x.c, 'delivery', 'planChanged')) },
  { key: 'surgeon_rating', section: 'Assessment', value: (x) => known(val(x.c, 'delivery', 'surgeonRating')) },
  { key: 'minutes_saved', section: 'Assessment', value: (x) => known(val(x.c, 'delivery', 'minutesSaved')) },
];

export const REGISTRY_COLUMNS: readonly RegistryColumn[] = COLUMNS.map(({ key, section }) => ({ key, section }));

function softwareText(c: Case, nameKey: string, versionKey: string | null): string {
  const name = val(c, 'segmenting', nameKey);
  if (isBlank(name)) return 'unknown';
  const version = versionKey ? val(c, 'segmenting', versionKey) : null;
  return isBlank(version) ? String(name) : `${name} ${version}`;
}

// ── Identifier scrubbing (defence in depth for the exported labels) ──────────

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/ł/g, 'l').replace(/ø/g, 'o').replace(/đ/g, 'd');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const REMOVED = '[removed]';

/** Removes the case's own identifiers from a label: names (word by word, accents ignored), MRN, numbers, ids, dates. */
export function identifierScrubber(c: Case): (text: string) => string {
  const exact = [c.phi.mrn, c.caseNumber, c.id, c.phi.dateOfBirth, c.phi.patientName, ...stringValues(c, 'imaging', ['accessionNumber', 'studyInstanceUid'])]
    .map((s) => s.trim())
    .filter((s) => s.length >= 3)
    .sort((a, b) => b.length - a.length);
  const exactRe = exact.length ? new RegExp(exact.map(escape).join('|'), 'gi') : null;
  const nameWords = new Set(fold(c.phi.patientName).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2));
  return (text) => {
    const t = exactRe ? text.replace(exactRe, REMOVED) : text;
    return t.replace(/[\p{L}\p{M}\p{N}]+/gu, (w) => (nameWords.has(fold(w)) ? REMOVED : w));
  };
}

function stringValues(c: Case, stage: StageId, keys: string[]): string[] {
  return keys.map((k) => val(c, stage, k)).filter((v): v is string => typeof v === 'string');
}

// ── Rows and CSV ─────────────────────────────────────────────────────────────

const DELIVERED = new Set(['awaiting-use', 'ready-for-billing', 'closed']);

export function inScope(c: Case, scope: RegistryScope): boolean {
  return scope === 'all' || DELIVERED.has(statusKey(deriveStatus(c)));
}

/** Fisher–Yates with the given random source: the export's order (and so its numbers) says nothing about the cases. */
function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export type RegistryExport = { header: string[]; rows: string[][]; cases: number; demoCases: number };

export function registryRows(cases: readonly Case[], o: { scope: RegistryScope; random: () => number }): RegistryExport {
  const chosen = shuffled(cases.filter((c) => inScope(c, o.scope)), o.random);
  const rows: string[][] = [];
  chosen.forEach((c, i) => {
    const scrub = identifierScrubber(c);
    const objects: (Deliverable | null)[] = c.deliverables.length ? c.deliverables : [null];
    objects.forEach((d, k) => {
      const x: Ctx = { c, d, objectNumber: k + 1, objects: c.deliverables.length, caseRef: i + 1, scrub };
      rows.push(COLUMNS.map((col) => col.value(x)));
    });
  });
  return { header: COLUMNS.map((col) => col.key), rows, cases: chosen.length, demoCases: chosen.filter((c) => c.demo).length };
}

/**
 * A spreadsheet runs a cell that starts with =, +, -, @ (or a tab/CR) as a formula:
 * such a text cell gets a leading apostrophe (OWASP "CSV injection").
 */
const defuse = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

/** RFC 4180: CRLF line ends; a field with a comma, quote or line break is quoted, quotes doubled. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  const field = (raw: string) => {
    const s = defuse(raw);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

export function registryCsv(cases: readonly Case[], o: { scope: RegistryScope; random: () => number }): { csv: string; cases: number; rows: number; demoCases: number } {
  const { header, rows, cases: n, demoCases } = registryRows(cases, o);
  return { csv: toCsv([header, ...rows]), cases: n, rows: rows.length, demoCases };
}
