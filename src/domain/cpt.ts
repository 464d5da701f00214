// CPT Category III suggestion for 3D-printed anatomic models and guides.
// The code table is data (an admin can edit dates and wording); the rules are
// here. Only deliverables used in the patient's care count.
import { ENCOUNTER_LABELS, type Case, type Deliverable, type Encounter } from './case';
import { deriveStatus, deliverableUse, isPrinted, type Distrusted } from './workflow';

/** `segmentation`: a surface mesh delivered as a file, not printed (C8001). */
export type CodeFamily = 'model' | 'guide' | 'segmentation';

export type CodeDef = {
  code: string;
  family: CodeFamily;
  addOn: boolean;
  /** Our own short wording; the AMA's descriptor is licensed text an admin may paste in. */
  description: string;
  effectiveFrom: string; // YYYY-MM-DD
  effectiveTo: string | null; // last day, or null when no sunset is recorded
  /** Medically unlikely edits: the most units per patient per date of service, by dated period. */
  mue: MuePeriod[];
  /** The one encounter setting the code is paid in; absent when any setting may report it. */
  setting?: Encounter;
};

/** `to`: last day, or null when still in force. */
export type MuePeriod = { units: number; from: string; to: string | null };

/** A lab admin's note of a payer's position on the codes (e.g. "considers 0559T–0562T experimental/investigational"). */
export type PayerNote = { payer: string; note: string };

export type CodeTable = { version: string; codes: CodeDef[]; payerNotes: PayerNote[] };

// MUEs: CMS Medicare NCCI MUEs of 1 April 2026 (ACR news, 5 March 2026) raised 0560T to 5 and 0562T to 2.
const MUE_RAISED = '2026-04-01';
const DEFAULT_MUE: Record<string, MuePeriod[]> = {
  '0559T': [{ units: 1, from: '2019-07-01', to: null }],
  '0560T': [{ units: 1, from: '2019-07-01', to: '2026-03-31' }, { units: 5, from: MUE_RAISED, to: null }],
  '0561T': [{ units: 1, from: '2019-07-01', to: null }],
  '0562T': [{ units: 1, from: '2019-07-01', to: '2026-03-31' }, { units: 2, from: MUE_RAISED, to: null }],
};

