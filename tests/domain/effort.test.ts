import { describe, expect, it } from 'vitest';
import type { FieldValue, StageId } from '../../src/domain/case';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { EFFORT, fieldDef } from '../../src/domain/stages';
import { ownBlockers, signatureIsValid, signedContent } from '../../src/domain/workflow';
import { Lab, rad, tech } from '../support/case-builder';

describe('the effort table', () => {
  it.each(EFFORT.map((e) => [e.id, e] as const))('%s: a total and a clinicians’ part, both minutes, in its stage', (_id, e) => {
    const total = fieldDef(e.stage, e.totalKey);
    const clinician = fieldDef(e.stage, e.clinicianKey);
    expect(total).toMatchObject({ type: 'number', unit: 'min' });
    expect(clinician).toMatchObject({ type: 'number', unit: 'min', required: false, unsigned: true, min: 0 });
    expect(clinician!.label).toBe(`${total!.label} by clinicians`);
  });

  it('covers the four registry categories', () => {
    expect(EFFORT.map((e) => e.id)).toEqual(['consultation', 'segmentation', 'cad', 'postProcessing']);
  });
});

describe('effort is bookkeeping outside the sign-off', () => {
  it('recording consultation and the clinicians’ part after imaging was signed keeps the signature', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'imaging' });
    const hash = c.stages.imaging.signature!.contentHash;
    c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { consultationMinutes: 40, consultationClinicianMinutes: 20 } });
    expect(c.stages.imaging.signature?.contentHash).toBe(hash);
    expect(signatureIsValid(c, 'imaging')).toBe(true);
    expect(signedContent(c, 'imaging').values).not.toHaveProperty('consultationMinutes');
  });

  it('the segmentation total stays signed; its clinicians’ part does not', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'segmenting' });
    c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { segmentationClinicianMinutes: 30 } });
    expect(signatureIsValid(c, 'segmenting')).toBe(true);
    c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { segmentationMinutes: 150 } });
    expect(c.stages.segmenting.signature).toBeNull();
  });
});

describe('the clinicians’ part must fit in its total', () => {
  const cases: [string, StageId, Record<string, FieldValue>, string[]][] = [
    ['no split recorded', 'imaging', { consultationMinutes: 30 }, []],
    ['within the total', 'imaging', { consultationMinutes: 30, consultationClinicianMinutes: 30 }, []],
    ['more than the total', 'imaging', { consultationMinutes: 30, consultationClinicianMinutes: 45 }, ['Consultation time by clinicians (45 min) is more than the consultation time (30 min)']],
    ['a clinicians’ part without its (optional) total', 'imaging', { consultationClinicianMinutes: 15 }, ['Enter consultation time: 15 min of it by clinicians is recorded']],
    ['CAD over its total', 'segmenting', { cadMinutes: 10, cadClinicianMinutes: 20 }, ['CAD design time by clinicians (20 min) is more than the CAD design time (10 min)']],
    ['post-processing over its total', 'printing', { postProcessingMinutes: 5, postProcessingClinicianMinutes: 6 }, ['Preparation / post-processing time by clinicians (6 min) is more than the preparation / post-processing time (5 min)']],
  ];
  it.each(cases)('%s', (_name, stage, values, expected) => {
    const lab = new Lab();
    let c = lab.build({ through: stage === 'imaging' ? 'opened' : stage === 'segmenting' ? 'imaging' : 'segmenting' });
    c = lab.apply(c, { type: 'saveStage', stage, values });
    expect(ownBlockers(c, stage).filter((b) => b.includes('clinicians'))).toEqual(expected);
  });
});

describe('demo cases record effort', () => {
  it('with the clinicians’ part within each total, sometimes left unknown', () => {
    let n = 0;
    let unknown = 0;
    for (let i = 0; i < 30; i++) {
      const { case: c } = generateCase(seededRng(i), { index: i, openedAt: '2026-03-01T08:00:00.000Z', technician: tech, radiologist: rad, progress: 5, newId: () => `id-${n++}`, caseNumber: `PP-${i}` });
      for (const e of EFFORT) {
        const v = c.stages[e.stage].values;
        if (e.id === 'cad' && !c.deliverables.some((d) => d.kind === 'guide')) continue;
        expect(typeof v[e.totalKey]).toBe('number');
        const part = v[e.clinicianKey];
        if (part === null || part === undefined) unknown++;
        else expect(part).toBeLessThanOrEqual(v[e.totalKey] as number);
      }
    }
    expect(unknown).toBeGreaterThan(0);
  });
});
