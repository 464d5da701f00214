import { beforeEach, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../src/db/audit-repo';
import { db } from '../../src/db/database';
import { loadDemoCases } from '../../src/db/demo-repo';
import {
  addMissingLabEntries,
  deleteMaterial,
  deletePrinter,
  listMaterials,
  listPrinters,
  readLabListUsage,
  saveMaterial,
  savePrinter,
  setMaterialRetired,
  setPrinterRetired,
} from '../../src/db/lab-settings-repo';
import { lock } from '../../src/db/vault';
import { DEMO_CASE_PRINTERS, DEMO_MATERIALS, DEMO_PRINTERS } from '../../src/domain/demo-lab';
import type { MaterialInput, PrinterInput } from '../../src/domain/lab-settings';
import { Lab } from '../support/case-builder';
import { resetDatabase, signIn, TEST_PIN } from '../support/render-app';
import { storeBuiltCase } from '../support/store-case';

const NOW = '2026-11-20T10:00:00.000Z';
const J5: PrinterInput = { label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' };
const FORM: PrinterInput = { label: 'Form 3B #2', maker: 'Formlabs', model: 'Form 3B+', technology: 'vat-photopolymerization' };
const GUIDE_RESIN: MaterialInput = { name: 'Surgical Guide resin', colour: 'light orange', biocompatible: true, sterilizable: true, lot: 'SG-0211-07' };
const VERO: MaterialInput = { name: 'VeroClear', colour: 'clear', biocompatible: false, sterilizable: false, lot: '' };

const labKinds = async () => (await readLabHistory()).entries.map((e) => e.kind).filter((k) => k.startsWith('printer-') || k.startsWith('material-'));

/** A case printed on J5 #1 with a VeroClear model and a Surgical Guide resin guide, stored as the app stores it. */
async function storeCaseUsing(printer = 'J5 #1', lab = new Lab()) {
  const c = lab.build({
    through: 'printing',
    deliverables: [lab.model('Pelvis', ['Pelvis'], { material: 'VeroClear' }), lab.guide('Iliac guide', 'cutting', 'Surgical Guide resin')],
    printing: { printer, technology: 'material-jetting', scalePercent: 100, printHours: 6, postProcessing: 'Support removal', qaMeasuredErrorMm: 0.3, qaToleranceMm: 1 },
  });
  await storeBuiltCase(c);
  return c;
}

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('printers and materials: adding and changing', () => {
  it('a lab admin adds printers and materials; each goes on the lab audit trail', async () => {
    const printer = await savePrinter(J5, null, NOW);
    expect(printer).toMatchObject({ ...J5, retired: false });
    expect(printer.id).toMatch(/[0-9a-f-]{36}/);
    await saveMaterial(GUIDE_RESIN, null, NOW);
    expect(await listPrinters()).toEqual([printer]);
    expect((await listMaterials()).map((m) => m.name)).toEqual(['Surgical Guide resin']);
    const history = await readLabHistory();
    expect(history.verification.ok).toBe(true);
    expect(history.entries.slice(-2).map((e) => [e.kind, e.body.summary, e.actorName])).toEqual([
      ['printer-added', 'Printer J5 #1 added (Stratasys J5 MediJet, material jetting (polyjet))', 'Lab Admin'],
      ['material-added', 'Material Surgical Guide resin added (light orange, biocompatible, sterilizable, lot SG-0211-07)', 'Lab Admin'],
    ]);
  });

  it('refuses invalid input with the first problem, and writes nothing', async () => {
    const before = await db.audit.count();
    await expect(savePrinter({ ...J5, maker: ' ' }, null, NOW)).rejects.toThrow('Enter the maker');
    await expect(savePrinter({ ...J5, technology: 'laser' }, null, NOW)).rejects.toThrow('Choose the printing technology');
    await expect(saveMaterial({ ...GUIDE_RESIN, lot: '' }, null, NOW)).rejects.toThrow('Enter the lot: a biocompatible material must be traceable to its lot');
    expect(await db.printers.count()).toBe(0);
    expect(await db.materials.count()).toBe(0);
    expect(await db.audit.count()).toBe(before);
  });

  it('refuses a second entry with the same label or name, whatever its case', async () => {
    await savePrinter(J5, null, NOW);
    await expect(savePrinter({ ...FORM, label: ' j5 #1 ' }, null, NOW)).rejects.toThrow('Printer “J5 #1” is already on the list: choose another label');
    await saveMaterial(VERO, null, NOW);
    await expect(saveMaterial({ ...VERO, name: 'VEROCLEAR' }, null, NOW)).rejects.toThrow('Material “VeroClear” is already on the list: choose another name');
  });

  it('changes an entry and records what changed', async () => {
    const p = await savePrinter(J5, null, NOW);
    const changed = await savePrinter({ ...J5, model: 'J5 DentaJet' }, p.id, NOW);
    expect(changed).toMatchObject({ id: p.id, model: 'J5 DentaJet' });
    expect((await readLabHistory()).entries.at(-1)!.body.summary).toBe('Printer J5 #1 changed (model): now J5 #1, Stratasys J5 DentaJet, material jetting (polyjet)');
    await expect(savePrinter({ ...J5, model: 'J5 DentaJet' }, p.id, NOW)).rejects.toThrow('Nothing changed');
  });

  it('only a lab admin changes the lists; anyone signed in reads them; nobody while locked', async () => {
    await savePrinter(J5, null, NOW);
    await signIn('Tess Tech', ['technician']);
    expect(await listPrinters()).toHaveLength(1);
    await expect(savePrinter(FORM, null, NOW)).rejects.toThrow('Only a lab admin can change the lab’s printers and materials');
    await expect(deletePrinter((await listPrinters())[0]!.id, NOW)).rejects.toThrow('Only a lab admin');
    await lock();
    await expect(savePrinter(FORM, null, NOW)).rejects.toThrow(/locked/);
    await expect(readLabListUsage()).rejects.toThrow(/locked/);
  });
});

describe('in use by a case: retire, never delete or rename', () => {
  it('refuses to delete a printer a case was printed on, and says which case', async () => {
    const p = await savePrinter(J5, null, NOW);
    const c = await storeCaseUsing('J5 #1');
    await expect(deletePrinter(p.id, NOW)).rejects.toThrow(`J5 #1 is recorded on 1 case (${c.caseNumber}): it cannot be deleted, only retired.`);
    expect(await db.printers.get(p.id)).toBeDefined();
    expect(await labKinds()).toEqual(['printer-added']);
  });

  it('refuses to delete materials used by a model component or by a guide', async () => {
    const vero = await saveMaterial(VERO, null, NOW);
    const resin = await saveMaterial(GUIDE_RESIN, null, NOW);
    await storeCaseUsing();
    await expect(deleteMaterial(vero.id, NOW)).rejects.toThrow(/VeroClear is recorded on 1 case .*only retired/);
    await expect(deleteMaterial(resin.id, NOW)).rejects.toThrow(/Surgical Guide resin is recorded on 1 case/);
    expect(await db.materials.count()).toBe(2);
  });

  it('a case naming the entry by its id counts too', async () => {
    const p = await savePrinter(J5, null, NOW);
    await storeCaseUsing(p.id);
    await expect(deletePrinter(p.id, NOW)).rejects.toThrow(/cannot be deleted, only retired/);
  });

  it('retires an entry in use (no longer offered), and offers it again', async () => {
    const p = await savePrinter(J5, null, NOW);
    await storeCaseUsing();
    await setPrinterRetired(p.id, true, NOW);
    expect(await db.printers.get(p.id)).toMatchObject({ retired: true });
    await expect(setPrinterRetired(p.id, true, NOW)).rejects.toThrow('J5 #1 is already retired');
    await setPrinterRetired(p.id, false, NOW);
    expect(await db.printers.get(p.id)).toMatchObject({ retired: false });
    expect(await labKinds()).toEqual(['printer-added', 'printer-retired', 'printer-reactivated']);
  });

  it('refuses to rename an entry in use, but lets its other details change', async () => {
    const p = await savePrinter(J5, null, NOW);
    await storeCaseUsing();
    await expect(savePrinter({ ...J5, label: 'J5 #one' }, p.id, NOW)).rejects.toThrow(/J5 #1 is recorded on 1 case .*it keeps its label\. Retire it and add the new one instead\./);
    await savePrinter({ ...J5, model: 'J5 DentaJet' }, p.id, NOW);
    const m = await saveMaterial(VERO, null, NOW);
    await expect(saveMaterial({ ...VERO, name: 'Vero Clear' }, m.id, NOW)).rejects.toThrow(/it keeps its name/);
  });

  it('deletes an entry no case uses, with its audit entry', async () => {
    const p = await savePrinter(FORM, null, NOW);
    const m = await saveMaterial({ ...VERO, name: 'Tough 2000 resin' }, null, NOW);
    await storeCaseUsing();
    await deletePrinter(p.id, NOW);
    await deleteMaterial(m.id, NOW);
    expect(await db.printers.count()).toBe(0);
    expect(await db.materials.count()).toBe(0);
    expect(await labKinds()).toEqual(['printer-added', 'material-added', 'printer-deleted', 'material-deleted']);
    await expect(deletePrinter(p.id, NOW)).rejects.toThrow('This printer is no longer on the list');
    await setMaterialRetired('gone', true, NOW).catch((e: Error) => expect(e.message).toBe('This material is no longer on the list'));
  });

  it('reports which cases use each entry', async () => {
    const j5 = await savePrinter(J5, null, NOW);
    const form = await savePrinter(FORM, null, NOW);
    const vero = await saveMaterial(VERO, null, NOW);
    const lab = new Lab();
    const a = await storeCaseUsing('J5 #1', lab);
    const b = await storeCaseUsing('J5 #1', lab);
    const usage = await readLabListUsage();
    expect(usage.printers[j5.id]).toBe(2);
    expect(usage.printers[form.id]).toBeUndefined();
    expect(usage.materials[vero.id]).toBe(2);
    // The same counts from reading every case.
    expect(await readLabListUsage({ scan: true })).toEqual(usage);
    // Case a reprinted on the other printer (named in other letter case): the counts follow the write.
    await storeBuiltCase({ ...a, revision: a.revision + 1, stages: { ...a.stages, printing: { ...a.stages.printing, values: { ...a.stages.printing.values, printer: ' form 3B #2' } } } });
    expect((await readLabListUsage()).printers).toEqual({ [j5.id]: 1, [form.id]: 1 });
    // A case naming the printer by its id and (on a printed part) by its label counts once.
    await storeBuiltCase({ ...a, revision: a.revision + 2, stages: { ...a.stages, printing: { ...a.stages.printing, values: { ...a.stages.printing.values, printer: form.id } } }, printedParts: { x: { printer: 'Form 3B #2', material: 'VeroClear', lot: '', softwareId: 'sw', software: 'sw', printedOn: '2026-11-20' } } });
    expect((await readLabListUsage()).printers).toEqual({ [j5.id]: 1, [form.id]: 1 });
    expect(await readLabListUsage({ scan: true })).toEqual(await readLabListUsage());
    // A case gone from the table takes its counts with it.
    await db.cases.delete(b.id);
    expect(await readLabListUsage()).toEqual({ printers: { [form.id]: 1 }, materials: { [vero.id]: 1 }, software: {} });
    expect(await db.equipmentUse.toArray()).toEqual(expect.arrayContaining([{ token: 'printer:form 3b #2', cases: 1 }]));
  });
});

describe('demo data', () => {
  it('loading the demo cases adds the demo printers and materials once, and the cases use them', async () => {
    await loadDemoCases(12, TEST_PIN, new Date(NOW));
    expect((await listPrinters()).map((p) => p.label).sort()).toEqual(DEMO_PRINTERS.map((p) => p.label).sort());
    expect(await db.materials.count()).toBe(DEMO_MATERIALS.length);
    const usage = await readLabListUsage();
    const printers = await listPrinters();
    const used = printers.filter((p) => usage.printers[p.id]).map((p) => p.label);
    expect(used.length).toBeGreaterThan(0);
    for (const label of used) expect(DEMO_CASE_PRINTERS.map((p) => p.label)).toContain(label);
    expect(await addMissingLabEntries(DEMO_PRINTERS, DEMO_MATERIALS, NOW)).toBe(0);
  });
});
