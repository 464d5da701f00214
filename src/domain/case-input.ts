// Input schemas: one per input, shared by the forms, the write path and
// (later) the backup reader. `today` is passed in: the domain has no clock.
import { BoundedMap } from './bounded-map';
import { z } from './zod';
import type { FieldDef } from './stages';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date (YYYY-MM-DD)').refine((s) => !Number.isNaN(Date.parse(s)), 'Not a real date');
/** A whole number from `min` to `max`, as a number or as typed (text); '' or absent when not recorded. */
const optionalWhole = (min: number, max: number, message: string) =>
  z
    .union([z.number(), z.string().trim()])
    .refine((v) => v === '' || (/^\d+$/.test(String(v)) && Number(v) >= min && Number(v) <= max), message)
    .optional();
const required = (what: string) => z.string().trim().min(1, `Enter ${what}`);

export const componentSchema = z.object({
  id: z.string().min(1),
  structure: required('the structure').max(80),
  colour: z.string().trim().max(40),
  material: z.string().trim().max(80),
});

export const deliverableSchema = z.discriminatedUnion('kind', [
  z.object({
    id: z.string().min(1),
    kind: z.literal('model'),
    name: required('a name for the model').max(80),
    copies: z.number({ error: 'Enter how many copies' }).int('Whole copies only').min(1, 'At least one copy').max(20, 'At most 20 copies'),
    components: z.array(componentSchema).max(20, 'At most 20 components per model'),
    digital: z.boolean().optional(),
    sterile: z.boolean().optional(),
  }),
  z.object({
    id: z.string().min(1),
    kind: z.literal('guide'),
    name: required('a name for the guide').max(80),
    guideType: z.enum(['cutting', 'drilling'], { error: 'Choose cutting or drilling' }),
    material: z.string().trim().max(80),
  }),
]);

export const deliverablesSchema = z.array(deliverableSchema).max(25, 'At most 25 deliverables per case');

export const orderSchema = (today: string) =>
  z.object({
    patientName: required('the patient name').max(120),
    mrn: z.string().trim().regex(/^[A-Za-z0-9-]{3,20}$/, 'MRN: 3–20 letters, digits or dashes'),
    dateOfBirth: isoDate.refine((d) => d <= today, 'Date of birth cannot be in the future'),
    sex: z.enum(['female', 'male', 'other', 'unknown'], { error: 'Choose a sex' }),
    indication: required('the indication').max(500),
    notes: z.string().max(2000),
    orderingPhysician: required('the ordering physician').max(120),
    physicianContact: required('a contact (pager, phone or e-mail)').max(120),
    icd10: z.string().trim().toUpperCase().regex(/^[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/, 'ICD-10 code like S32.401A or C41.4'),
    anatomicRegion: required('the anatomic region').max(80),
    structures: z.array(z.string().trim().min(1, 'Enter the structure, or remove this line').max(80)).min(1, 'List at least one structure to include').max(20, 'At most 20 structures'),
    dateNeeded: isoDate,
    priority: z.enum(['routine', 'urgent', 'emergent'], { error: 'Choose a priority' }),
    // A plan's name is not a patient identifier; a member or policy number is, so digits-heavy values are refused.
    payer: z
      .string()
      .trim()
      .max(80, 'At most 80 characters for the payer')
      .refine((v) => (v.match(/\d/g)?.length ?? 0) < 5, 'Enter the payer’s name only, not a member or policy number')
      .optional(),
    encounter: z
      .union([z.enum(['hospital-outpatient', 'inpatient', 'other']), z.literal('')], { error: 'Choose the encounter setting, or leave it not recorded' })
      .optional(),
    scenario: z.string().trim().max(300, 'At most 300 characters for the scenario').optional(),
    // A form types them as text (an empty box is "not recorded", and an untouched form stays unchanged); a case keeps numbers.
    appropriatenessRating: optionalWhole(1, 9, 'A rating from 1 to 9'),
    criteriaYear: optionalWhole(2018, 2100, 'A year like 2018 (the criteria were first published in 2018)'),
  })
  .superRefine((o, ctx) => {
    const rated = Boolean(o.appropriatenessRating), dated = Boolean(o.criteriaYear);
    if (rated && !dated) ctx.addIssue({ code: 'custom', path: ['criteriaYear'], message: 'Enter the year of the criteria the rating comes from' });
    if (dated && !rated) ctx.addIssue({ code: 'custom', path: ['appropriatenessRating'], message: 'Enter the rating, or clear the year' });
    if (rated && !o.scenario?.trim()) ctx.addIssue({ code: 'custom', path: ['scenario'], message: 'Enter the clinical scenario the rating is for' });
  });

export type OrderInput = z.infer<ReturnType<typeof orderSchema>>;

export const newCaseSchema = (today: string) => orderSchema(today).extend({ deliverables: deliverablesSchema });
export type NewCaseInput = z.infer<ReturnType<typeof newCaseSchema>>;

/** Validates a stage field's value; blank is allowed (saving progress), required-ness is a completion rule. */
export function fieldValueSchema(f: FieldDef) {
  switch (f.type) {
    case 'number':
      return z
        .number({ error: `${f.label}: enter a number` })
        .min(f.min, `${f.label}: at least ${f.min} ${f.unit}`)
        .max(f.max, `${f.label}: at most ${f.max} ${f.unit}`)
        .nullable();
    case 'select':
      // The message goes on the union: zod reports a failed union as "Invalid input" otherwise.
      return z.union([z.enum(f.options.map((o) => o.value) as [string, ...string[]]), z.literal(''), z.null()], { error: `${f.label}: choose an option` });
    case 'date':
      return z.union([isoDate, z.literal(''), z.null()], { error: `${f.label}: use the format YYYY-MM-DD` });
    case 'datetime':
      return z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, `${f.label}: enter a date and time`), z.literal(''), z.null()], { error: `${f.label}: enter a date and time` });
    default:
      return z.string().max(f.type === 'textarea' ? 4000 : 200, `${f.label} is too long`).nullable();
  }
}

const valuesSchema = (fields: readonly FieldDef[]) => z.object(Object.fromEntries(fields.map((f) => [f.key, fieldValueSchema(f).optional()])));

// Making a schema costs some 60 times what checking values with it does (zod compiles it on its
// first use), and a form checks on every render: one schema per list of fields, by their identity.
const fieldIds = new WeakMap<FieldDef, number>();
let fieldCount = 0;
const idOf = (f: FieldDef): number => {
  let id = fieldIds.get(f);
  if (id === undefined) fieldIds.set(f, (id = ++fieldCount));
  return id;
};
const schemas = new BoundedMap<string, ReturnType<typeof valuesSchema>>(500);
/** A key naming exactly these field definitions, in this order. */
export const fieldsKey = (fields: readonly FieldDef[]): string => fields.map(idOf).join(',');

/** The values of a stage's `fields`; `strict`: no other keys either (a command's). */
export function stageValuesSchema(fields: readonly FieldDef[], { strict = false } = {}) {
  return schemas.of(`${strict}:${fieldsKey(fields)}`, () => (strict ? valuesSchema(fields).strict() : valuesSchema(fields)));
}
