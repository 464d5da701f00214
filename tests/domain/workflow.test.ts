import { describe, expect, it } from 'vitest';
import type { Case, FieldValue, StageId } from '../../src/domain/case';
import { DEFAULT_CODE_TABLE, suggestCodes } from '../../src/domain/cpt';
import { STAGES, stageDef } from '../../src/domain/stages';
import { deriveStatus, isOverdue, signatureIsValid, signedContent, signedContentHash, stageStates, statusKey } from '../../src/domain/workflow';
import {
  CHECKLIST,
  IMAGING_VALUES,
  Lab,
  PRINTING_VALUES,
  SEGMENTING_VALUES,
  STERILIZATION_RECORD,
  STERILIZATION_VALUES,
  rad,
  rad2,
  tech,
} from '../support/case-builder';

const state = (c: Case, stage: StageId) => stageStates(c).find((s) => s.id === stage)!;
const without = (values: Record<string, FieldValue>, key: string) => Object.fromEntries(Object.entries(values).filter(([k]) => k !== key));

describe('the stage table', () => {
  it('defines the four stages in order, and who signs which', () => {
    expect(STAGES.map((s) => [s.id, s.signoff?.role ?? null])).toEqual([
      ['imaging', 'radiologist'],
      ['segmenting', 'radiologist'],
      ['printing', null],
      ['delivery', null],
    ]);
  });

  it.each<[StageId, string[]]>([
    ['imaging', ['modality', 'studyDate', 'accessionNumber', 'sliceThicknessMm']],
    ['segmenting', ['software', 'softwareVersion', 'segmentationMinutes']],
    ['printing', ['printer', 'technology', 'scalePercent', 'printHours', 'postProcessing', 'qaMeasuredErrorMm', 'qaToleranceMm']],
    ['delivery', ['sterilizationMethod', 'sterilizationLot', 'deliveredTo', 'deliveredAt']],
  ])('%s requires %j', (stage, required) => {
    expect(stageDef(stage).fields.filter((f) => f.required).map((f) => f.key)).toEqual(required);
  });
});

