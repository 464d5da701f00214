// The sterilization record of a part that enters the sterile field: cleaning, cycle or load id,
// date, who, and a fit or dimension re-check after sterilization (the delivery stage's
// per-deliverable fields marked sterileFieldOnly). A guide without it, or with a failed
// re-check, is not delivered: the delivery stage cannot complete and "Handed over" is refused.
//
// Cases handed over before the record existed have none of it. They stay delivered as they
// were (a re-check after the fact cannot be made honestly), and say so: since the hand-over is
// refused without the record, a handed-over case with no record at all can only be one of them.
import type { Case, Deliverable, FieldValue } from './case';
import { stageDef, type FieldDef, type StageDef } from './stages';

/** Which parts enter the sterile field: every guide (it is placed on the patient's bone), and a printed model the order marked so. */
export const entersSterileField = (d: Deliverable) => d.kind === 'guide' || (d.kind === 'model' && d.sterile === true && !d.digital);

/** The per-deliverable fields a stage asks of this deliverable. */
export const deliverableFieldsFor = (def: StageDef, d: Deliverable): FieldDef[] => def.deliverableFields.filter((f) => !f.sterileFieldOnly || entersSterileField(d));

export const STERILIZATION_FIELDS: readonly FieldDef[] = stageDef('delivery').deliverableFields.filter((f) => f.sterileFieldOnly);

export const RECHECK_FAILED_TEXT = 'FAILED the re-check after sterilization: not to be delivered';
export const OLD_DELIVERY_TEXT = 'Not recorded: handed over before Printpath kept a sterilization record';

const blank = (v: FieldValue | undefined) => v === null || v === undefined || v === '';
const valueOf = (c: Pick<Case, 'stages'>, d: Deliverable, key: string) => c.stages.delivery.perDeliverable[d.id]?.[key];
/** How a missing field is named in a sentence. */
const MISSING: Record<string, string> = {
  cleaning: 'the cleaning before sterilization',
  sterilizationCycle: 'the cycle or load id',
  sterilizedOn: 'the date sterilized',
  sterilizedBy: 'who sterilized it',
  recheckResult: 'the result of the re-check after sterilization',
  recheckWhat: 'what was re-checked',
};
const inWords = (parts: readonly string[]) => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`);

const hasAnyRecord = (c: Pick<Case, 'deliverables' | 'stages'>) =>
  c.deliverables.some((d) => entersSterileField(d) && STERILIZATION_FIELDS.some((f) => !blank(valueOf(c, d, f.key))));

/** Handed over before the record existed: no part of the case has any of it (see the header). */
export const deliveredBeforeRecord = (c: Pick<Case, 'deliverables' | 'stages'>) =>
  c.stages.delivery.checklist.handedOver?.done === true && c.deliverables.some(entersSterileField) && !hasAnyRecord(c);

/** What keeps one sterile part from being delivered, one sentence each. */
function partBlockers(c: Pick<Case, 'stages'>, d: Deliverable): string[] {
  const missing = STERILIZATION_FIELDS.filter((f) => f.required && blank(valueOf(c, d, f.key))).map((f) => MISSING[f.key] ?? f.label);
  const out = missing.length ? [`Sterilization record of ${d.name}: enter ${inWords(missing)}`] : [];
  if (valueOf(c, d, 'recheckResult') === 'fail') out.push(`${d.name} failed its re-check after sterilization: it cannot be delivered; reprint or re-sterilize it and record a re-check that passes`);
  return out;
}

/** What keeps the sterile parts from being delivered, one sentence per part. */
export function sterilizationBlockers(c: Pick<Case, 'deliverables' | 'stages'>): string[] {
  if (deliveredBeforeRecord(c)) return [];
  return c.deliverables.filter(entersSterileField).flatMap((d) => partBlockers(c, d));
}

/** Why "Handed over" cannot be ticked yet, or null. */
export function handOverRefusal(c: Pick<Case, 'deliverables' | 'stages'>): string | null {
  if (deliveredBeforeRecord(c)) return null;
  for (const d of c.deliverables.filter(entersSterileField)) {
    const first = partBlockers(c, d)[0];
    if (first) return `Not handed over: ${d.kind === 'guide' ? 'a guide' : 'a model that enters the sterile field'} is delivered only with its sterilization record. ${first}`;
  }
  return null;
}

/** A save that would erase the whole record of a handed-over case (it would then pass for a case from before the record). */
export function erasesRecordAfterHandOver(before: Pick<Case, 'deliverables' | 'stages'>, after: Pick<Case, 'deliverables' | 'stages'>): string | null {
  return !deliveredBeforeRecord(before) && deliveredBeforeRecord(after)
    ? 'The sterilization record of a handed-over part cannot be erased: correct it instead'
    : null;
}
