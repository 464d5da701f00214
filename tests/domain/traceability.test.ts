import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/domain/case';
import { caseHash } from '../../src/domain/case-hash';
import { labelText, modelVerdicts, validOn, type Combination, type PartPrintInput } from '../../src/domain/traceability';
import { materialSchema } from '../../src/domain/lab-settings';
import { deepFreeze, Lab } from '../support/case-builder';

const MIMICS = 'sw-mimics';
const combo = (o: Partial<Combination> = {}): Combination => ({
  id: 'k1',
  printer: 'J5 #1',
  material: 'VeroClear',
  softwareId: MIMICS,
  validatedOn: '2026-01-15',
  evidence: 'Phantom study 2026-01, report QA-12',
  validatedBy: 'Lab Admin',
  ...o,
});
const print = (o: Partial<PartPrintInput> = {}): PartPrintInput => ({ printer: 'J5 #1', lot: 'VC-1', softwareId: MIMICS, software: 'Materialise Mimics 26.0', printedOn: '2026-03-01', ...o });

/** A case through segmenting (printing can be recorded), with a two-part model and a guide. */
function setUp() {
  const lab = new Lab();
  const model = lab.model('Pelvis model', ['Pelvis', 'Sacrum']);
  const guide = lab.guide('Iliac screw guide');
  const c = lab.build({ deliverables: [model, guide], through: 'segmenting' });
  const [pelvis, sacrum] = model.components.map((p) => p.id);
  return { lab, c, model, guide, pelvis: pelvis!, sacrum: sacrum! };
}

const record = (lab: Lab, c: Case, partId: string, p: PartPrintInput = print()) => lab.apply(c, { type: 'recordPartPrint', partId, print: p });

describe('recording how a part was made', () => {
  it('stores printer, material (the part’s own), lot, software and print date, with an audit line', () => {
    const { lab, c, pelvis } = setUp();
    const next = record(lab, deepFreeze(c), pelvis, print({ lotExpires: '2027-01-01' }));
    expect(next.printedParts?.[pelvis]).toEqual({ printer: 'J5 #1', material: 'VeroClear', lot: 'VC-1', lotExpires: '2027-01-01', softwareId: MIMICS, software: 'Materialise Mimics 26.0', printedOn: '2026-03-01' });
    expect(lab.events.at(-1)!.summary).toBe('Printing: Pelvis model – Pelvis made on J5 #1, VeroClear lot VC-1 (expires 2027-01-01), Materialise Mimics 26.0, printed 2026-03-01');
  });

  it.each([
    ['a lot that expired before the print date', { lotExpires: '2026-02-28' }, 'Lot VC-1 of VeroClear expired on 2026-02-28, before the print date 2026-03-01: it cannot be used. Choose another lot.'],
    ['a print date in the future', { printedOn: '2026-03-03' }, 'Pelvis model – Pelvis: the print date 2026-03-03 is in the future'],
    ['no lot', { lot: ' ' }, 'Enter the material’s lot'],
    ['no software', { softwareId: '' }, 'Enter the software'],
  ] as const)('refuses %s, changing nothing', (_what, change, reason) => {
    const { lab, c, pelvis } = setUp();
    const r = lab.attempt(deepFreeze(c), { type: 'recordPartPrint', partId: pelvis, print: print(change) });
    expect(r).toEqual({ ok: false, reason });
  });

  it('accepts a lot expiring on the print date itself, and one with no listed expiry', () => {
    const { lab, c, pelvis, sacrum } = setUp();
    const next = record(lab, record(lab, c, pelvis, print({ lotExpires: '2026-03-01' })), sacrum, print());
    expect(next.printedParts?.[sacrum]?.lotExpires).toBeUndefined();
  });

  it('refuses a part of a digital model and a part not in the case', () => {
    const lab = new Lab();
    const digital = lab.model('Heart on screen', ['Heart'], { digital: true });
    const printed = lab.model('Pelvis model', ['Pelvis']);
    const c = lab.build({ deliverables: [digital, printed], through: 'segmenting' });
    expect(lab.attempt(c, { type: 'recordPartPrint', partId: digital.components[0]!.id, print: print() })).toEqual({ ok: false, reason: 'Heart on screen is a digital model: it is not printed, so there is no print to record' });
    expect(lab.attempt(c, { type: 'recordPartPrint', partId: 'p-none', print: print() })).toEqual({ ok: false, reason: 'That part is not part of this case' });
  });

  it('refuses before segmenting is complete', () => {
    const lab = new Lab();
    const model = lab.model('Pelvis model', ['Pelvis']);
    const c = lab.build({ deliverables: [model], through: 'imaging' });
    expect(lab.attempt(c, { type: 'recordPartPrint', partId: model.components[0]!.id, print: print() })).toEqual({ ok: false, reason: 'Complete segmenting before recording printing' });
  });

  it('leaves a case without print records without the field, so its hash is as before', () => {
    const { c } = setUp();
    expect('printedParts' in c).toBe(false);
    expect(caseHash(c)).toBe(caseHash(JSON.parse(JSON.stringify(c)) as Case));
  });
});