describe('a stage is complete only when everything it needs is done', () => {
  // Each row: the stage, which earlier stages the builder completes, how to record the stage with one thing missing, the blocker expected.
  type Row = [string, StageId, (lab: Lab, c: Case) => Case, RegExp];
  const recordImaging = (values: Record<string, FieldValue>, skip?: string) => (lab: Lab, c: Case) => {
    c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values });
    for (const item of CHECKLIST.imaging) if (item !== skip) c = lab.apply(c, { type: 'tick', stage: 'imaging', item, done: true });
    return c;
  };
  const recordSegmenting = (values: Record<string, FieldValue>, skip?: string) => (lab: Lab, c: Case) => {
    c = lab.completeImaging(c);
    c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values });
    for (const item of CHECKLIST.segmenting) if (item !== skip) c = lab.apply(c, { type: 'tick', stage: 'segmenting', item, done: true });
    return c;
  };
  const recordPrinting = (values: Record<string, FieldValue>, skip?: string) => (lab: Lab, c: Case) => {
    c = lab.completeSegmenting(lab.completeImaging(c));
    c = lab.apply(c, { type: 'saveStage', stage: 'printing', values });
    for (const item of CHECKLIST.printing) if (item !== skip) c = lab.apply(c, { type: 'tick', stage: 'printing', item, done: true });
    return c;
  };

  const rows: Row[] = [
    ...['modality', 'studyDate', 'accessionNumber', 'sliceThicknessMm'].map(
      (k): Row => [`imaging without ${k}`, 'imaging', recordImaging(without(IMAGING_VALUES, k)), new RegExp(`^Enter ${stageDef('imaging').fields.find((f) => f.key === k)!.label.toLowerCase()}$`)],
    ),
    ['imaging without “study retrieved”', 'imaging', recordImaging(IMAGING_VALUES, 'studyRetrieved'), /^Tick “Study retrieved from PACS”$/],
    ['imaging without the quality check', 'imaging', recordImaging(IMAGING_VALUES, 'qualityAdequate'), /^Tick “Image quality adequate/],
    ['imaging complete but unsigned', 'imaging', recordImaging(IMAGING_VALUES), /^Needs radiologist sign-off: “Imaging adequate for segmentation”$/],
    ...['software', 'softwareVersion', 'segmentationMinutes'].map(
      (k): Row => [`segmenting without ${k}`, 'segmenting', recordSegmenting(without(SEGMENTING_VALUES, k)), /^Enter /],
    ),
    ...CHECKLIST.segmenting.map((item): Row => [`segmenting without ${item}`, 'segmenting', recordSegmenting(SEGMENTING_VALUES, item), /^Tick “/]),
    ['segmenting complete but unsigned', 'segmenting', recordSegmenting(SEGMENTING_VALUES), /^Needs radiologist sign-off: “Segmentation verified against source images”$/],
    ...Object.keys(PRINTING_VALUES).map((k): Row => [`printing without ${k}`, 'printing', recordPrinting(without(PRINTING_VALUES, k)), /^Enter /]),
    ...CHECKLIST.printing.map((item): Row => [`printing without ${item}`, 'printing', recordPrinting(PRINTING_VALUES, item), /^Tick “/]),
  ];

  it.each(rows)('%s → not complete', (_name, stage, record, blocker) => {
    const lab = new Lab();
    const c = record(lab, lab.open());
    const s = state(c, stage);
    expect(s.complete).toBe(false);
    expect(s.waitingFor).toBeNull();
    expect(s.blockers.some((b) => blocker.test(b))).toBe(true);
    expect(deriveStatus(c).code).toBe('in-stage');
    expect(deriveStatus(c)).toMatchObject({ stage });
  });

  it.each<StageId>(['imaging', 'segmenting', 'printing', 'delivery'])('%s completes when all is done (optional fields may stay blank)', (stage) => {
    const lab = new Lab();
    const c = lab.build({ through: stage });
    const s = state(c, stage);
    expect(s.blockers).toEqual([]);
    expect(s.complete).toBe(true);
    expect(s.signatureValid).toBe(s.needsSignature);
    expect(c.stages.imaging.values.imagingNotes).toBeUndefined();
  });

  it.each([
    ['without delivered to', 'deliveredTo', /^Enter delivered to$/],
    ['without delivered at', 'deliveredAt', /^Enter delivered at$/],
  ])('delivery %s → not complete', (_name, key, blocker) => {
    const lab = new Lab();
    let c = lab.build({ through: 'printing' });
    const d = c.deliverables[0]!;
    c = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: without({ deliveredTo: 'OR 4', deliveredAt: '2026-03-10T07:30' }, key), perDeliverable: { [d.id]: { usedInCare: 'yes' } } });
    c = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
    expect(state(c, 'delivery').complete).toBe(false);
    expect(state(c, 'delivery').blockers.some((b) => blocker.test(b))).toBe(true);
  });

  it('delivery needs use in care recorded for every deliverable, and the handover ticked', () => {
    const lab = new Lab();
    const m = lab.model('Liver model', ['Liver', 'Tumour']);
    const g = lab.guide('Resection guide');
    let c = lab.build({ deliverables: [m, g], through: 'printing' });
    c = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 2', deliveredAt: '2026-03-10T07:30', ...STERILIZATION_VALUES }, perDeliverable: { [m.id]: { usedInCare: 'yes' }, [g.id]: STERILIZATION_RECORD } });
    c = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'sterilized', done: true });
    expect(state(c, 'delivery').blockers).toEqual(['Tick “Handed over and receipt confirmed”', "Record whether Resection guide was used in this patient's care"]);
    c = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: {}, perDeliverable: { [g.id]: { usedInCare: 'unknown' } } });
    c = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
    expect(state(c, 'delivery').complete).toBe(true); // "not yet known" is a recorded answer
  });

  it('segmenting needs at least one deliverable, and every model needs components', () => {
    const lab = new Lab();
    let empty = lab.completeImaging(lab.open([]));
    empty = lab.apply(empty, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
    empty = lab.tickAll(empty, 'segmenting');
    expect(state(empty, 'segmenting').blockers).toContain('Add at least one anatomic model or guide');
    expect(lab.attempt(empty, { type: 'sign', stage: 'segmenting' }, rad)).toEqual({ ok: false, reason: 'Not ready to sign: Add at least one anatomic model or guide' });

    let hollow = lab.completeImaging(lab.open([lab.model('Kidney model', [])]));
    hollow = lab.apply(hollow, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
    hollow = lab.tickAll(hollow, 'segmenting');
    expect(state(hollow, 'segmenting').blockers).toContain('Kidney model has no segmented components');
  });

  it('printing needs a material for every part', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Heart', ['Aorta'], { material: '' }), lab.guide('Guide A', 'drilling', '')], through: 'printing' });
    expect(state(c, 'printing').blockers).toEqual(['Heart – Aorta: choose a material', 'Guide A: choose a material']);
  });
});

