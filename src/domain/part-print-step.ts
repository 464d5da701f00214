// Recording how one printed part was made (printer, software, material lot, print date):
// the step of the recordPartPrint command. Refused, changing nothing, when printing cannot
// be recorded yet, the part is not a printed part of the case, or the lot expired before the print date.
import type { Case, FieldChange } from './case';
import { describePartPrint, partPrintRefusal, partPrintSchema, partPrintValue, printedPartsOf, type PartPrint, type PartPrintInput } from './traceability';
import { recordingBlockedBy } from './workflow';

export type RecordPartPrintCommand = { type: 'recordPartPrint'; partId: string; print: PartPrintInput };

type Step = { next: Case; summary: string; changes: FieldChange[] };

export function recordPartPrintStep(c: Case, cmd: RecordPartPrintCommand, ctx: { now: string }): Step | string {
  const gate = recordingBlockedBy(c, 'printing');
  if (gate) return gate;
  const parsed = partPrintSchema.strict().safeParse(cmd.print);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'The input is not valid';
  const refusal = partPrintRefusal(c, cmd.partId, parsed.data, ctx.now.slice(0, 10));
  if (refusal) return refusal;
  const part = printedPartsOf(c.deliverables).find((p) => p.id === cmd.partId)!;
  const { lotExpires, ...rest } = parsed.data;
  const print: PartPrint = { ...rest, material: part.material, ...(lotExpires ? { lotExpires } : {}) };
  const before = c.printedParts?.[part.id];
  if (before && describePartPrint(before) === describePartPrint(print) && before.softwareId === print.softwareId) return 'Nothing changed';
  return {
    next: { ...c, printedParts: { ...c.printedParts, [part.id]: print } },
    summary: `Printing: ${part.name} made on ${describePartPrint(print)}`,
    changes: [{ field: `${part.name}: how it was made`, before: partPrintValue(before), after: partPrintValue(print) }],
  };
}
