// Which of the lab's printers, materials and software a case names, from the clear part
// of the case: the rule (usesEntry) and the index tokens that answer it without reading
// every case (equipmentTokens, entryTokens). Kept apart from lab-settings.ts (its schemas
// need zod) because the database module derives the tokens on every case write.
import type { FieldValue } from './case';
import type { PartPrint } from './traceability';

/** Names compare the way people read them: case and surrounding spaces do not count. */
export const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

/** The parts of a case that name lab equipment (all stored in the clear, outside the PHI). */
export type EquipmentRefs = {
  caseNumber: string;
  stages: { printing: { values: Record<string, FieldValue> } };
  deliverables: readonly ({ kind: 'model'; components: readonly { material: string }[] } | { kind: 'guide'; material: string })[];
  printedParts?: Record<string, Pick<PartPrint, 'printer' | 'softwareId'>>;
};

export const printerOf = (c: EquipmentRefs): string | null => {
  const v = c.stages.printing.values.printer;
  return typeof v === 'string' && v.trim() ? v : null;
};

export const materialsOf = (c: EquipmentRefs): string[] =>
  c.deliverables.flatMap((d) => (d.kind === 'guide' ? [d.material] : d.components.map((p) => p.material))).filter((m) => m.trim() !== '');

const partPrints = (c: EquipmentRefs) => Object.values(c.printedParts ?? {});

type EntryKind = 'printer' | 'material' | 'software';
const byName = (kind: EntryKind, name: string) => `${kind}:${name.trim().toLocaleLowerCase()}`;
const byId = (kind: EntryKind, id: string) => `${kind}#${id.trim()}`;

/**
 * The lab entries a case names, as index tokens (the cases table's multi-entry `uses` index):
 * a case names an entry exactly when its tokens and entryTokens(entry) share one (usesEntry).
 */
export function equipmentTokens(c: EquipmentRefs): string[] {
  const printers = [printerOf(c), ...partPrints(c).map((p) => p.printer)].filter((n): n is string => n !== null);
  const tokens = [
    ...printers.flatMap((n) => [byName('printer', n), byId('printer', n)]),
    ...materialsOf(c).flatMap((n) => [byName('material', n), byId('material', n)]),
    ...partPrints(c).map((p) => byId('software', p.softwareId)),
  ];
  return [...new Set(tokens)];
}

/** The tokens that name this entry in equipmentTokens: its name (any case) or its id; software by its id only. */
export const entryTokens = (kind: EntryKind, entry: { id: string; name: string }): string[] =>
  kind === 'software' ? [byId('software', entry.id)] : [byName(kind, entry.name), byId(kind, entry.id)];

/** Does the case name this entry, by its name or by its id? (Software: a part made with it, by its id.) */
export function usesEntry(c: EquipmentRefs, kind: 'printer' | 'material' | 'software', entry: { id: string; name: string }): boolean {
  if (kind === 'software') return partPrints(c).some((p) => p.softwareId === entry.id);
  const names = kind === 'printer' ? [printerOf(c), ...partPrints(c).map((p) => p.printer)].filter((n): n is string => n !== null) : materialsOf(c);
  return names.some((n) => sameName(n, entry.name) || n.trim() === entry.id);
}