describe('QA deviation above tolerance blocks printing', () => {
  it.each<[number, number, boolean]>([
    [0.4, 1, true],
    [1, 1, true], // at the tolerance is accepted
    [1.01, 1, false],
    [2.5, 1, false],
    [0.3, 0.25, false],
    [0, 0.01, true],
  ])('measured %f mm against %f mm → complete: %s', (measured, tolerance, complete) => {
    const lab = new Lab();
    const c = lab.build({ through: 'printing', printing: { ...PRINTING_VALUES, qaMeasuredErrorMm: measured, qaToleranceMm: tolerance } });
    const s = state(c, 'printing');
    expect(s.complete).toBe(complete);
    expect(s.blockers.some((b) => /QA deviation .* exceeds the .* tolerance/.test(b))).toBe(!complete);
    expect(deriveStatus(c).label).toBe(complete ? 'In delivery' : 'In printing');
    // Delivery cannot be recorded while printing is blocked.
    const r = lab.attempt(c, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 1' } });
    expect(r.ok).toBe(complete);
  });

  it('re-measuring within tolerance unblocks printing', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'printing', printing: { ...PRINTING_VALUES, qaMeasuredErrorMm: 1.4 } });
    expect(state(c, 'printing').complete).toBe(false);
    c = lab.apply(c, { type: 'saveStage', stage: 'printing', values: { qaMeasuredErrorMm: 0.6 } });
    expect(state(c, 'printing').complete).toBe(true);
  });
});

describe('guide-only fields are required only when the case has guides', () => {
  it('a models-only case completes delivery without sterilization', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Pelvis', ['Pelvis', 'Sacrum'])] });
    expect(c.stages.delivery.values.sterilizationMethod).toBeUndefined();
    expect(c.stages.delivery.checklist.sterilized).toBeUndefined();
    expect(state(c, 'delivery').complete).toBe(true);
    expect(deriveStatus(c).code).toBe('ready-for-billing');
  });

  it('a models-only case is not asked for sterilization at all', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Pelvis', ['Pelvis'])], through: 'printing' });
    const r = lab.attempt(c, { type: 'saveStage', stage: 'delivery', values: { sterilizationMethod: 'steam' } });
    expect(r.ok).toBe(false);
    expect(signedContent(c, 'delivery').values).not.toHaveProperty('sterilizationMethod');
  });

  it('a case with a guide needs sterilization method, lot and the sterilized tick', () => {
    const lab = new Lab();
    const g = lab.guide('Fibula osteotomy guide');
    let c = lab.build({ deliverables: [lab.model('Mandible', ['Mandible']), g], through: 'printing' });
    c = lab.apply(c, {
      type: 'saveStage',
      stage: 'delivery',
      values: { deliveredTo: 'OR 3', deliveredAt: '2026-03-10T07:30' },
      perDeliverable: Object.fromEntries(c.deliverables.map((d) => [d.id, { usedInCare: 'yes', ...(d.id === g.id ? STERILIZATION_RECORD : {}) }])),
    });
    c = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
    expect(state(c, 'delivery').blockers).toEqual(['Enter sterilization method', 'Enter sterilization lot', 'Tick “Guides sterilized and packed for the OR”']);
    c = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: STERILIZATION_VALUES });
    c = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'sterilized', done: true });
    expect(state(c, 'delivery').complete).toBe(true);
  });
});

