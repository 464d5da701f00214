// CPT Category III suggestion for 3D-printed anatomic models and guides.
// The code table is data (an admin can edit dates and wording); the rules are
// here. Only deliverables used in the patient's care count.
import type { Case, Deliverable } from './case';
import { deriveStatus, deliverableUse, type Distrusted } from './workflow';

export type CodeFamily = 'model' | 'guide';

export type CodeDef = {
  code: string;
  family: CodeFamily;
  addOn: boolean;
  /** Our own short wording; the AMA's descriptor is licensed text an admin may paste in. */
  description: string;
  effectiveFrom: string; // YYYY-MM-DD
  effectiveTo: string | null; // last day, or null when no sunset is recorded
};

export type CodeTable = { version: string; codes: CodeDef[] };

export const DEFAULT_CODE_TABLE: CodeTable = {
  version: '2019-07-01',
  codes: [
    { code: '0559T', family: 'model', addOn: false, description: '3D-printed anatomic model from image data: first individually prepared and processed component', effectiveFrom: '2019-07-01', effectiveTo: null },
    { code: '0560T', family: 'model', addOn: true, description: 'each additional individually prepared and processed component (add-on to 0559T)', effectiveFrom: '2019-07-01', effectiveTo: null },
    { code: '0561T', family: 'guide', addOn: false, description: '3D-printed anatomic guide designed from image data: first guide', effectiveFrom: '2019-07-01', effectiveTo: null },
    { code: '0562T', family: 'guide', addOn: true, description: 'each additional anatomic guide (add-on to 0561T)', effectiveFrom: '2019-07-01', effectiveTo: null },
  ],
};

export const CPT_DISCLAIMER = 'Suggested — verify with your coder. No payment amounts are shown; payers decide coverage.';

export type CptLine = { code: string; units: number; description: string; reason: string };

export type CptSuggestion = {
  /** final: all counted deliverables known used and delivery complete; provisional: not yet; none: nothing billable. */
  state: 'final' | 'provisional' | 'none';
  lines: CptLine[];
  reasons: string[];
  warnings: string[];
  serviceDate: string | null;
  codeTableVersion: string;
};

const RENDERING_CODES = /\b7637[67]\b/;

function countable(c: Case, provisional: boolean): Deliverable[] {
  return c.deliverables.filter((d) => {
    const use = deliverableUse(c, d);
    return use === 'yes' || (provisional && use !== 'no');
  });
}

function familyLines(family: CodeFamily, count: number, noun: string, table: CodeTable, warnings: string[]): CptLine[] {
  if (count < 1) return [];
  const primary = table.codes.find((x) => x.family === family && !x.addOn);
  const addOn = table.codes.find((x) => x.family === family && x.addOn);
  if (!primary) {
    warnings.push(`The code table has no primary code for ${noun}s: no ${noun} code can be suggested.`);
    return [];
  }
  const lines: CptLine[] = [
    { code: primary.code, units: 1, description: primary.description, reason: `First ${noun} (${count} ${noun}${count === 1 ? '' : 's'} in total).` },
  ];
  if (count > 1) {
    if (addOn) lines.push({ code: addOn.code, units: count - 1, description: addOn.description, reason: `${count - 1} additional ${noun}${count - 1 === 1 ? '' : 's'} beyond the first (add-on, reported with ${primary.code}).` });
    else warnings.push(`The code table has no add-on code for additional ${noun}s.`);
  }
  return lines;
}

function caseText(c: Case): string {
  const stageText = Object.values(c.stages).flatMap((s) => Object.values(s.values).filter((v) => typeof v === 'string'));
  return [c.phi.notes, c.phi.indication, ...stageText].join(' ');
}

/** `distrusted`: stages whose signature does not verify, so does not count (see case-trust.ts verifiedCodes). */
export function suggestCodes(c: Case, table: CodeTable, distrusted: Distrusted = new Set()): CptSuggestion {
  if (c.closed) return c.closed.billing;
  const warnings: string[] = [];
  const reasons: string[] = [];
  const serviceDate = typeof c.stages.delivery.values.deliveredAt === 'string' && c.stages.delivery.values.deliveredAt
    ? c.stages.delivery.values.deliveredAt.slice(0, 10)
    : null;
  const base = { serviceDate, codeTableVersion: table.version };

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

  const models = counted.filter((d) => d.kind === 'model');
  const components = models.reduce((n, m) => n + m.components.length, 0);
  for (const m of models) if (m.components.length === 0) warnings.push(`${m.name} has no components recorded, so it adds no model units.`);
  if (models.some((m) => m.copies > 1)) reasons.push('Printed copies of a model are not additional components and are not counted.');
  const guides = counted.filter((d) => d.kind === 'guide').length;

  const lines = [...familyLines('model', components, 'component', table, warnings), ...familyLines('guide', guides, 'guide', table, warnings)];

  if (RENDERING_CODES.test(caseText(c))) {
    warnings.push('The case notes mention 3D rendering code 76376 or 76377: these are reported not to be billed together with 0559T–0562T. Check with your coder.');
  }
  if (serviceDate) {
    for (const line of lines) {
      const def = table.codes.find((x) => x.code === line.code)!;
      if (serviceDate < def.effectiveFrom || (def.effectiveTo !== null && serviceDate > def.effectiveTo)) {
        warnings.push(`${line.code} is not in effect on the service date ${serviceDate} (effective ${def.effectiveFrom} to ${def.effectiveTo ?? 'no end date recorded'}).`);
      }
    }
  }
  return { ...base, state: lines.length === 0 ? 'none' : provisional ? 'provisional' : 'final', lines, reasons, warnings };
}
