// Which software, printer and material made each printed part, and whether that process
// was validated: the lab keeps software and validated printer–material–software
// combinations beside its printers and materials; a case records, per part (a model's
// component or a guide), the printer, the software, the material's lot and the print date.
// A model is "Diagnostic" only when every one of its parts was made with a combination
// validated on its print date; otherwise it is "For reference only". Pure.
import type { Case, Deliverable, FieldValue } from './case';
import { sameName, type MaterialLot } from './lab-settings';
import { z } from './zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date (YYYY-MM-DD)').refine((s) => !Number.isNaN(Date.parse(s)), 'Not a real date');
const text = (what: string, max: number) => z.string().trim().min(1, `Enter ${what}`).max(max, `At most ${max} characters for ${what}`);

// ---- The lab's software list ----

export const softwareSchema = z.object({
  name: text('the software’s name', 80),
  version: text('the version', 40),
  fdaCleared: z.boolean(),
});
export type SoftwareInput = z.infer<typeof softwareSchema>;
export type SoftwareEntry = SoftwareInput & { id: string; retired: boolean };

export const softwareName = (s: Pick<SoftwareEntry, 'name' | 'version'>) => `${s.name} ${s.version}`;
export const fdaText = (cleared: boolean) => (cleared ? 'FDA-cleared for this use' : 'not FDA-cleared for this use');

// ---- Material lots ----

/** The lot's expiry as the lab lists it for that material, or null when the lab lists none. */
export function lotExpiry(material: { lots?: readonly MaterialLot[] } | undefined, lot: string): string | null {
  return material?.lots?.find((l) => l.lot.trim() === lot.trim())?.expires ?? null;
}

// ---- Validated combinations ----

/** A lab admin's statement that a printer, a material and a software together make parts as intended, and on what evidence. */
export type Combination = {
  id: string;
  /** The printer's label and the material's name, as cases record them; the software by its entry id. */
  printer: string;
  material: string;
  softwareId: string;
  validatedOn: string;
  evidence: string;
  validatedBy: string;
  /** From that day on, parts printed with it are no longer made with a validated combination. */
  withdrawn?: { on: string; reason: string; by: string };
};

export const combinationSchema = (today: string) =>
  z.object({
    printer: text('the printer', 60),
    material: text('the material', 80),
    softwareId: text('the software', 80),
    validatedOn: isoDate.refine((d) => d <= today, 'The validation date cannot be in the future'),
    evidence: text('the evidence (e.g. “Phantom study 2026-03, report QA-12”)', 200),
  });
export type CombinationInput = z.infer<ReturnType<typeof combinationSchema>>;

export const withdrawalSchema = (today: string) =>
  z.object({
    on: isoDate.refine((d) => d <= today, 'The withdrawal date cannot be in the future'),
    reason: text('why it is withdrawn', 200),
  });
export type WithdrawalInput = z.infer<ReturnType<typeof withdrawalSchema>>;

/** Was the combination validated on that day: validated on or before it, and not withdrawn by then. */
export const validOn = (k: Combination, day: string) => k.validatedOn <= day && !(k.withdrawn && k.withdrawn.on <= day);

export function describeCombination(k: Pick<Combination, 'printer' | 'material' | 'softwareId'>, software: readonly SoftwareEntry[]): string {
  const sw = software.find((s) => s.id === k.softwareId);
  return `${k.printer} + ${k.material} + ${sw ? softwareName(sw) : 'software no longer listed'}`;
}

export const sameCombination = (a: Pick<Combination, 'printer' | 'material' | 'softwareId'>, b: Pick<Combination, 'printer' | 'material' | 'softwareId'>) =>
  sameName(a.printer, b.printer) && sameName(a.material, b.material) && a.softwareId === b.softwareId;

// ---- What a case records per part ----

/** How one part was made. `material` is the part's material when it was recorded; `software` the software's name and version then. */
export type PartPrint = {
  printer: string;
  material: string;
  lot: string;
  /** The lot's expiry as the lab listed it; absent when the lab listed none. */
  lotExpires?: string;
  softwareId: string;
  software: string;
  printedOn: string;
};

export const partPrintSchema = z.object({
  printer: text('the printer', 60),
  lot: text('the material’s lot', 40),
  lotExpires: isoDate.optional(),
  softwareId: text('the software', 80),
  software: text('the software', 130),
  printedOn: isoDate,
});
export type PartPrintInput = z.infer<typeof partPrintSchema>;

/** A printed part of a case: a component of a printed model, or a guide. */
export type Part = { id: string; name: string; material: string; deliverable: Deliverable };

export function printedPartsOf(deliverables: readonly Deliverable[]): Part[] {
  return deliverables.flatMap((d): Part[] => {
    if (d.kind === 'guide') return [{ id: d.id, name: d.name, material: d.material, deliverable: d }];
    if (d.digital) return [];
    return d.components.map((p) => ({ id: p.id, name: `${d.name} – ${p.structure}`, material: p.material, deliverable: d }));
  });
}

/**
 * The refusal for recording how a part was made, or null. `today`: the day it is recorded.
 * An expired lot is refused: one that expired before the print date.
 */
