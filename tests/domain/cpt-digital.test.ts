// Digital models (surface meshes delivered as files, not printed): the case skips printing for
// them, and the suggestion offers C8001 for hospital outpatient encounters, never 0559T/0560T.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CODE_TABLE, migrateCodeTable, suggestCodes, type CptSuggestion } from '../../src/domain/cpt';
import { describeDeliverable } from '../../src/domain/deliverables';
import { NOT_NEEDED, ownBlockers, recordingBlockedBy, stageStates } from '../../src/domain/workflow';
import { Lab } from '../support/case-builder';

const pairs = (s: CptSuggestion) => s.lines.map((l) => [l.code, l.units, l.serviceDate] as const);
const DELIVERED = '2026-05-04T10:00';

describe('a case of digital models only', () => {
  it('skips printing: the stage is complete as not needed, and refuses to record', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Heart for planning', ['Blood pool', 'Myocardium'], { digital: true })], through: 'segmenting' });
    const printing = stageStates(c).find((s) => s.id === 'printing')!;
    expect(printing).toMatchObject({ notNeeded: true, complete: true, blockers: [] });
    expect(recordingBlockedBy(c, 'printing')).toBe(NOT_NEEDED);
    expect(() => lab.apply(c, { type: 'saveStage', stage: 'printing', values: { printHours: 2 } })).toThrow(NOT_NEEDED);
    // Delivery is open at once.
    expect(stageStates(c).find((s) => s.id === 'delivery')!.waitingFor).toBeNull();
  });

  it('is billed as C8001 (one unit) for a hospital outpatient encounter, flagged for the coder', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Heart for planning', ['Blood pool', 'Myocardium', 'Aorta'], { digital: true })], encounter: 'hospital-outpatient', deliveredAt: DELIVERED });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.state).toBe('final');
    expect(pairs(s)).toEqual([['C8001', 1, '2026-05-04']]);
    expect(s.lines[0]!.reason).toBe('A digital model delivered on 2026-05-04 as surface mesh files, not printed (hospital outpatient): one unit per date of service.');
    expect(s.warnings).toEqual(['C8001 for Heart for planning: verify with your coder.']);
  });

  it('with no encounter setting recorded, C8001 is offered with a warning to record it', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Liver for planning', ['Liver'], { digital: true })], deliveredAt: DELIVERED });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(pairs(s)).toEqual([['C8001', 1, '2026-05-04']]);
    expect(s.warnings).toContain('C8001 is for hospital outpatient encounters only, and the order does not record the encounter setting: record it on the order, or check with your coder.');
  });

  it.each(['inpatient', 'other'] as const)('for an %s encounter nothing is suggested, and the reason says why', (encounter) => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Liver for planning', ['Liver'], { digital: true })], encounter, deliveredAt: DELIVERED });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.state).toBe('none');
    expect(s.lines).toEqual([]);
    expect(s.reasons.join(' ')).toMatch(/Liver for planning: a digital model, not printed\. C8001 is for hospital outpatient encounters only/);
  });

  it('is described as not printed, and its copies and materials are not asked for', () => {
    const lab = new Lab();
    const model = { ...lab.model('Heart', ['Blood pool'], { digital: true, material: '' }) };
    expect(describeDeliverable(model)).toBe('Heart (digital model, not printed: Blood pool / white)');
    const c = lab.build({ deliverables: [model, lab.guide('Osteotomy guide')], through: 'segmenting' });
    expect(ownBlockers(c, 'printing').filter((b) => b.includes('Heart'))).toEqual([]);
  });
});

describe('printed and digital models in one case', () => {
  it('printing is still needed for the print; only printed components count for 0559T/0560T; C8001 beside them is the coder’s call', () => {
    const lab = new Lab();
    const c = lab.build({
      deliverables: [lab.model('Pelvis print', ['Pelvis', 'Fragment']), lab.model('Pelvis for planning', ['Pelvis', 'Fragment', 'Vessels'], { digital: true })],
      encounter: 'hospital-outpatient',
      deliveredAt: DELIVERED,
    });
    expect(stageStates(c).find((s) => s.id === 'printing')!.notNeeded).toBe(false);
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(pairs(s)).toEqual([['0559T', 1, '2026-05-04'], ['0560T', 1, '2026-05-04'], ['C8001', 1, '2026-05-04']]);
    expect(s.warnings).toContain('Whether C8001 may be reported alongside 0559T–0562T for the same segmentation is a coder’s call: Printpath does not decide it.');
  });

  it('a digital model not used in care is not counted', () => {
    const lab = new Lab();
    const print = lab.model('Pelvis print', ['Pelvis']);
    const screen = lab.model('Pelvis for planning', ['Pelvis'], { digital: true });
    const c = lab.build({ deliverables: [print, screen], encounter: 'hospital-outpatient', use: { [print.id]: 'yes', [screen.id]: 'no' }, deliveredAt: DELIVERED });
    expect(pairs(suggestCodes(c, DEFAULT_CODE_TABLE))).toEqual([['0559T', 1, '2026-05-04']]);
  });
});

describe('the code table', () => {
  it('holds C8001 for hospital outpatient encounters; a table saved before it gains it, the admin’s own codes kept', () => {
    const c8001 = DEFAULT_CODE_TABLE.codes.find((d) => d.code === 'C8001')!;
    expect(c8001).toMatchObject({ family: 'segmentation', setting: 'hospital-outpatient', addOn: false });
    const old = { version: '2019-07-01', codes: DEFAULT_CODE_TABLE.codes.filter((d) => d.family !== 'segmentation').map((d) => ({ ...d, description: `edited ${d.code}` })) };
    const migrated = migrateCodeTable(old);
    expect(migrated.codes.map((d) => d.code)).toEqual(['0559T', '0560T', '0561T', '0562T', 'C8001']);
    expect(migrated.codes[0]!.description).toBe('edited 0559T');
  });
});
