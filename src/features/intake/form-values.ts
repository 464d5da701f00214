// What the intake forms hold: the domain schemas' input shapes, plus blank
// entries and the prefill for editing an existing order.
import { z } from '../../domain/zod';
import type { Case, GuideType } from '../../domain/case';
import { deliverablesSchema, type newCaseSchema, type orderSchema } from '../../domain/case-input';
import { asDeliverableId } from '../../domain/ids';

export type OrderForm = z.input<ReturnType<typeof orderSchema>>;
export type NewCaseForm = z.input<ReturnType<typeof newCaseSchema>>;
export type DeliverableForm = z.input<typeof deliverablesSchema>[number];
export type ComponentForm = Extract<DeliverableForm, { kind: 'model' }>['components'][number];

/** The deliverables editor's form: the case's deliverables, validated by the domain schema. */
export const deliverablesFormSchema = z.object({ deliverables: deliverablesSchema });
export type DeliverablesForm = z.input<typeof deliverablesFormSchema>;

const newId = () => asDeliverableId(crypto.randomUUID());

export const blankComponent = (): ComponentForm => ({ id: newId(), structure: '', colour: '', material: '' });

export const blankModel = (): DeliverableForm => ({ id: newId(), kind: 'model', name: '', copies: 1, components: [blankComponent()] });

// No guide type preselected: the lab must choose cutting or drilling.
export const blankGuide = (): DeliverableForm => ({ id: newId(), kind: 'guide', name: '', guideType: '' as GuideType, material: '' });

// Selects start on their "Choose…" option, so the schema asks for a choice.
export const NEW_CASE_DEFAULTS = {
  patientName: '',
  mrn: '',
  dateOfBirth: '',
  sex: '' as OrderForm['sex'],
  indication: '',
  notes: '',
  orderingPhysician: '',
  physicianContact: '',
  icd10: '',
  anatomicRegion: '',
  structures: [''],
  dateNeeded: '',
  priority: 'routine',
  payer: '',
  encounter: '',
  scenario: '',
  appropriatenessRating: '',
  criteriaYear: '',
  deliverables: [],
} satisfies NewCaseForm;

export const orderValues = (c: Case): OrderForm => ({ ...c.phi, ...c.order, payer: c.order.payer ?? '', encounter: c.order.encounter ?? '', scenario: c.phi.scenario ?? '', appropriatenessRating: String(c.order.appropriatenessRating ?? ''), criteriaYear: String(c.order.criteriaYear ?? ''), structures: [...c.order.structures] });
