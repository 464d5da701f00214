import { describe, expect, it } from 'vitest';
import type { Actor, Case, Deliverable, FieldValue, StageId } from '../../src/domain/case';
import type { NewCaseInput } from '../../src/domain/case-input';
import { applyCommand, type Command } from '../../src/domain/commands';
import { DEFAULT_CODE_TABLE } from '../../src/domain/cpt';
import { asCaseId, asEventId, asUserId } from '../../src/domain/ids';
import { deriveStatus, signatureIsValid, stageStates } from '../../src/domain/workflow';
import { IMAGING_VALUES, Lab, PRINTING_VALUES, SEGMENTING_VALUES, deepFreeze, orderInput, rad, tech } from '../support/case-builder';

const admin: Actor = { id: asUserId('u-admin'), name: 'Alex Admin', roles: ['admin'] };
/** Untrusted input (e.g. a restored backup or a tampered form) that the types would not allow. */
const untrusted = <T>(value: unknown) => value as T;

describe('bad input is refused with a clear message, and nothing changes', () => {
  const createWith = (overrides: Partial<NewCaseInput>): Command => ({ type: 'create', id: asCaseId('c-new'), caseNumber: 'PP-2026-T1-9', input: orderInput(overrides) });

  it.each<[string, Partial<NewCaseInput>, string | RegExp]>([
    ['blank patient name', { patientName: '  ' }, 'Enter the patient name'],
    ['MRN with spaces', { mrn: 'MRN 12' }, 'MRN: 3–20 letters, digits or dashes'],
    ['date of birth in the future', { dateOfBirth: '2030-01-01' }, 'Date of birth cannot be in the future'],
    ['date of birth not a date', { dateOfBirth: '14/05/1961' }, 'Enter a date (YYYY-MM-DD)'],
    ['date needed not a real date', { dateNeeded: '2026-13-45' }, 'Not a real date'],
    ['ICD-10 malformed', { icd10: 'hip fracture' }, 'ICD-10 code like S32.401A or C41.4'],
    ['no structures', { structures: [] }, 'List at least one structure to include'],
    ['blank ordering physician', { orderingPhysician: '' }, 'Enter the ordering physician'],
    ['model with 0 copies', { deliverables: untrusted<Deliverable[]>([{ id: 'd1', kind: 'model', name: 'Pelvis', copies: 0, components: [] }]) }, 'At least one copy'],
    ['model without a name', { deliverables: untrusted<Deliverable[]>([{ id: 'd1', kind: 'model', name: ' ', copies: 1, components: [] }]) }, 'Enter a name for the model'],
    ['guide of an unknown type', { deliverables: untrusted<Deliverable[]>([{ id: 'd1', kind: 'guide', name: 'G', guideType: 'sawing', material: '' }]) }, 'Choose cutting or drilling'],
    ['component without a structure', { deliverables: [{ id: 'd1', kind: 'model', name: 'M', copies: 1, components: [{ id: 'p1', structure: '', colour: '', material: '' }] }] as Deliverable[] }, 'Enter the structure'],
  ])('create: %s', (_name, overrides, message) => {
    const r = applyCommand(null, createWith(overrides), { actor: tech, now: '2026-03-02T08:00:00.000Z', eventId: asEventId('e1') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
  });

  it('create: a valid order opens the case', () => {
    const r = applyCommand(null, createWith({}), { actor: tech, now: '2026-03-02T08:00:00.000Z', eventId: asEventId('e1') });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.case).toMatchObject({ id: 'c-new', caseNumber: 'PP-2026-T1-9', revision: 1, createdBy: tech.id, createdByName: tech.name, cancelled: null, closed: null });
      expect(r.case.phi).toMatchObject({ patientName: 'Łukasz Żółć', mrn: 'MRN-100200' });
      expect(r.case.order).not.toHaveProperty('patientName');
      expect(deriveStatus(r.case).label).toBe('In imaging');
    }
  });

  type Bad = [string, (c: Case) => Command, string | RegExp, Actor?];
  const bad: Bad[] = [
    ['create over an existing case', (c) => ({ type: 'create', id: c.id, caseNumber: 'x', input: orderInput() }), 'The case already exists'],
    ['editOrder with a bad MRN', (c) => ({ type: 'editOrder', input: { ...c.phi, ...c.order, mrn: '!' } }), 'MRN: 3–20 letters, digits or dashes'],
    ['editOrder with nothing changed', (c) => ({ type: 'editOrder', input: { ...c.phi, ...c.order } }), 'Nothing changed'],
    ['setDeliverables with a blank guide name', (c) => ({ type: 'setDeliverables', deliverables: [...c.deliverables, { id: 'g', kind: 'guide', name: '', guideType: 'cutting', material: '' } as Deliverable] }), 'Enter a name for the guide'],
    ['setDeliverables with nothing changed', (c) => ({ type: 'setDeliverables', deliverables: c.deliverables }), 'Nothing changed'],
    ['a number out of range', () => ({ type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 20 } }), 'Slice thickness: at most 10 mm'],
    ['a number below range', () => ({ type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 0 } }), 'Slice thickness: at least 0.1 mm'],
    ['text where a number belongs', () => ({ type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: '1 mm' } }), 'Slice thickness: enter a number'],
    ['an option not in the list', () => ({ type: 'saveStage', stage: 'imaging', values: { modality: 'PET' } }), 'Modality: choose an option'],
    ['an option of the wrong type', () => ({ type: 'saveStage', stage: 'imaging', values: { contrastPhase: 3 } }), 'Contrast phase: choose an option'],
    ['a date in the wrong format', () => ({ type: 'saveStage', stage: 'imaging', values: { studyDate: '27/02/2026' } }), 'Enter a date (YYYY-MM-DD)'],
    ['a date of the wrong type', () => ({ type: 'saveStage', stage: 'imaging', values: { studyDate: 20260227 } }), 'Study date: use the format YYYY-MM-DD'],
    ['a field the stage does not have', () => ({ type: 'saveStage', stage: 'imaging', values: { printer: 'J5' } }), /printer/],
    ['saving nothing new', () => ({ type: 'saveStage', stage: 'imaging', values: {} }), 'Nothing changed'],
    ['an unknown checklist item', () => ({ type: 'tick', stage: 'imaging', item: 'coffee', done: true }), 'No such checklist item'],
    ['unticking what is not ticked', () => ({ type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: false }), 'Nothing changed'],
    ['signing a stage that has no sign-off', () => ({ type: 'sign', stage: 'printing' }), 'Printing is not signed off', rad],
    ['cancelling without a reason', () => ({ type: 'cancel', reason: '   ' }), 'Give a reason for cancelling'],
    ['closing a case that is not ready for billing', () => ({ type: 'close', codeTable: DEFAULT_CODE_TABLE }), 'Only a case that is ready for billing can be closed (this one is: in imaging)'],
  ];

  it.each(bad)('%s', (_name, command, message, actor = tech) => {
    const lab = new Lab();
    const c = deepFreeze(lab.open());
    const snapshot = structuredClone(c);
    const r = lab.attempt(c, command(c), actor);
    expect(r).toEqual({ ok: false, reason: typeof message === 'string' ? message : expect.stringMatching(message) });
    expect(c).toEqual(snapshot); // deep-frozen too: a mutation would have thrown
  });

  it.each<[string, Record<string, Record<string, FieldValue>> | ((c: Case) => Record<string, Record<string, FieldValue>>), string]>([
    ['a deliverable that is not part of the case', { 'd-elsewhere': { usedInCare: 'yes' } }, 'That model or guide is not part of this case'],
    ['use in care that is not yes / no / not yet known', (c) => ({ [c.deliverables[0]!.id]: { usedInCare: 'maybe' } }), "Used in this patient's care: choose an option"],
    ['a delivery time that is not a date and time', (c) => ({ [c.deliverables[0]!.id]: { usedInCare: 'yes' } }), 'Delivered at: enter a date and time'],
  ])('delivery: %s', (_name, perDeliverable, message) => {
    const lab = new Lab();
    const c = deepFreeze(lab.build({ through: 'printing' }));
    const snapshot = structuredClone(c);
    const values: Record<string, FieldValue> = /Delivered at/.test(message) ? { deliveredAt: 'tomorrow morning' } : { deliveredTo: 'OR 1' };
    const r = lab.attempt(c, { type: 'saveStage', stage: 'delivery', values, perDeliverable: typeof perDeliverable === 'function' ? perDeliverable(c) : perDeliverable });
    expect(r).toEqual({ ok: false, reason: message });
    expect(c).toEqual(snapshot);
  });

  it('a command on no case is refused', () => {
    expect(applyCommand(null, { type: 'cancel', reason: 'x' }, { actor: tech, now: '2026-03-02T08:00:00.000Z', eventId: asEventId('e') })).toEqual({ ok: false, reason: 'No such case' });
  });

  it('a successful command leaves the case it was given untouched', () => {
    const lab = new Lab();
    const c = deepFreeze(lab.build({ through: 'segmenting' }));
    const snapshot = structuredClone(c);
    const next = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { accessionNumber: 'ACC42' } });
    expect(next).not.toBe(c);
    expect(c).toEqual(snapshot);
    expect(next.stages.imaging.values.accessionNumber).toBe('ACC42');
  });
});

