// The lab's equipment lists: printers and materials, kept by a lab admin and
// offered as choices when recording a case. A case stores the printer's label
// and each part's material name as text, so those names are what ties a case to
// an entry: an entry a case uses can be retired (no longer offered) but neither
// deleted nor renamed. Pure: input schemas and the "which cases use it" rule.
import { fieldDef } from './stages';
import { z } from './zod';

/** The printing stage's technology options: a printer's technology is one of them, so choosing the printer can fill it in. */
export const TECHNOLOGY_OPTIONS = (() => {
  const def = fieldDef('printing', 'technology');
  if (def?.type !== 'select') throw new Error('The printing stage has no technology choice');
  return def.options;
})();

export const technologyLabel = (value: string) => TECHNOLOGY_OPTIONS.find((o) => o.value === value)?.label ?? value;

const text = (what: string, max: number) => z.string().trim().min(1, `Enter ${what}`).max(max, `At most ${max} characters for ${what}`);

export const printerSchema = z.object({
  label: text('the printer’s label (what the lab calls it, e.g. “J5 #1”)', 60),
  maker: text('the maker', 80),
  model: text('the model', 80),
  technology: z.enum(TECHNOLOGY_OPTIONS.map((o) => o.value) as [string, ...string[]], { error: 'Choose the printing technology' }),
});
export type PrinterInput = z.infer<typeof printerSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the expiry date (YYYY-MM-DD)').refine((s) => !Number.isNaN(Date.parse(s)), 'Not a real date');
/** One lot of a material and the day it expires: a part printed after that day from it is refused. */
export const materialLotSchema = z.object({ lot: text('the lot', 40), expires: isoDate });
export type MaterialLot = z.infer<typeof materialLotSchema>;

// A biocompatible material goes into patients' procedures (guides in the sterile field): its lot must be traceable.
export const materialSchema = z
  .object({
    name: text('the material’s name', 80),
    colour: text('the colour (e.g. clear, white)', 40),
    biocompatible: z.boolean(),
    sterilizable: z.boolean(),
    lot: z.string().trim().max(40, 'At most 40 characters for the lot'),
    /** Each lot the lab holds with its expiry date; absent on materials saved before lots had expiries. */
    lots: z.array(materialLotSchema).max(50, 'At most 50 lots').optional(),
  })
  .refine((m) => !m.biocompatible || m.lot.length > 0, { path: ['lot'], message: 'Enter the lot: a biocompatible material must be traceable to its lot' })
  .refine((m) => new Set((m.lots ?? []).map((l) => l.lot.toLocaleLowerCase())).size === (m.lots ?? []).length, { path: ['lots'], message: 'Each lot is listed once' });
export type MaterialInput = z.infer<typeof materialSchema>;

export { entryTokens, equipmentTokens, materialsOf, printerOf, sameName, usesEntry, type EquipmentRefs } from './equipment-use';
