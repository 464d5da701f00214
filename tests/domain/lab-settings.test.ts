import { describe, expect, it } from 'vitest';
import { DEMO_MATERIALS, DEMO_PRINTERS } from '../../src/domain/demo-lab';
import { entryTokens, equipmentTokens, materialSchema, materialsOf, printerOf, printerSchema, sameName, TECHNOLOGY_OPTIONS, usesEntry, type EquipmentRefs } from '../../src/domain/lab-settings';
import { Lab } from '../support/case-builder';

const firstMessage = (r: { success: boolean; error?: { issues: { message: string }[] } }) => (r.success ? null : r.error!.issues[0]!.message);

describe('printer input', () => {
  const ok = { label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' };
  const cases: [string, object, string | null][] = [
    ['complete', ok, null],
    ['blank label', { ...ok, label: '  ' }, 'Enter the printer’s label (what the lab calls it, e.g. “J5 #1”)'],
    ['no maker', { ...ok, maker: '' }, 'Enter the maker'],
    ['no model', { ...ok, model: '' }, 'Enter the model'],
    ['no technology', { ...ok, technology: '' }, 'Choose the printing technology'],
    ['unknown technology', { ...ok, technology: 'laser-magic' }, 'Choose the printing technology'],
    ['label too long', { ...ok, label: 'x'.repeat(61) }, 'At most 60 characters for the printer’s label (what the lab calls it, e.g. “J5 #1”)'],
  ];
  it.each(cases)('%s', (_name, input, message) => {
    expect(firstMessage(printerSchema.safeParse(input))).toBe(message);
  });

  it('trims what is typed', () => {
    expect(printerSchema.parse({ ...ok, label: '  J5 #1 ' }).label).toBe('J5 #1');
  });

  it('offers the printing stage’s technologies', () => {
    expect(TECHNOLOGY_OPTIONS.map((o) => o.value)).toContain('vat-photopolymerization');
  });
});

describe('material input', () => {
  const ok = { name: 'Surgical Guide resin', colour: 'light orange', biocompatible: true, sterilizable: true, lot: 'SG-0211-07' };
  const cases: [string, object, string | null][] = [
    ['complete', ok, null],
    ['not biocompatible, no lot', { ...ok, biocompatible: false, lot: '' }, null],
    ['biocompatible without a lot', { ...ok, lot: ' ' }, 'Enter the lot: a biocompatible material must be traceable to its lot'],
    ['no name', { ...ok, name: '' }, 'Enter the material’s name'],
    ['no colour', { ...ok, colour: '' }, 'Enter the colour (e.g. clear, white)'],
  ];
  it.each(cases)('%s', (_name, input, message) => {
    expect(firstMessage(materialSchema.safeParse(input))).toBe(message);
  });

  it('the demo lists are valid input', () => {
    for (const p of DEMO_PRINTERS) expect(printerSchema.safeParse(p).success).toBe(true);
    for (const m of DEMO_MATERIALS) expect(materialSchema.safeParse(m).success).toBe(true);
  });
});

describe('which cases name an entry', () => {
  const lab = new Lab();
  const c = lab.build({
    through: 'printing',
    deliverables: [lab.model('Kidney', ['Kidney'], { material: 'VeroClear' }), lab.guide('Guide', 'cutting', 'Surgical Guide resin')],
    printing: { printer: 'J5 #1', technology: 'material-jetting', scalePercent: 100, printHours: 5, postProcessing: 'UV cure', qaMeasuredErrorMm: 0.2, qaToleranceMm: 1 },
  });

  it('reads the printer and every part’s material', () => {
    expect(printerOf(c)).toBe('J5 #1');
    expect(materialsOf(c)).toEqual(['VeroClear', 'Surgical Guide resin']);
  });

  const cases: [string, 'printer' | 'material', { id: string; name: string }, boolean][] = [
    ['printer by label', 'printer', { id: 'p1', name: 'J5 #1' }, true],
    ['printer, other case and spaces', 'printer', { id: 'p1', name: ' j5 #1 ' }, true],
    ['printer by id', 'printer', { id: 'J5 #1', name: 'Renamed' }, true],
    ['another printer', 'printer', { id: 'p2', name: 'Fuse 1' }, false],
    ['a component’s material', 'material', { id: 'm1', name: 'veroclear' }, true],
    ['a guide’s material', 'material', { id: 'm2', name: 'Surgical Guide resin' }, true],
    ['a material nobody used', 'material', { id: 'm3', name: 'PA12 nylon' }, false],
    ['a material name is not a printer', 'printer', { id: 'm1', name: 'VeroClear' }, false],
  ];
  it.each(cases)('%s', (_name, kind, entry, expected) => {
    expect(usesEntry(c, kind, entry)).toBe(expected);
  });

  // The `uses` index answers usesEntry: a case's tokens share one with the entry's exactly when it names the entry.
  const indexSays = (x: EquipmentRefs, kind: 'printer' | 'material' | 'software', entry: { id: string; name: string }) => entryTokens(kind, entry).some((t) => equipmentTokens(x).includes(t));
  it.each(cases)('the index tokens agree: %s', (_name, kind, entry, expected) => {
    expect(indexSays(c, kind, entry)).toBe(expected);
  });

  it('the index tokens agree for printed parts (their printer and software) and for a case naming nothing', () => {
    const printed: EquipmentRefs = { ...c, stages: { printing: { values: {} } }, printedParts: { a: { printer: 'Form 3B #2', softwareId: 'sw-1' }, b: { printer: ' form 3b #2', softwareId: 'sw-2' } } };
    const entries: ['printer' | 'material' | 'software', { id: string; name: string }][] = [
      ['printer', { id: 'p2', name: 'FORM 3B #2' }],
      ['printer', { id: 'p1', name: 'J5 #1' }],
      ['software', { id: 'sw-1', name: 'Mimics 26' }],
      ['software', { id: 'sw-3', name: 'Mimics 26' }],
      ['software', { id: 'SW-1', name: 'sw-1' }],
      ['material', { id: 'm1', name: 'VeroClear' }],
    ];
    const none = lab.build({ through: 'opened' });
    for (const x of [printed, c, none]) for (const [kind, entry] of entries) expect(indexSays(x, kind, entry), `${kind} ${entry.name}`).toBe(usesEntry(x, kind, entry));
    expect(usesEntry(printed, 'software', { id: 'sw-1', name: '' })).toBe(true);
    // A just-opened case names its deliverables' materials, no printer and no software yet.
    expect(equipmentTokens(none).filter((t) => !t.startsWith('material'))).toEqual([]);
  });

  it('a case with no printer recorded names none', () => {
    const opened = lab.build({ through: 'opened' });
    expect(printerOf(opened)).toBeNull();
    expect(usesEntry(opened, 'printer', { id: 'x', name: '' })).toBe(false);
  });

  it('compares names without case or surrounding spaces', () => {
    expect(sameName(' Fuse 1', 'fuse 1 ')).toBe(true);
    expect(sameName('Fuse 1', 'Fuse 2')).toBe(false);
  });
});