describe('who may sign', () => {
  it.each<[StageId, Actor, boolean, string?]>([
    ['imaging', tech, false, 'Only a radiologist can sign off imaging'],
    ['imaging', admin, false, 'Only a radiologist can sign off imaging'],
    ['imaging', rad, true],
    ['segmenting', tech, false, 'Only a radiologist can sign off segmenting'],
    ['segmenting', rad, true],
  ])('%s signed by %o → allowed: %s', (stage, actor, allowed, message) => {
    const lab = new Lab();
    let c = lab.build({ through: stage === 'imaging' ? 'opened' : 'imaging' });
    const values = stage === 'imaging' ? IMAGING_VALUES : SEGMENTING_VALUES;
    c = lab.apply(c, { type: 'saveStage', stage, values });
    c = lab.tickAll(c, stage);
    const r = lab.attempt(c, { type: 'sign', stage }, actor);
    expect(r.ok).toBe(allowed);
    if (!r.ok) expect(r.reason).toBe(message);
    else {
      expect(r.case.stages[stage].signature).toMatchObject({ signerId: actor.id, signerName: actor.name, role: 'radiologist' });
      expect(signatureIsValid(r.case, stage)).toBe(true);
    }
  });

  describe('demo people (their PIN is shown on screen)', () => {
    const demoRad: Actor = { id: asUserId('u-demo-rad'), name: 'Dr. Priya Raman', roles: ['radiologist'], demo: true };
    /** A case with imaging recorded and ticked, ready to sign; `demo` as "Load demo cases" makes it. */
    const readyToSign = (lab: Lab, demo: boolean) => {
      let c = lab.apply(null, { type: 'create', id: asCaseId(lab.nextId('case')), caseNumber: 'PP-2026-T1-77', input: orderInput(), ...(demo ? { demo: true } : {}) });
      c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
      return lab.tickAll(c, 'imaging');
    };

    it('only the demo flag of the create command makes a demo case', () => {
      const lab = new Lab();
      expect(readyToSign(lab, true).demo).toBe(true);
      expect(readyToSign(lab, false).demo).toBe(false);
      expect(lab.open().demo).toBe(false);
    });

    it('a demo radiologist cannot sign a real case, and nothing changes', () => {
      const lab = new Lab();
      const c = deepFreeze(readyToSign(lab, false));
      expect(lab.attempt(c, { type: 'sign', stage: 'imaging' }, demoRad)).toEqual({ ok: false, reason: 'Demo people cannot sign real cases' });
      expect(c.stages.imaging.signature).toBeNull();
    });

    it('a demo radiologist signs a demo case, and the signature says “(demo)”', () => {
      const lab = new Lab();
      const r = lab.attempt(readyToSign(lab, true), { type: 'sign', stage: 'imaging' }, demoRad);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.case.stages.imaging.signature).toMatchObject({ signerId: demoRad.id, signerName: 'Dr. Priya Raman (demo)' });
        expect(signatureIsValid(r.case, 'imaging')).toBe(true);
      }
    });

    it('a real radiologist signs a demo case as themselves', () => {
      const lab = new Lab();
      const r = lab.attempt(readyToSign(lab, true), { type: 'sign', stage: 'imaging' }, rad);
      expect(r.ok && r.case.stages.imaging.signature?.signerName).toBe(rad.name);
    });
  });

  it('a person holding both roles may sign', () => {
    const lab = new Lab();
    const both: Actor = { id: asUserId('u-both'), name: 'Dr. Both', roles: ['technician', 'radiologist'] };
    let c = lab.apply(lab.open(), { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
    c = lab.tickAll(c, 'imaging');
    expect(lab.attempt(c, { type: 'sign', stage: 'imaging' }, both).ok).toBe(true);
  });
});