export const DEFAULT_CODE_TABLE: CodeTable = {
  version: MUE_RAISED,
  codes: [
    { code: '0559T', family: 'model', addOn: false, description: '3D-printed anatomic model from image data: first individually prepared and processed component', effectiveFrom: '2019-07-01', effectiveTo: null, mue: DEFAULT_MUE['0559T']! },
    { code: '0560T', family: 'model', addOn: true, description: 'each additional individually prepared and processed component (add-on to 0559T)', effectiveFrom: '2019-07-01', effectiveTo: null, mue: DEFAULT_MUE['0560T']! },
    { code: '0561T', family: 'guide', addOn: false, description: '3D-printed anatomic guide designed from image data: first guide', effectiveFrom: '2019-07-01', effectiveTo: null, mue: DEFAULT_MUE['0561T']! },
    { code: '0562T', family: 'guide', addOn: true, description: 'each additional anatomic guide (add-on to 0561T)', effectiveFrom: '2019-07-01', effectiveTo: null, mue: DEFAULT_MUE['0562T']! },
    // HCPCS 2025 (ACR Bulletin, 2 September 2025); paid under the hospital outpatient prospective payment system.
    { code: 'C8001', family: 'segmentation', addOn: false, description: 'anatomical segmentation imaging producing surface mesh files (digital model, not printed)', effectiveFrom: '2025-01-01', effectiveTo: null, mue: [], setting: 'hospital-outpatient' },
  ],
  payerNotes: [],
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isMuePeriod = (v: unknown): v is MuePeriod =>
  isRecord(v) && Number.isInteger(v.units) && (v.units as number) >= 0 && isDay(v.from) && (v.to === null || isDay(v.to));

/**
 * A stored code table (as saved by an older version, or edited by an admin) brought to
 * today's shape: what the admin set is kept; a code without MUEs gets the default MUEs for
 * that code (none for a code the defaults do not know); a family of default codes it lacks
 * entirely is added; a table without payer notes gets none.
 * Anything that is not a code table at all gives the defaults.
 */
export function migrateCodeTable(stored: unknown): CodeTable {
  if (!isRecord(stored) || !Array.isArray(stored.codes) || typeof stored.version !== 'string') return DEFAULT_CODE_TABLE;
  const codes = (stored.codes as CodeDef[]).map((def) => {
    const own: unknown = (def as Partial<CodeDef>).mue;
    const mue = Array.isArray(own) && own.every(isMuePeriod) ? own : (DEFAULT_MUE[def.code] ?? []);
    return { ...def, mue: mue.map((p) => ({ ...p })) };
  });
  // A family of codes added to the defaults since the table was saved (digital models, C8001) joins it;
  // the families it has stay as the admin left them, removed codes included.
  const families = new Set(codes.map((c) => c.family));
  for (const def of DEFAULT_CODE_TABLE.codes) if (!families.has(def.family)) codes.push({ ...def, mue: def.mue.map((p) => ({ ...p })) });
  const notes: unknown = stored.payerNotes;
  const payerNotes = Array.isArray(notes)
    ? notes.filter((n): n is PayerNote => isRecord(n) && typeof n.payer === 'string' && typeof n.note === 'string').map((n) => ({ payer: n.payer, note: n.note }))
    : [];
  return { version: stored.version, codes, payerNotes };
}

/** The MUE period in force on a date of service; with no date yet, the latest period. */
export function mueOn(def: Pick<CodeDef, 'mue'>, date: string | null): MuePeriod | null {
  if (date === null) return def.mue.find((p) => p.to === null) ?? def.mue[def.mue.length - 1] ?? null;
  return def.mue.find((p) => p.from <= date && (p.to === null || date <= p.to)) ?? null;
}

export const MUE_CONSEQUENCE = 'Units above the MUE are denied unless appealed with documentation.';

export const CPT_DISCLAIMER = 'Suggested — verify with your coder. No payment amounts are shown; payers decide coverage.';

export type MueCheck = { limit: number; from: string; to: string | null; over: number };

/**
 * `serviceDate` and `mue`: absent on suggestions frozen before MUEs were checked.
 * `units` is always the full count, also above the MUE (the appeal needs it).
 */
export type CptLine = { code: string; units: number; description: string; reason: string; serviceDate?: string | null; mue?: MueCheck | null };

export type CptSuggestion = {
  /** final: all counted deliverables known used and delivery complete; provisional: not yet; none: nothing billable. */
  state: 'final' | 'provisional' | 'none';
  lines: CptLine[];
  reasons: string[];
  warnings: string[];
  /** The earliest date of service (the only one when all was delivered the same day). */
  serviceDate: string | null;
  /** Every date of service, in order; absent on suggestions frozen before grouping by date. */
  serviceDates?: string[];
  codeTableVersion: string;
};

/**
 * A deliverable's date of service: its own delivery date where one is recorded for it,
 * else the delivery stage's date; null while not delivered.
 */
export function dateOfService(c: Pick<Case, 'stages'>, d: Pick<Deliverable, 'id'>): string | null {
  const own = c.stages.delivery.perDeliverable[d.id]?.deliveredAt;
  const stage = c.stages.delivery.values.deliveredAt;
  const at = typeof own === 'string' && own ? own : typeof stage === 'string' && stage ? stage : null;
  return at ? at.slice(0, 10) : null;
}

/** Items grouped by date of service, earliest first; undated items last, as one group. */
export function groupByDateOfService<T>(items: readonly T[], dateOf: (item: T) => string | null): { date: string | null; items: T[] }[] {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    const date = dateOf(item);
    groups.set(date, [...(groups.get(date) ?? []), item]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([date, group]) => ({ date, items: group }));
}

const RENDERING_CODES = /\b7637[67]\b/;

function countable(c: Case, provisional: boolean): Deliverable[] {
  return c.deliverables.filter((d) => {
    const use = deliverableUse(c, d);
    return use === 'yes' || (provisional && use !== 'no');
  });
}

function familyLines(family: CodeFamily, count: number, noun: string, table: CodeTable, warnings: string[], date: string | null, onDate: string): CptLine[] {
  if (count < 1) return [];
  const primary = table.codes.find((x) => x.family === family && !x.addOn);
  const addOn = table.codes.find((x) => x.family === family && x.addOn);
  if (!primary) {
    warnings.push(`The code table has no primary code for ${noun}s: no ${noun} code can be suggested.`);
    return [];
  }
  const line = (def: CodeDef, units: number, reason: string): CptLine => ({ code: def.code, units, description: def.description, reason, serviceDate: date, mue: mueCheck(def, units, date) });
  const lines: CptLine[] = [line(primary, 1, `First ${noun}${onDate} (${count} ${noun}${count === 1 ? '' : 's'} in total).`)];
  if (count > 1) {
    if (addOn) lines.push(line(addOn, count - 1, `${count - 1} additional ${noun}${count - 1 === 1 ? '' : 's'} beyond the first${onDate} (add-on, reported with ${primary.code}).`));
    else warnings.push(`The code table has no add-on code for additional ${noun}s.`);
  }
  return lines;
}

const encounterName = (e: Encounter) => ENCOUNTER_LABELS[e].toLowerCase();

/**
 * Digital models (surface meshes delivered as files, not printed) are not 0559T/0560T: they may be
 * C8001, one unit per date of service, in the setting the code table names for it (hospital outpatient).
 */
function digitalLines(c: Case, digital: readonly Deliverable[], alsoPrinted: boolean, table: CodeTable, reasons: string[], warnings: string[]): CptLine[] {
  if (digital.length === 0) return [];
  // migrateCodeTable gives every table a code of this family.
  const def = table.codes.find((x) => x.family === 'segmentation');
  if (!def) return [];
  const names = digital.map((d) => d.name).join(', ');
  const encounter = c.order.encounter;
  const where = def.setting ? encounterName(def.setting) : null;
  if (def.setting && encounter && encounter !== def.setting) {
    reasons.push(`${names}: a digital model, not printed. ${def.code} is for ${where} encounters only, and this encounter is ${encounterName(encounter)}: no code is suggested for it.`);
    return [];
  }
  if (def.setting && !encounter) warnings.push(`${def.code} is for ${where} encounters only, and the order does not record the encounter setting: record it on the order, or check with your coder.`);
  warnings.push(`${def.code} for ${names}: verify with your coder.`);
  if (alsoPrinted) warnings.push(`Whether ${def.code} may be reported alongside 0559T–0562T for the same segmentation is a coder’s call: Printpath does not decide it.`);
  return groupByDateOfService(digital, (d) => dateOfService(c, d)).map(({ date, items }) => ({
    code: def.code,
    units: 1,
    description: def.description,
    reason: `${items.length === 1 ? 'A digital model' : `${items.length} digital models`} delivered${date ? ` on ${date}` : ''} as surface mesh files, not printed${where ? ` (${where})` : ''}: one unit per date of service.`,
    serviceDate: date,
    mue: mueCheck(def, 1, date),
  }));
}

function mueCheck(def: CodeDef, units: number, date: string | null): MueCheck | null {
  const period = mueOn(def, date);
  return period ? { limit: period.units, from: period.from, to: period.to, over: Math.max(0, units - period.units) } : null;
}

function mueWarning(l: CptLine): string | null {
  if (!l.mue || l.mue.over === 0) return null;
  const when = l.serviceDate ? `on the date of service ${l.serviceDate}` : 'once delivered (no date of service yet; checked against the MUE in force now)';
  return `${l.code}: ${l.units} units ${when} is above its MUE of ${l.mue.limit} (the most units per patient per date of service, from ${l.mue.from}). ${MUE_CONSEQUENCE} All ${l.units} units are shown for the appeal.`;
}

function caseText(c: Case): string {
  const stageText = Object.values(c.stages).flatMap((s) => Object.values(s.values).filter((v) => typeof v === 'string'));
  return [c.phi.notes, c.phi.indication, ...stageText].join(' ');
}

/** `distrusted`: stages whose signature does not verify, so does not count (see case-trust.ts verifiedCodes). */
export function suggestCodes(c: Case, stored: CodeTable, distrusted: Distrusted = new Set()): CptSuggestion {
  if (c.closed) return c.closed.billing;
  // A table from an older version (e.g. in a replayed close command) counts with the default MUEs.
  const table = migrateCodeTable(stored);
  const warnings: string[] = [];
  const reasons: string[] = [];
  const serviceDates = [...new Set(c.deliverables.map((d) => dateOfService(c, d)).filter((d): d is string => d !== null))].sort();
  const stageDate = c.stages.delivery.values.deliveredAt;
  const serviceDate = serviceDates[0] ?? (typeof stageDate === 'string' && stageDate ? stageDate.slice(0, 10) : null);
  const base = { serviceDate, serviceDates, codeTableVersion: table.version };

  if (c.cancelled) return { ...base, state: 'none', lines: [], reasons: ['The case was cancelled: nothing to bill.'], warnings };
  if (c.deliverables.length === 0) return { ...base, state: 'none', lines: [], reasons: ['The case has no anatomic model or guide yet.'], warnings };

  const status = deriveStatus(c, distrusted);
  const deliveryDone = status.code === 'awaiting-use' || status.code === 'ready-for-billing';
  const unknownUse = c.deliverables.some((d) => deliverableUse(c, d) !== 'yes' && deliverableUse(c, d) !== 'no');
  const provisional = !deliveryDone || unknownUse;

  if (!provisional && c.deliverables.every((d) => deliverableUse(c, d) === 'no')) {
    return {
      ...base,
      state: 'none',
      lines: [],
      reasons: ["No model or guide was used in this patient's care, so none is medically necessary for this patient: no code is suggested."],
      warnings,
    };
  }

  if (!deliveryDone) reasons.push('Provisional: the workflow is not complete through delivery.');
  else if (unknownUse) reasons.push("Provisional: whether every deliverable was used in this patient's care is not yet known.");

  const counted = countable(c, provisional);
  for (const d of c.deliverables.filter((d) => !counted.includes(d))) reasons.push(`${d.name} is not counted: not used in this patient's care.`);

  for (const m of counted) if (m.kind === 'model' && !m.digital && m.components.length === 0) warnings.push(`${m.name} has no components recorded, so it adds no model units.`);
  if (counted.some((m) => m.kind === 'model' && !m.digital && m.copies > 1)) reasons.push('Printed copies of a model are not additional components and are not counted.');

  const printed = counted.filter(isPrinted);
  const digital = counted.filter((d) => !isPrinted(d));
  const groups = groupByDateOfService(printed, (d) => dateOfService(c, d));
  const several = groups.length > 1;
  if (several) {
    reasons.push(`Delivered on ${groups.length} dates of service: units are grouped by date of service, each date with its own first code and checked against the MUE for that date.`);
    warnings.push('Each date of service is suggested with its own first code (0559T or 0561T): whether a later date may carry its own first code is a coder’s call.');
  }
  const lines = groups.flatMap(({ date, items }) => {
    const onDate = several ? ` delivered ${date ?? 'on a date not yet recorded'}` : '';
    const components = items.reduce((n, d) => n + (d.kind === 'model' ? d.components.length : 0), 0);
    const guides = items.filter((d) => d.kind === 'guide').length;
    return [...familyLines('model', components, 'component', table, warnings, date, onDate), ...familyLines('guide', guides, 'guide', table, warnings, date, onDate)];
  });
  lines.push(...digitalLines(c, digital, printed.length > 0, table, reasons, warnings));

  if (RENDERING_CODES.test(caseText(c))) {
    warnings.push('The case notes mention 3D rendering code 76376 or 76377: these are reported not to be billed together with 0559T–0562T. Check with your coder.');
  }
  for (const line of lines) {
    const date = line.serviceDate ?? null;
    const def = table.codes.find((x) => x.code === line.code)!;
    if (date && (date < def.effectiveFrom || (def.effectiveTo !== null && date > def.effectiveTo))) {
      warnings.push(`${line.code} is not in effect on the service date ${date} (effective ${def.effectiveFrom} to ${def.effectiveTo ?? 'no end date recorded'}).`);
    }
    const over = mueWarning(line);
    if (over) warnings.push(over);
  }
  return { ...base, state: lines.length === 0 ? 'none' : provisional ? 'provisional' : 'final', lines, reasons, warnings };
}