describe('validOn', () => {
  it.each([
    ['before validation', combo(), '2026-01-14', false],
    ['on the validation day', combo(), '2026-01-15', true],
    ['withdrawn later', combo({ withdrawn: { on: '2026-04-01', reason: 'new resin formula', by: 'Lab Admin' } }), '2026-03-01', true],
    ['withdrawn that day', combo({ withdrawn: { on: '2026-03-01', reason: 'new resin formula', by: 'Lab Admin' } }), '2026-03-01', false],
  ] as const)('%s', (_what, k, day, expected) => expect(validOn(k, day)).toBe(expected));
});

describe('a model’s label', () => {
  it.each<[string, Combination[], (s: ReturnType<typeof setUp>) => Case, 'diagnostic' | 'reference', string[]]>([
    ['every part made with a validated combination → diagnostic', [combo()], (s) => record(s.lab, record(s.lab, s.c, s.pelvis), s.sacrum), 'diagnostic', []],
    ['one part with an unvalidated printer → reference only', [combo()], (s) => record(s.lab, record(s.lab, s.c, s.pelvis), s.sacrum, print({ printer: 'Form 3B #2' })), 'reference',
      ['Pelvis model – Sacrum: Form 3B #2 + VeroClear + Materialise Mimics 26.0 is not a validated combination']],
    ['one part not recorded (legacy or unfinished) → reference only', [combo()], (s) => record(s.lab, s.c, s.pelvis), 'reference', ['Pelvis model – Sacrum: how it was made is not recorded']],
    ['nothing recorded (a case from before) → reference only', [combo()], (s) => s.c, 'reference', ['Pelvis model – Pelvis: how it was made is not recorded', 'Pelvis model – Sacrum: how it was made is not recorded']],
    ['combination withdrawn after the print date → still diagnostic', [combo({ withdrawn: { on: '2026-03-02', reason: 'resin recall', by: 'Lab Admin' } })], (s) => record(s.lab, record(s.lab, s.c, s.pelvis), s.sacrum), 'diagnostic', []],
    ['combination withdrawn before the print date → reference only', [combo({ withdrawn: { on: '2026-02-20', reason: 'resin recall', by: 'Lab Admin' } })], (s) => record(s.lab, s.c, s.pelvis), 'reference',
      ['Pelvis model – Pelvis: its combination was withdrawn on 2026-02-20, before the print date 2026-03-01', 'Pelvis model – Sacrum: how it was made is not recorded']],
    ['validated only after the print → reference only', [combo({ validatedOn: '2026-03-02' })], (s) => record(s.lab, s.c, s.sacrum, print({ printedOn: '2026-03-01' })), 'reference',
      ['Pelvis model – Pelvis: how it was made is not recorded', 'Pelvis model – Sacrum: its combination was validated on 2026-03-02, after the print date 2026-03-01']],
    ['a combination with another software → reference only', [combo({ softwareId: 'sw-slicer' })], (s) => record(s.lab, record(s.lab, s.c, s.pelvis), s.sacrum), 'reference',
      ['Pelvis model – Pelvis: J5 #1 + VeroClear + Materialise Mimics 26.0 is not a validated combination', 'Pelvis model – Sacrum: J5 #1 + VeroClear + Materialise Mimics 26.0 is not a validated combination']],
    ['names compare as people read them → diagnostic', [combo({ printer: 'j5 #1 ', material: 'veroclear' })], (s) => record(s.lab, record(s.lab, s.c, s.pelvis), s.sacrum), 'diagnostic', []],
    ['no combinations known to this device → reference only', [], (s) => record(s.lab, s.c, s.pelvis), 'reference',
      ['Pelvis model – Pelvis: J5 #1 + VeroClear + Materialise Mimics 26.0 is not a validated combination', 'Pelvis model – Sacrum: how it was made is not recorded']],
  ])('%s', (_what, combinations, make, label, reasons) => {
    const s = setUp();
    const [v] = modelVerdicts(make(s), combinations);
    expect(v!.label).toBe(label);
    expect(v!.reasons).toEqual(reasons);
  });

  it('a part whose material changed after its print was recorded no longer counts', () => {
    const s = setUp();
    let c = record(s.lab, record(s.lab, s.c, s.pelvis), s.sacrum);
    const model = c.deliverables.find((d) => d.kind === 'model')!;
    if (model.kind !== 'model') throw new Error('model expected');
    const changed = { ...model, components: model.components.map((p, i) => (i === 1 ? { ...p, material: 'Agilus30' } : p)) };
    c = { ...c, deliverables: c.deliverables.map((d) => (d.id === model.id ? changed : d)) };
    const [v] = modelVerdicts(c, [combo()]);
    expect(v!.label).toBe('reference');
    expect(v!.reasons).toEqual(['Pelvis model – Sacrum: its material changed to Agilus30 after the print was recorded']);
  });

  it('digital models get no print label; guides are not models', () => {
    const lab = new Lab();
    const digital = lab.model('Heart on screen', ['Heart'], { digital: true });
    const c = lab.build({ deliverables: [digital, lab.guide('Drill guide', 'drilling')], through: 'segmenting' });
    expect(modelVerdicts(c, [combo()])).toEqual([]);
  });

  it('a printed model with no components is for reference only', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Empty model', [])], through: 'opened' });
    const [v] = modelVerdicts(c, [combo()]);
    expect(v).toMatchObject({ label: 'reference', reasons: ['Empty model has no components'] });
  });

  it('says so in the label text', () => {
    const s = setUp();
    const c = record(s.lab, record(s.lab, s.c, s.pelvis), s.sacrum);
    expect(labelText(modelVerdicts(c, [combo()])[0]!)).toBe('Pelvis model: Diagnostic — made entirely with validated printer–material–software combinations');
    expect(labelText(modelVerdicts(c, [])[0]!)).toBe('Pelvis model: For reference only — not made entirely with validated printer–material–software combinations');
  });
});

describe('material lots', () => {
  const base = { name: 'VeroClear', colour: 'clear', biocompatible: false, sterilizable: false, lot: '' };
  it.each([
    ['lots with their expiry', { lots: [{ lot: 'VC-1', expires: '2027-01-01' }] }, null],
    ['no lots (a material saved before lots)', {}, null],
    ['a lot without an expiry date', { lots: [{ lot: 'VC-1', expires: '' }] }, 'Enter the expiry date (YYYY-MM-DD)'],
    ['the same lot twice', { lots: [{ lot: 'VC-1', expires: '2027-01-01' }, { lot: 'vc-1', expires: '2027-02-01' }] }, 'Each lot is listed once'],
  ] as const)('%s', (_what, extra, error) => {
    const r = materialSchema.safeParse({ ...base, ...extra });
    expect(r.success ? null : r.error.issues[0]!.message).toBe(error);
  });
});