describe('cannot sign before the stage’s requirements are met', () => {
  it.each<[string, (lab: Lab) => Case, StageId, string]>([
    ['nothing recorded', (lab) => lab.open(), 'imaging', 'Not ready to sign: Enter modality'],
    ['fields but no checklist', (lab) => lab.apply(lab.open(), { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES }), 'imaging', 'Not ready to sign: Tick “Study retrieved from PACS”'],
    [
      'one checklist item left',
      (lab) => {
        const c = lab.apply(lab.open(), { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
        return lab.apply(c, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
      },
      'imaging',
      'Not ready to sign: Tick “Image quality adequate for segmentation (coverage, slice thickness, artefacts)”',
    ],
    ['segmenting before imaging is complete', (lab) => lab.open(), 'segmenting', 'Complete imaging first'],
    [
      'segmenting without the overlay check',
      (lab) => {
        let c = lab.build({ through: 'imaging' });
        c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
        c = lab.apply(c, { type: 'tick', stage: 'segmenting', item: 'structuresSegmented', done: true });
        return lab.apply(c, { type: 'tick', stage: 'segmenting', item: 'meshRepaired', done: true });
      },
      'segmenting',
      'Not ready to sign: Tick “Model (STL) overlaid on the source images and verified”',
    ],
    ['a stage already signed', (lab) => lab.build({ through: 'imaging' }), 'imaging', 'Imaging is already signed'],
  ])('%s', (_name, make, stage, message) => {
    const lab = new Lab();
    const c = deepFreeze(make(lab));
    const r = lab.attempt(c, { type: 'sign', stage }, rad);
    expect(r).toEqual({ ok: false, reason: message });
  });
});

describe('a later stage cannot be recorded before the one before it is complete', () => {
  it.each<[string, 'opened' | 'imaging' | 'segmenting', StageId, string]>([
    ['segmenting on a new case', 'opened', 'segmenting', 'Complete imaging before recording segmenting'],
    ['printing on a new case', 'opened', 'printing', 'Complete segmenting before recording printing'],
    ['printing after imaging only', 'imaging', 'printing', 'Complete segmenting before recording printing'],
    ['delivery after segmenting only', 'segmenting', 'delivery', 'Complete printing before recording delivery'],
  ])('%s', (_name, through, stage, message) => {
    const lab = new Lab();
    const c = lab.build({ through });
    const value: Record<string, FieldValue> = { imaging: { accessionNumber: 'A1' }, segmenting: { software: '3D Slicer' }, printing: { printer: 'J5 #1' }, delivery: { deliveredTo: 'OR 1' } }[stage];
    const item = { imaging: 'studyRetrieved', segmenting: 'stlOverlaid', printing: 'labelled', delivery: 'handedOver' }[stage];
    expect(lab.attempt(c, { type: 'saveStage', stage, values: value })).toEqual({ ok: false, reason: message });
    expect(lab.attempt(c, { type: 'tick', stage, item, done: true })).toEqual({ ok: false, reason: message });
  });

  it('a stage that already has data stays editable when an earlier stage reopens; an empty one does not', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'printing' });
    c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 1 } }); // voids imaging
    expect(deriveStatus(c).label).toBe('In imaging');
    // Segmenting and printing have data: they may still be corrected.
    c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { cadSoftware: '3-matic 18' } });
    c = lab.apply(c, { type: 'saveStage', stage: 'printing', values: { printHours: 7 } });
    c = lab.apply(c, { type: 'tick', stage: 'printing', item: 'labelled', done: false });
    // Delivery has none, and printing is not complete: refused.
    expect(lab.attempt(c, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 1' } })).toEqual({ ok: false, reason: 'Complete printing before recording delivery' });
    // And segmenting cannot be re-signed before imaging is.
    c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { softwareVersion: '27.1' } }); // voids segmenting
    expect(lab.attempt(c, { type: 'sign', stage: 'segmenting' }, rad)).toEqual({ ok: false, reason: 'Complete imaging first' });
    c = lab.apply(c, { type: 'sign', stage: 'imaging' }, rad);
    c = lab.apply(c, { type: 'sign', stage: 'segmenting' }, rad);
    expect(stageStates(c).map((s) => s.complete)).toEqual([true, true, false, false]);
  });
});