export function partPrintRefusal(c: Pick<Case, 'deliverables'>, partId: string, input: PartPrintInput, today: string): string | null {
  const part = printedPartsOf(c.deliverables).find((p) => p.id === partId);
  if (!part) {
    const digital = c.deliverables.find((d) => d.kind === 'model' && d.digital && (d.id === partId || d.components.some((p) => p.id === partId)));
    return digital ? `${digital.name} is a digital model: it is not printed, so there is no print to record` : 'That part is not part of this case';
  }
  if (!part.material.trim()) return `${part.name}: choose its material first`;
  if (input.printedOn > today) return `${part.name}: the print date ${input.printedOn} is in the future`;
  if (input.lotExpires && input.lotExpires < input.printedOn)
    return `Lot ${input.lot} of ${part.material} expired on ${input.lotExpires}, before the print date ${input.printedOn}: it cannot be used. Choose another lot.`;
  return null;
}

export const describePartPrint = (p: PartPrint) =>
  `${p.printer}, ${p.material} lot ${p.lot}${p.lotExpires ? ` (expires ${p.lotExpires})` : ''}, ${p.software}, printed ${p.printedOn}`;

/** The audit trail's before/after of one part's print record. */
export const partPrintValue = (p: PartPrint | undefined): FieldValue => (p ? describePartPrint(p) : null);

// ---- The label ----

export type ModelLabel = 'diagnostic' | 'reference';
export const LABEL_TEXT: Record<ModelLabel, string> = { diagnostic: 'Diagnostic', reference: 'For reference only' };

export type PartStatus = { part: Part; print: PartPrint | null; combination: Combination | null; problem: string | null };

export function partStatus(c: Pick<Case, 'printedParts'>, part: Part, combinations: readonly Combination[]): PartStatus {
  const print = c.printedParts?.[part.id] ?? null;
  if (!print) return { part, print, combination: null, problem: `${part.name}: how it was made is not recorded` };
  if (!sameName(print.material, part.material)) return { part, print, combination: null, problem: `${part.name}: its material changed to ${part.material || 'none'} after the print was recorded` };
  const matching = combinations.filter((k) => sameCombination(k, { printer: print.printer, material: print.material, softwareId: print.softwareId }));
  const combination = matching.find((k) => validOn(k, print.printedOn)) ?? null;
  if (combination) return { part, print, combination, problem: null };
  const withdrawn = matching.find((k) => k.withdrawn && k.withdrawn.on <= print.printedOn && k.validatedOn <= print.printedOn);
  if (withdrawn) return { part, print, combination: null, problem: `${part.name}: its combination was withdrawn on ${withdrawn.withdrawn!.on}, before the print date ${print.printedOn}` };
  const later = matching.find((k) => k.validatedOn > print.printedOn);
  if (later) return { part, print, combination: null, problem: `${part.name}: its combination was validated on ${later.validatedOn}, after the print date ${print.printedOn}` };
  return { part, print, combination: null, problem: `${part.name}: ${print.printer} + ${print.material} + ${print.software} is not a validated combination` };
}

export type ModelVerdict = { model: Deliverable; label: ModelLabel; parts: PartStatus[]; reasons: string[] };

/**
 * A printed model's label: diagnostic only when every component was made with a combination
 * validated on its print date. A model with no components, or none recorded, is for reference only.
 * Digital models are not printed and get no print label.
 */
export function modelVerdicts(c: Pick<Case, 'deliverables' | 'printedParts'>, combinations: readonly Combination[]): ModelVerdict[] {
  const parts = printedPartsOf(c.deliverables);
  return c.deliverables.flatMap((d): ModelVerdict[] => {
    if (d.kind !== 'model' || d.digital) return [];
    const statuses = parts.filter((p) => p.deliverable.id === d.id).map((p) => partStatus(c, p, combinations));
    const reasons = statuses.length === 0 ? [`${d.name} has no components`] : statuses.flatMap((s) => (s.problem ? [s.problem] : []));
    return [{ model: d, label: reasons.length === 0 ? 'diagnostic' : 'reference', parts: statuses, reasons }];
  });
}

/** The sentence on the model's label, on screen and in the PDF. */
export function labelText(v: Pick<ModelVerdict, 'model' | 'label'>): string {
  return v.label === 'diagnostic'
    ? `${v.model.name}: ${LABEL_TEXT.diagnostic} — made entirely with validated printer–material–software combinations`
    : `${v.model.name}: ${LABEL_TEXT.reference} — not made entirely with validated printer–material–software combinations`;
}

// ---- For the case summary (PDF) ----

export type TraceSummary = {
  models: { name: string; label: string; text: string; reasons: string[] }[];
  parts: { name: string; made: string; validated: string | null }[];
};

/** What the PDF says of each printed model's label and how each printed part was made. */
export function traceSummary(c: Pick<Case, 'deliverables' | 'printedParts'>, combinations: readonly Combination[]): TraceSummary {
  return {
    models: modelVerdicts(c, combinations).map((v) => ({ name: v.model.name, label: LABEL_TEXT[v.label], text: labelText(v), reasons: v.reasons })),
    parts: printedPartsOf(c.deliverables).map((p) => {
      const s = partStatus(c, p, combinations);
      return {
        name: p.name,
        made: s.print ? describePartPrint(s.print) : 'Not recorded',
        validated: s.combination ? `Validated combination since ${s.combination.validatedOn} (${s.combination.evidence})` : null,
      };
    }),
  };
}
