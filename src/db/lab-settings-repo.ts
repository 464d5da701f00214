// The lab's printers and materials (tables `printers`, `materials`; no PHI). Anyone
// signed in reads them (they are offered when recording a case); only a lab admin
// changes them, each change in one transaction with its signed entry on the lab log
// (the entry is signed first; the transaction checks the entry it read is unchanged). Cases store a printer's label and a material's name as text, so an entry
// a case names (checked by name or id over every case's clear part, in the same
// transaction) can be retired but neither deleted nor renamed.
import { entryTokens, materialSchema, printerSchema, sameName, technologyLabel, usesEntry, type EquipmentRefs, type MaterialInput, type PrinterInput } from '../domain/lab-settings';
import type { LabEventKind } from '../domain/lab-log';
import { migrateCodeTable, type CodeTable } from '../domain/cpt';
import { describePrinterQa, printerQaSchema, type PrinterQaEntry, type PrinterQaInput } from '../domain/printer-qa';
import { codeTableEditSchema, describeCodeTableChange, editCodeTable, type CodeTableEdit } from '../domain/code-table';
import { CODE_TABLE_KEY, getCodeTable, putCodeTable } from './code-table-repo';
import { activeDb, db, durableDb, type MaterialRow, type PrinterRow } from './database';
import { CommandRefused } from './errors';
import { writeLab } from './lab-log-repo';
import { entrySigner } from './signed-entries';
import { requireUnlock, type Unlocked } from './vault';
import { settingList, type ListStore } from './setting-list';
import { combinationSchema, describeCombination, sameCombination, softwareName, softwareSchema, fdaText, withdrawalSchema, type Combination, type CombinationInput, type SoftwareEntry, type SoftwareInput, type WithdrawalInput } from '../domain/traceability';

export type LabListKind = 'printer' | 'material' | 'software';

/** Settings keys of the lists kept as one setting each (shared with the lab like the code table). */
export const SOFTWARE_KEY = 'labSoftware';
export const COMBINATIONS_KEY = 'validatedCombinations';

type Entry = { id: string; retired: boolean };

/** What differs between the two lists: the table, the schema, and how an entry is named and described. */
type Spec<Row extends Entry> = {
  kind: LabListKind;
  noun: string;
  table: () => ListStore<Row>;
  /** Validates the input (throws a refusal with the first problem) and makes an offered entry. */
  build: (input: unknown, id: string) => Row;
  nameOf: (row: Row) => string;
  describe: (row: Row) => string;
};

function parsed<T>(result: { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } }): T {
  if (!result.success) throw new CommandRefused(result.error.issues[0]?.message ?? 'Not valid');
  return result.data;
}

const PRINTERS: Spec<PrinterRow> = {
  kind: 'printer',
  noun: 'Printer',
  table: () => activeDb(db).printers,
  build: (input, id) => ({ id, ...parsed(printerSchema.safeParse(input)), retired: false }),
  nameOf: (p) => p.label,
  describe: (p) => `${p.maker} ${p.model}, ${technologyLabel(p.technology).toLowerCase()}`,
};

const MATERIALS: Spec<MaterialRow> = {
  kind: 'material',
  noun: 'Material',
  table: () => activeDb(db).materials,
  build: (input, id) => {
    // No `lots` key until a lot with its expiry is listed: a material saved before lots keeps its shape.
    const { lots, ...m } = parsed(materialSchema.safeParse(input));
    return { id, ...m, ...(lots?.length ? { lots } : {}), retired: false };
  },
  nameOf: (m) => m.name,
  describe: (m) =>
    [m.colour, m.biocompatible && 'biocompatible', m.sterilizable && 'sterilizable', m.lot && `lot ${m.lot}`, ...(m.lots ?? []).map((l) => `lot ${l.lot} expires ${l.expires}`)].filter(Boolean).join(', '),
};

const SOFTWARE: Spec<SoftwareEntry> = {
  kind: 'software',
  noun: 'Software',
  table: () => settingList<SoftwareEntry>(SOFTWARE_KEY),
  build: (input, id) => ({ id, ...parsed(softwareSchema.safeParse(input)), retired: false }),
  nameOf: softwareName,
  describe: (s) => fdaText(s.fdaCleared),
};