describe('cancelled and closed cases refuse every change', () => {
  const commands: [string, (c: Case) => Command][] = [
    ['editOrder', (c) => ({ type: 'editOrder', input: { ...c.phi, ...c.order, priority: 'urgent' } })],
    ['setDeliverables', () => ({ type: 'setDeliverables', deliverables: [] })],
    ['saveStage', () => ({ type: 'saveStage', stage: 'delivery', values: { feedback: 'Great model' } })],
    ['tick', () => ({ type: 'tick', stage: 'delivery', item: 'handedOver', done: false })],
    ['sign', () => ({ type: 'sign', stage: 'imaging' })],
    ['cancel', () => ({ type: 'cancel', reason: 'again' })],
    ['close', () => ({ type: 'close', codeTable: DEFAULT_CODE_TABLE })],
  ];
  const ends: [string, Command, string][] = [
    ['cancelled', { type: 'cancel', reason: 'Surgery cancelled' }, 'The case is cancelled and can no longer be changed'],
    ['closed', { type: 'close', codeTable: DEFAULT_CODE_TABLE }, 'The case is closed and can no longer be changed'],
  ];
  const rows = ends.flatMap(([end, endCmd, message]) => commands.map(([name, cmd]) => [end, name, endCmd, cmd, message] as const));

  it.each(rows)('%s case: %s is refused', (_end, _name, endCmd, command, message) => {
    const lab = new Lab();
    const c = deepFreeze(lab.apply(lab.build(), endCmd));
    const snapshot = structuredClone(c);
    expect(lab.attempt(c, command(c), rad)).toEqual({ ok: false, reason: message });
    expect(c).toEqual(snapshot);
  });

  it('cancelling records who, when and why', () => {
    const lab = new Lab();
    const at = '2026-03-05T10:00:00.000Z';
    const c = lab.apply(lab.build({ through: 'imaging' }), { type: 'cancel', reason: '  Patient transferred  ' }, tech, at);
    expect(c.cancelled).toEqual({ at, by: tech.id, byName: tech.name, reason: 'Patient transferred' });
  });

  it('closing records who and when, and freezes the suggestion', () => {
    const lab = new Lab();
    const at = '2026-03-12T16:00:00.000Z';
    const c = lab.apply(lab.build(), { type: 'close', codeTable: DEFAULT_CODE_TABLE }, tech, at);
    expect(c.closed).toMatchObject({ at, by: tech.id, byName: tech.name, billing: { state: 'final', codeTableVersion: DEFAULT_CODE_TABLE.version } });
  });
});