describe('stages complete in order', () => {
  it('a later stage with all its data cannot complete while an earlier one is open', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'delivery' });
    expect(deriveStatus(c).code).toBe('ready-for-billing');
    // Re-open imaging by changing signed content: the later stages keep every value.
    const before = structuredClone(c.stages);
    c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { accessionNumber: 'ACC7654321' } });
    expect(c.stages.segmenting).toEqual(before.segmenting);
    expect(c.stages.printing).toEqual(before.printing);
    expect(c.stages.delivery).toEqual(before.delivery);
    const states = stageStates(c);
    expect(states.map((s) => [s.id, s.complete, s.waitingFor])).toEqual([
      ['imaging', false, null],
      ['segmenting', false, 'imaging'],
      ['printing', false, 'imaging'],
      ['delivery', false, 'imaging'],
    ]);
    // Their own requirements are still met: only the order holds them back.
    expect(states.slice(1).map((s) => s.blockers)).toEqual([[], [], []]);
    expect(deriveStatus(c).label).toBe('In imaging');
    expect(suggestCodes(c, DEFAULT_CODE_TABLE).state).toBe('provisional');

    c = lab.apply(c, { type: 'sign', stage: 'imaging' }, rad);
    expect(stageStates(c).every((s) => s.complete)).toBe(true);
    expect(deriveStatus(c).code).toBe('ready-for-billing');
  });
});