function requireLabAdmin(): Unlocked {
  const u = requireUnlock();
  if (!u.actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can change the lab’s printers and materials');
  return u;
}

/** Offered entries first, then retired ones; each by name. */
async function list<Row extends Entry>(spec: Spec<Row>): Promise<Row[]> {
  requireUnlock();
  const rows = await spec.table().toArray();
  return rows.sort((a, b) => Number(a.retired) - Number(b.retired) || spec.nameOf(a).localeCompare(spec.nameOf(b)));
}

export const listPrinters = () => list(PRINTERS);
export const listMaterials = () => list(MATERIALS);
export const listSoftware = () => list(SOFTWARE);

/** How many cases name each entry, by entry id (absent: none): what cannot be deleted. */
export type LabListUsage = { printers: Record<string, number>; materials: Record<string, number>; software: Record<string, number> };

async function eachCase(fn: (c: EquipmentRefs) => void): Promise<void> {
  await db.cases.each((row) => fn(row.clear));
}

/**
 * From the use counts kept with every case write (dashboard-facts.ts): one small row per token an
 * entry is named by, whatever the number of cases. Cases naming an entry both by its name and by
 * its id count once, from the kept facts' index. `scan` reads every case instead, as before.
 */
export async function readLabListUsage({ scan = false }: { /** Read every case (for the benchmark's comparison). */ scan?: boolean } = {}): Promise<LabListUsage> {
  requireUnlock();
  const [printers, materials, software] = await Promise.all([db.printers.toArray(), db.materials.toArray(), SOFTWARE.table().toArray()]);
  const entries = [
    ...printers.map((p) => ({ list: 'printers' as const, kind: 'printer' as const, entry: { id: p.id, name: p.label } })),
    ...materials.map((m) => ({ list: 'materials' as const, kind: 'material' as const, entry: { id: m.id, name: m.name } })),
    ...software.map((s) => ({ list: 'software' as const, kind: 'software' as const, entry: { id: s.id, name: softwareName(s) } })),
  ].map((e) => ({ ...e, tokens: entryTokens(e.kind, e.entry) }));
  const usage: LabListUsage = { printers: {}, materials: {}, software: {} };
  if (scan) {
    await eachCase((c) => {
      for (const e of entries) if (usesEntry(c, e.kind, e.entry)) usage[e.list][e.entry.id] = (usage[e.list][e.entry.id] ?? 0) + 1;
    });
    return usage;
  }
  const counts = await db.transaction('r', db.equipmentUse, db.caseFacts, async () => {
    const tokens = [...new Set(entries.flatMap((e) => e.tokens))];
    const kept = new Map((await db.equipmentUse.bulkGet(tokens)).map((r, n) => [tokens[n]!, r?.cases ?? 0]));
    return Promise.all(
      entries.map(async ({ tokens }) => {
        const each = tokens.map((t) => kept.get(t) ?? 0);
        if (each.filter((n) => n > 0).length <= 1) return each.reduce((a, b) => a + b, 0);
        return new Set(await db.caseFacts.where('uses').anyOf(tokens).primaryKeys()).size;
      }),
    );
  });
  entries.forEach((e, n) => {
    if (counts[n]) usage[e.list][e.entry.id] = counts[n];
  });
  return usage;
}

async function casesNaming(kind: LabListKind, entry: { id: string; name: string }): Promise<string[]> {
  const out: string[] = [];
  await eachCase((c) => {
    if (usesEntry(c, kind, entry)) out.push(c.caseNumber);
  });
  return out;
}

const someCases = (numbers: string[]) =>
  `${numbers.length} case${numbers.length === 1 ? '' : 's'} (${numbers.slice(0, 3).join(', ')}${numbers.length > 3 ? ', …' : ''})`;

const event = (spec: { kind: LabListKind }, change: 'added' | 'changed' | 'retired' | 'reactivated' | 'deleted') => `${spec.kind}-${change}` as LabEventKind;
const gone = (spec: { noun: string }) => new CommandRefused(`This ${spec.noun.toLowerCase()} is no longer on the list`);

/**
 * One change to a list: `plan` reads the entry as it is and says what to record and store
 * (or refuses); the transaction refuses if the entry changed since it was read.
 */
async function change<Row extends Entry>(spec: Spec<Row>, id: string | null, now: string, plan: (before: Row | undefined, admin: Unlocked) => Promise<{ summary: string; kind: LabEventKind; subjectId: string; store: (table: ListStore<Row>) => Promise<unknown> }>): Promise<void> {
  const admin = requireLabAdmin();
  await writeLab(entrySigner(admin), now, async () => {
    const before = id ? await spec.table().get(id) : undefined;
    if (id && !before) throw gone(spec);
    const p = await plan(before, admin);
    return {
      events: [{ kind: p.kind, summary: p.summary, subjectId: p.subjectId }],
      write: async () => {
        if (JSON.stringify(id ? await spec.table().get(id) : undefined) !== JSON.stringify(before)) throw new CommandRefused(`This ${spec.noun.toLowerCase()} changed on another screen: nothing was saved. Try again.`);
        await p.store(spec.table());
      },
    };
  });
}

async function save<Row extends Entry>(spec: Spec<Row>, input: unknown, id: string | null, now: string): Promise<Row> {
  requireLabAdmin();
  const draft = spec.build(input, id ?? crypto.randomUUID());
  let saved = draft;
  await change(spec, id, now, async (before) => {
    // What the form does not edit (a printer's QA log) is kept.
    const row = { ...before, ...draft, retired: before?.retired ?? false };
    saved = row;
    const name = spec.nameOf(row);
    const clash = await spec.table().filter((r) => r.id !== row.id && sameName(spec.nameOf(r), name)).first();
    if (clash) throw new CommandRefused(`${spec.noun} “${spec.nameOf(clash)}” is already on the list: choose another ${spec.kind === 'printer' ? 'label' : 'name'}`);
    if (!before) return { kind: event(spec, 'added'), summary: `${spec.noun} ${name} added (${spec.describe(row)})`, subjectId: row.id, store: (t) => t.add(row) };
    const oldName = spec.nameOf(before);
    if (oldName !== name) {
      const users = await casesNaming(spec.kind, { id: before.id, name: oldName });
      if (users.length > 0) throw new CommandRefused(`${oldName} is recorded on ${someCases(users)}: it keeps its ${spec.kind === 'printer' ? 'label' : spec.kind === 'software' ? 'name and version' : 'name'}. Retire it and add the new one instead.`);
      const named = await combinationsNaming(spec.kind, before.id, oldName);
      if (named.length > 0) throw new CommandRefused(`${oldName} is part of a validated combination (${named[0]}): it keeps its ${spec.kind === 'printer' ? 'label' : spec.kind === 'software' ? 'name and version' : 'name'}. Retire it and add the new one instead.`);
    }
    const keys = [...new Set([...Object.keys(row), ...Object.keys(before)])] as (keyof Row & string)[];
    const changed = keys.filter((k) => JSON.stringify(row[k]) !== JSON.stringify(before[k]));
    if (changed.length === 0) throw new CommandRefused('Nothing changed');
    return { kind: event(spec, 'changed'), summary: `${spec.noun} ${oldName} changed (${changed.join(', ')}): now ${name}, ${spec.describe(row)}`, subjectId: row.id, store: (t) => t.put(row) };
  });
  return saved;
}

async function setRetired<Row extends Entry>(spec: Spec<Row>, id: string, retired: boolean, now: string): Promise<void> {
  await change(spec, id, now, async (row) => {
    const name = spec.nameOf(row!);
    if (row!.retired === retired) throw new CommandRefused(`${name} is already ${retired ? 'retired' : 'offered'}`);
    return { kind: event(spec, retired ? 'retired' : 'reactivated'), summary: `${spec.noun} ${name} ${retired ? 'retired: no longer offered' : 'offered again'}`, subjectId: id, store: (t) => t.put({ ...row!, retired }) };
  });
}

async function remove<Row extends Entry>(spec: Spec<Row>, id: string, now: string): Promise<void> {
  await change(spec, id, now, async (row) => {
    const name = spec.nameOf(row!);
    const users = await casesNaming(spec.kind, { id, name });
    if (users.length > 0) throw new CommandRefused(`${name} is recorded on ${someCases(users)}: it cannot be deleted, only retired.`);
    const named = await combinationsNaming(spec.kind, id, name);
    if (named.length > 0) throw new CommandRefused(`${name} is part of a validated combination (${named[0]}): it cannot be deleted, only retired.`);
    return { kind: event(spec, 'deleted'), summary: `${spec.noun} ${name} deleted`, subjectId: id, store: (t) => t.delete(id) };
  });
}

const nowIso = () => new Date().toISOString();

/** Adds a printer (`id` null) or changes one. */
export const savePrinter = (input: PrinterInput, id: string | null = null, now = nowIso()) => save(PRINTERS, input, id, now);
export const saveMaterial = (input: MaterialInput, id: string | null = null, now = nowIso()) => save(MATERIALS, input, id, now);
export const setPrinterRetired = (id: string, retired: boolean, now = nowIso()) => setRetired(PRINTERS, id, retired, now);
export const setMaterialRetired = (id: string, retired: boolean, now = nowIso()) => setRetired(MATERIALS, id, retired, now);
export const deletePrinter = (id: string, now = nowIso()) => remove(PRINTERS, id, now);
export const deleteMaterial = (id: string, now = nowIso()) => remove(MATERIALS, id, now);
export const saveSoftware = (input: SoftwareInput, id: string | null = null, now = nowIso()) => save(SOFTWARE, input, id, now);
export const setSoftwareRetired = (id: string, retired: boolean, now = nowIso()) => setRetired(SOFTWARE, id, retired, now);
export const deleteSoftware = (id: string, now = nowIso()) => remove(SOFTWARE, id, now);

const COMBINATIONS = () => settingList<Combination>(COMBINATIONS_KEY);

/** The validated combinations, withdrawn ones last; each by when it was validated. */
export async function listCombinations(): Promise<Combination[]> {
  requireUnlock();
  const rows = await COMBINATIONS().toArray();
  return rows.sort((a, b) => Number(Boolean(a.withdrawn)) - Number(Boolean(b.withdrawn)) || a.validatedOn.localeCompare(b.validatedOn));
}

/** Combinations (described) that name a printer or material by name, or software by id. */
async function combinationsNaming(kind: LabListKind, id: string, name: string): Promise<string[]> {
  const [rows, software] = await Promise.all([COMBINATIONS().toArray(), SOFTWARE.table().toArray()]);
  return rows
    .filter((k) => (kind === 'printer' ? sameName(k.printer, name) : kind === 'material' ? sameName(k.material, name) : k.softwareId === id))
    .map((k) => describeCombination(k, software));
}

/** A lab admin marks a printer–material–software combination as validated, naming the evidence; on the lab log. */
export async function validateCombination(input: CombinationInput, now = nowIso()): Promise<Combination> {
  const admin = requireLabAdmin();
  const valid = parsed(combinationSchema(now.slice(0, 10)).safeParse(input));
  const id = crypto.randomUUID();
  const row: Combination = { id, ...valid, validatedBy: admin.actor.name };
  await writeLab(entrySigner(admin), now, async () => {
    const [printers, materials, software, rows] = await Promise.all([db.printers.toArray(), db.materials.toArray(), SOFTWARE.table().toArray(), COMBINATIONS().toArray()]);
    const printer = printers.find((p) => sameName(p.label, valid.printer));
    const material = materials.find((m) => sameName(m.name, valid.material));
    if (!printer) throw new CommandRefused(`Printer ${valid.printer} is not on the lab’s list`);
    if (!material) throw new CommandRefused(`Material ${valid.material} is not on the lab’s list`);
    if (!software.some((s) => s.id === valid.softwareId)) throw new CommandRefused('That software is not on the lab’s list');
    Object.assign(row, { printer: printer.label, material: material.name });
    const what = describeCombination(row, software);
    if (rows.some((k) => !k.withdrawn && sameCombination(k, row))) throw new CommandRefused(`${what} is already validated`);
    return {
      events: [{ kind: 'combination-validated', summary: `Combination ${what} validated on ${row.validatedOn}: ${row.evidence}`, subjectId: id }],
      write: async () => {
        if (JSON.stringify(await COMBINATIONS().toArray()) !== JSON.stringify(rows)) throw new CommandRefused('The validated combinations changed on another screen: nothing was saved. Try again.');
        await COMBINATIONS().add(row);
      },
    };
  });
  return row;
}

/** A lab admin withdraws a validation from a date on (parts printed before it keep it), saying why; on the lab log. */
export async function withdrawCombination(id: string, input: WithdrawalInput, now = nowIso()): Promise<void> {
  const admin = requireLabAdmin();
  const valid = parsed(withdrawalSchema(now.slice(0, 10)).safeParse(input));
  await writeLab(entrySigner(admin), now, async () => {
    const [before, software] = await Promise.all([COMBINATIONS().get(id), SOFTWARE.table().toArray()]);
    if (!before) throw new CommandRefused('This combination is no longer on the list');
    const what = describeCombination(before, software);
    if (before.withdrawn) throw new CommandRefused(`${what} was already withdrawn on ${before.withdrawn.on}`);
    if (valid.on < before.validatedOn) throw new CommandRefused(`The withdrawal date cannot be before the validation date ${before.validatedOn}`);
    return {
      events: [{ kind: 'combination-withdrawn', summary: `Combination ${what} withdrawn from ${valid.on}: ${valid.reason}`, subjectId: id }],
      write: async () => {
        if (JSON.stringify(await COMBINATIONS().get(id)) !== JSON.stringify(before)) throw new CommandRefused('This combination changed on another screen: nothing was saved. Try again.');
        await COMBINATIONS().put({ ...before, withdrawn: { on: valid.on, reason: valid.reason, by: admin.actor.name } });
      },
    };
  });
}

/**
 * A check of the printer itself (e.g. a phantom printed and measured) on its QA log, by a lab
 * admin; `today` is the tablet's local day (a check cannot be dated after it).
 */
export async function recordPrinterQa(printerId: string, input: PrinterQaInput, today: string, now = nowIso()): Promise<PrinterQaEntry> {
  const valid = parsed(printerQaSchema(today).safeParse(input));
  let entry: PrinterQaEntry | null = null;
  await change(PRINTERS, printerId, now, async (before, admin) => {
    const e: PrinterQaEntry = { id: crypto.randomUUID(), ...valid, by: admin.actor.id, byName: admin.actor.name, at: now };
    entry = e;
    return { kind: 'printer-qa-recorded', summary: `Printer ${before!.label} QA: ${describePrinterQa(e)}`, subjectId: printerId, store: (t) => t.put({ ...before!, qaLog: [...(before!.qaLog ?? []), e] }) };
  });
  return entry!;
}

/** Adds the entries whose label or name is not on the lists yet (demo data); returns how many. */
export async function addMissingLabEntries(printers: readonly PrinterInput[], materials: readonly MaterialInput[], now = nowIso()): Promise<number> {
  const [havePrinters, haveMaterials] = await Promise.all([db.printers.toArray(), db.materials.toArray()]);
  let added = 0;
  for (const p of printers) {
    if (havePrinters.some((r) => sameName(r.label, p.label))) continue;
    await savePrinter(p, null, now);
    added++;
  }
  for (const m of materials) {
    if (haveMaterials.some((r) => sameName(r.name, m.name))) continue;
    await saveMaterial(m, null, now);
    added++;
  }
  return added;
}

/**
 * A lab admin's change to the code table's MUEs and payer notes, with its entry on the
 * lab log in the same transaction; refused when another screen changed the table meanwhile.
 */
export async function saveCodeTableEdit(edit: CodeTableEdit, now = nowIso()): Promise<CodeTable> {
  const admin = requireUnlock();
  if (!admin.actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can change the code table');
  const valid = parsed(codeTableEditSchema.safeParse(edit));
  let saved: CodeTable | null = null;
  await writeLab(entrySigner(admin), now, async () => {
    const before = await getCodeTable();
    const after = editCodeTable(before, valid);
    const summary = describeCodeTableChange(before, after);
    if (summary === null) throw new CommandRefused('Nothing changed');
    saved = after;
    return {
      events: [{ kind: 'code-table-changed', summary }],
      write: async () => {
        if (JSON.stringify(migrateCodeTable((await durableDb.settings.get(CODE_TABLE_KEY))?.value)) !== JSON.stringify(before)) throw new CommandRefused('The code table changed on another screen: nothing was saved. Try again.');
        await putCodeTable(after, durableDb);
      },
    };
  });
  return saved!;
}
