import type { NewCaseInput } from '../../src/domain/case-input';
import { asDeliverableId } from '../../src/domain/ids';

/** A valid order with one single-component model; override what a test needs. */
export const order = (over: Partial<NewCaseInput> = {}): NewCaseInput => ({
  patientName: 'Łukasz Żółć',
  mrn: 'MRN123456',
  dateOfBirth: '1980-02-03',
  sex: 'male',
  indication: 'Acetabular fracture',
  notes: '',
  orderingPhysician: 'Dr. A. Rahman',
  physicianContact: 'pager 1234',
  icd10: 'S32.401A',
  anatomicRegion: 'Pelvis',
  structures: ['Pelvis'],
  dateNeeded: '2026-12-01',
  priority: 'urgent',
  deliverables: [{ id: asDeliverableId('m1'), kind: 'model', name: 'Pelvis model', copies: 1, components: [{ id: asDeliverableId('c1'), structure: 'Pelvis', colour: 'white', material: 'VeroClear' }] }],
  ...over,
});