describe('what a signature covers', () => {
  it('imaging: the case id, the stage, its fields and checklist — not the deliverables', () => {
    const lab = new Lab();
    const c = lab.build({ through: 'imaging' });
    const content = signedContent(c, 'imaging');
    expect(content.caseId).toBe(c.id);
    expect(content.stage).toBe('imaging');
    // Effort bookkeeping is never signed; fields added later are signed once recorded (blank here).
    expect(Object.keys(content.values).sort()).toEqual(stageDef('imaging').fields.filter((f) => !f.unsigned && !f.signedOnceRecorded).map((f) => f.key).sort());
    expect(content.values).toMatchObject(IMAGING_VALUES);
    expect(content.values.imagingNotes).toBeNull();
    expect(content.checklist).toEqual({ studyRetrieved: true, qualityAdequate: true });
    expect(content.deliverables).toBeUndefined();
    expect(c.stages.imaging.signature).toMatchObject({
      signerId: rad.id,
      signerName: rad.name,
      role: 'radiologist',
      meaning: 'Imaging adequate for segmentation',
      contentHash: signedContentHash(c, 'imaging'),
    });
    expect(c.stages.imaging.signature!.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('segmenting: also the deliverables (models, components, guides)', () => {
    const lab = new Lab();
    const c = lab.build({ through: 'segmenting', deliverables: [lab.model('Kidney', ['Kidney', 'Tumour']), lab.guide('Guide')] });
    expect(signedContent(c, 'segmenting').deliverables).toEqual(c.deliverables);
  });

  it('the same content in another case gives another hash (the case id is covered)', () => {
    const lab = new Lab();
    const a = lab.build({ through: 'imaging' });
    const b = lab.build({ through: 'imaging' });
    expect(signedContent(a, 'imaging').values).toEqual(signedContent(b, 'imaging').values);
    expect(signedContentHash(a, 'imaging')).not.toBe(signedContentHash(b, 'imaging'));
  });
});

describe('changing signed content voids the signature, visibly', () => {
  type Edit = [string, StageId, (lab: Lab, c: Case) => Case, RegExp];
  const edits: Edit[] = [
    ['a required imaging field', 'imaging', (lab, c) => lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 1.25 } }), /Slice thickness/],
    ['an optional imaging field', 'imaging', (lab, c) => lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { contrastPhase: 'venous' } }), /Contrast phase/],
    ['the imaging notes', 'imaging', (lab, c) => lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { imagingNotes: 'Motion artefact at L5' } }), /Imaging notes/],
    ['unticking an imaging checklist item', 'imaging', (lab, c) => lab.apply(c, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: false }), /Image quality adequate/],
    ['a segmenting field', 'segmenting', (lab, c) => lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { softwareVersion: '27.0' } }), /Software version/],
    ['unticking the STL overlay check', 'segmenting', (lab, c) => lab.apply(c, { type: 'tick', stage: 'segmenting', item: 'stlOverlaid', done: false }), /overlaid/],
    [
      'adding a component',
      'segmenting',
      (lab, c) => {
        const [m, ...rest] = c.deliverables;
        if (m?.kind !== 'model') throw new Error('expected a model first');
        const extra = lab.model('x', ['Sacrum']).components[0]!;
        return lab.apply(c, { type: 'setDeliverables', deliverables: [{ ...m, components: [...m.components, extra] }, ...rest] });
      },
      /deliverables/,
    ],
    [
      'changing a component colour',
      'segmenting',
      (lab, c) =>
        lab.apply(c, {
          type: 'setDeliverables',
          deliverables: c.deliverables.map((d) => (d.kind === 'model' ? { ...d, components: d.components.map((p) => ({ ...p, colour: 'red' })) } : d)),
        }),
      /deliverables/,
    ],
  ];

  it.each(edits)('editing %s', (_name, stage, edit, reason) => {
    const lab = new Lab();
    const signed = lab.build({ through: 'printing' });
    const original = signed.stages[stage].signature!;
    const editedAt = lab.now(0);
    const c = edit(lab, signed);
    const rec = c.stages[stage];

    expect(rec.signature).toBeNull();
    expect(rec.voidedSignatures).toHaveLength(1);
    const v = rec.voidedSignatures[0]!;
    expect(v).toMatchObject({ ...original, voidedBy: tech.id, voidedByName: tech.name });
    expect(v.voidedAt > editedAt).toBe(true);
    expect(v.voidedAt).toBe(c.updatedAt);
    expect(v.reason).toMatch(reason);

    const event = lab.events.at(-1)!;
    expect(event.summary).toMatch(new RegExp(`voided the ${stageDef(stage).title} signature`));

    const s = state(c, stage);
    expect(s.complete).toBe(false);
    expect(s.signatureValid).toBe(false);
    expect(s.blockers.at(-1)).toMatch(/^Needs radiologist sign-off/);
    expect(deriveStatus(c).code).toBe('in-stage');
  });

  it('only the stage whose content changed loses its signature', () => {
    const lab = new Lab();
    const signed = lab.build({ through: 'printing' });
    const c = lab.apply(signed, { type: 'saveStage', stage: 'segmenting', values: { softwareVersion: '27.0' } });
    expect(c.stages.imaging.signature).toEqual(signed.stages.imaging.signature);
    expect(c.stages.imaging.voidedSignatures).toEqual([]);
    expect(signatureIsValid(c, 'imaging')).toBe(true);
  });

  it('changing the models and guides voids the segmenting signature but not the imaging one', () => {
    const lab = new Lab();
    const signed = lab.build({ through: 'segmenting' });
    const c = lab.apply(signed, { type: 'setDeliverables', deliverables: [...signed.deliverables, lab.guide('Screw guide', 'drilling')] });
    expect(c.stages.segmenting.signature).toBeNull();
    expect(c.stages.imaging.signature).toEqual(signed.stages.imaging.signature);
    expect(c.stages.imaging.voidedSignatures).toEqual([]);
    expect(state(c, 'imaging').complete).toBe(true);
  });

  it.each<[string, (lab: Lab, c: Case) => Case]>([
    ['editing the order', (lab, c) => lab.apply(c, { type: 'editOrder', input: { ...c.phi, ...c.order, physicianContact: 'pager 9999' } })],
    ['recording printing', (lab, c) => lab.apply(c, { type: 'saveStage', stage: 'printing', values: { printHours: 9 } })],
    ['ticking a printing item', (lab, c) => lab.apply(c, { type: 'tick', stage: 'printing', item: 'labelled', done: false })],
  ])('%s does not void imaging or segmenting', (_name, edit) => {
    const lab = new Lab();
    const signed = lab.build({ through: 'printing' });
    const c = edit(lab, signed);
    for (const stage of ['imaging', 'segmenting'] as const) {
      expect(c.stages[stage].signature).toEqual(signed.stages[stage].signature);
      expect(c.stages[stage].voidedSignatures).toEqual([]);
    }
  });

  it('the stage needs a new signature, and the voided one stays on record', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'segmenting' });
    const first = c.stages.imaging.signature!;
    c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { accessionNumber: 'ACC0000001' } });
    c = lab.apply(c, { type: 'sign', stage: 'imaging' }, rad2);
    expect(c.stages.imaging.signature).toMatchObject({ signerName: rad2.name, contentHash: signedContentHash(c, 'imaging') });
    expect(c.stages.imaging.signature!.contentHash).not.toBe(first.contentHash);
    expect(c.stages.imaging.voidedSignatures.map((v) => v.signerName)).toEqual([rad.name]);
    expect(state(c, 'imaging').complete).toBe(true);
    expect(deriveStatus(c).label).toBe('In printing');
  });

  it('restoring the old value does not revive a voided signature', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'imaging' });
    c = lab.apply(c, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: false });
    c = lab.apply(c, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
    expect(c.stages.imaging.signature).toBeNull();
    expect(state(c, 'imaging').complete).toBe(false);
  });
});