describe('every change produces an event with actor, time and before/after', () => {
  it('create', () => {
    const lab = new Lab();
    const at = '2026-03-02T09:00:00.000Z';
    const r = lab.attempt(null, { type: 'create', id: asCaseId('c-1'), caseNumber: 'PP-2026-T1-1', input: orderInput({ deliverables: [lab.model('M', ['Pelvis'])] }) }, tech, at);
    expect(r.ok && r.event).toMatchObject({ caseId: 'c-1', at, actorId: tech.id, actorName: tech.name, type: 'create', changes: [] });
  });

  it.each<[string, (lab: Lab, c: Case) => Command, Actor, { type: string; changes: unknown[]; summary: RegExp }]>([
    [
      'a value changed and a first value recorded',
      () => ({ type: 'saveStage', stage: 'printing', values: { ...PRINTING_VALUES, printHours: 8, postProcessingMinutes: 45 } }),
      tech,
      {
        type: 'saveStage',
        summary: /^Printing: Print time, Preparation \/ post-processing time$/,
        changes: [{ field: 'Print time', before: 6.5, after: 8 }, { field: 'Preparation / post-processing time', before: null, after: 45 }],
      },
    ],
    [
      'use in care recorded per deliverable',
      (_lab, c) => ({ type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 2' }, perDeliverable: { [c.deliverables[0]!.id]: { usedInCare: 'unknown' } } }),
      tech,
      {
        type: 'saveStage',
        summary: /^Delivery: /,
        changes: [{ field: 'Delivered to', before: null, after: 'OR 2' }, { field: "Pelvis model: Used in this patient's care", before: null, after: 'unknown' }],
      },
    ],
    [
      'a checklist tick',
      () => ({ type: 'tick', stage: 'printing', item: 'labelled', done: false }),
      tech,
      { type: 'tick', summary: /unticked “Labelled/, changes: [{ field: 'Labelled with case number (no patient name on the part)', before: true, after: false }] },
    ],
    [
      'an order edit',
      (_lab, c) => ({ type: 'editOrder', input: { ...c.phi, ...c.order, physicianContact: 'pager 9999', priority: 'urgent' } }),
      tech,
      { type: 'editOrder', summary: /^Order edited: /, changes: [{ field: 'physicianContact', before: 'pager 4411', after: 'pager 9999' }, { field: 'priority', before: 'routine', after: 'urgent' }] },
    ],
    [
      'deliverables changed',
      (lab, c) => ({ type: 'setDeliverables', deliverables: [...c.deliverables, lab.guide('Drill guide', 'drilling', 'PA12')] }),
      tech,
      {
        type: 'setDeliverables',
        summary: /Models and guides changed — voided the Segmenting signature/,
        changes: [{ field: 'deliverables', before: 'Pelvis model (model: Pelvis / white / VeroClear)', after: 'Pelvis model (model: Pelvis / white / VeroClear) | Drill guide (drilling guide, PA12)' }],
      },
    ],
  ])('%s', (_name, command, actor, expected) => {
    const lab = new Lab();
    const c = lab.build({ through: 'printing' });
    const at = '2026-03-04T11:22:00.000Z';
    const r = lab.attempt(c, command(lab, c), actor, at);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toMatchObject({ caseId: c.id, at, actorId: actor.id, actorName: actor.name, type: expected.type, changes: expected.changes });
    expect(r.event.summary).toMatch(expected.summary);
    expect(r.case.updatedAt).toBe(at);
    expect(r.case.revision).toBe(c.revision + 1);
  });

  it('recording a stage notes who and when on the stage', () => {
    const lab = new Lab();
    const at = '2026-03-02T10:00:00.000Z';
    const c = lab.apply(lab.open(), { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true }, tech, at);
    expect(c.stages.imaging.checklist.studyRetrieved).toEqual({ done: true, by: tech.id, byName: tech.name, at });
    expect(c.stages.imaging).toMatchObject({ updatedAt: at, updatedBy: tech.name });
  });

  it('a signature event names the signer and the meaning', () => {
    const lab = new Lab();
    let c = lab.apply(lab.open(), { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
    c = lab.tickAll(c, 'imaging');
    const at = '2026-03-02T12:00:00.000Z';
    const r = lab.attempt(c, { type: 'sign', stage: 'imaging' }, rad, at);
    expect(r.ok && r.event).toMatchObject({ type: 'sign', at, actorId: rad.id, actorName: rad.name, summary: 'Imaging signed: “Imaging adequate for segmentation”' });
    expect(r.ok && r.case.stages.imaging.signature?.signedAt).toBe(at);
  });

  it('the event id is the one passed in, and the case id is the case’s', () => {
    const lab = new Lab();
    const c = lab.open();
    const r = applyCommand(c, { type: 'cancel', reason: 'dup' }, { actor: tech, now: '2026-03-03T00:00:00.000Z', eventId: asEventId('ev-xyz') });
    expect(r.ok && [r.event.id, r.event.caseId]).toEqual(['ev-xyz', c.id]);
  });
});

describe('deliverables and per-deliverable data', () => {
  it('removing a deliverable drops what was recorded for it', () => {
    const lab = new Lab();
    const m = lab.model('Kidney', ['Kidney']);
    const g = lab.guide('Guide');
    let c = lab.build({ deliverables: [m, g], use: 'yes' });
    expect(Object.keys(c.stages.delivery.perDeliverable).sort()).toEqual([m.id, g.id].sort());
    c = lab.apply(c, { type: 'setDeliverables', deliverables: [m] });
    expect(Object.keys(c.stages.delivery.perDeliverable)).toEqual([m.id]);
  });
});