describe('a signature that does not match its record is not valid', () => {
  // These rows are tampered with outside the write path, as a forged or corrupted database row would be.
  it.each<[string, (c: Case, other: Case) => Case]>([
    ['a value edited in the stored row', (c) => {
      const f = structuredClone(c);
      f.stages.imaging.values.accessionNumber = 'ACC9999999';
      return f;
    }],
    ['a checklist tick removed in the stored row', (c) => {
      const f = structuredClone(c);
      delete f.stages.imaging.checklist.qualityAdequate;
      return f;
    }],
    ['a made-up hash', (c) => {
      const f = structuredClone(c);
      f.stages.imaging.signature!.contentHash = '0'.repeat(64);
      return f;
    }],
    ['a signature copied from another case with identical content', (c, other) => {
      const f = structuredClone(c);
      f.stages.imaging.signature = structuredClone(other.stages.imaging.signature);
      return f;
    }],
  ])('%s', (_name, forge) => {
    const lab = new Lab();
    const c = lab.build({ through: 'segmenting' });
    const other = lab.build({ through: 'imaging' });
    expect(signatureIsValid(c, 'imaging')).toBe(true);
    const forged = forge(c, other);
    expect(forged.stages.imaging.signature).not.toBeNull();
    expect(signatureIsValid(forged, 'imaging')).toBe(false);
    const s = state(forged, 'imaging');
    expect(s.complete).toBe(false);
    expect(s.blockers).toContain('Signature no longer matches the record: a radiologist must sign again');
    expect(deriveStatus(forged).label).toBe('In imaging');
  });
});

describe('re-signing over a signature that no longer matches', () => {
  it('keeps the non-matching signature on record as voided, not overwritten', () => {
    const lab = new Lab();
    const c = lab.build({ through: 'segmenting' });
    const forged = structuredClone(c);
    forged.stages.imaging.values.accessionNumber = 'ACC9999999'; // changed outside the write path
    const stale = forged.stages.imaging.signature!;
    const at = '2026-03-09T09:00:00.000Z';
    const resigned = lab.apply(forged, { type: 'sign', stage: 'imaging' }, rad2, at);
    expect(resigned.stages.imaging.signature).toMatchObject({ signerName: rad2.name, contentHash: signedContentHash(resigned, 'imaging') });
    expect(resigned.stages.imaging.voidedSignatures).toEqual([{ ...stale, voidedAt: at, voidedBy: rad2.id, voidedByName: rad2.name, reason: 'Signature no longer matched the record' }]);
    expect(state(resigned, 'imaging').complete).toBe(true);
  });
});

describe('deriveStatus', () => {
  it.each<[string, (lab: Lab) => Case, string, string, string]>([
    ['just opened', (lab) => lab.build({ through: 'opened' }), 'in-stage', 'In imaging', 'imaging'],
    ['imaging done', (lab) => lab.build({ through: 'imaging' }), 'in-stage', 'In segmenting', 'segmenting'],
    ['segmenting done', (lab) => lab.build({ through: 'segmenting' }), 'in-stage', 'In printing', 'printing'],
    ['printing done', (lab) => lab.build({ through: 'printing' }), 'in-stage', 'In delivery', 'delivery'],
    ['delivered, not yet handed over', (lab) => lab.build({ skipHandover: true }), 'in-stage', 'In delivery', 'delivery'],
    ['delivered, all used', (lab) => lab.build({ use: 'yes' }), 'ready-for-billing', 'Ready to close', 'ready-for-billing'],
    ['delivered, none used', (lab) => lab.build({ use: 'no' }), 'ready-for-billing', 'Ready to close', 'ready-for-billing'],
    ['delivered, use not yet known', (lab) => lab.build({ use: 'unknown' }), 'awaiting-use', 'Delivered — use in care not yet known', 'awaiting-use'],
    ['closed', (lab) => lab.apply(lab.build(), { type: 'close', codeTable: DEFAULT_CODE_TABLE }), 'closed', 'Closed', 'closed'],
    ['cancelled while in segmenting', (lab) => lab.apply(lab.build({ through: 'imaging' }), { type: 'cancel', reason: 'Patient transferred' }), 'cancelled', 'Cancelled', 'cancelled'],
    ['cancelled after delivery', (lab) => lab.apply(lab.build(), { type: 'cancel', reason: 'Duplicate order' }), 'cancelled', 'Cancelled', 'cancelled'],
  ])('%s', (_name, make, code, label, key) => {
    const c = make(new Lab());
    const s = deriveStatus(c);
    expect(s.code).toBe(code);
    expect(s.label).toBe(label);
    expect(statusKey(s)).toBe(key);
  });

  it.each<[string, string, boolean]>([
    ['in a stage and past the date needed', '2026-03-21', true],
    ['in a stage on the date needed', '2026-03-20', false],
  ])('overdue: %s', (_name, today, overdue) => {
    const lab = new Lab();
    const c = lab.build({ through: 'imaging' }); // date needed 2026-03-20
    expect(isOverdue(c.order.dateNeeded, statusKey(deriveStatus(c)), today)).toBe(overdue);
  });

  it('a finished case is never overdue', () => {
    const lab = new Lab();
    const c = lab.build();
    expect(isOverdue(c.order.dateNeeded, statusKey(deriveStatus(c)), '2027-01-01')).toBe(false);
  });
});
