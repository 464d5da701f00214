import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../src/db/database';
import { getCase, listCases } from '../../src/db/case-repo';
import { runCommand } from '../../src/db/case-commands';
import { toActor } from '../../src/db/user-repo';
import { addUser } from '../../src/db/user-commands';
import { loadDemoCases } from '../../src/db/demo-repo';
import { CommandRefused, StorageFullError, isQuotaError } from '../../src/db/errors';
import type { Actor } from '../../src/domain/case';
import type { NewCaseInput } from '../../src/domain/case-input';
import { asCaseId, asDeliverableId } from '../../src/domain/ids';

let tech: Actor;
let rad: Actor;

const order = (over: Partial<NewCaseInput> = {}): NewCaseInput => ({
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

const NOW = '2026-11-20T10:00:00.000Z';
const filter = { search: '', status: 'all', overdueOnly: false, today: '2026-11-27' };

beforeEach(async () => {
  await db.delete();
  await db.open();
  tech = toActor(await addUser({ name: 'Tess Tech', roles: ['technician'] }, NOW));
  rad = toActor(await addUser({ name: 'Dr. Rita Rad', roles: ['radiologist'] }, NOW));
});

const create = (input = order()) => runCommand(null, { type: 'create', id: asCaseId(crypto.randomUUID()), input }, tech, NOW);

describe('case repository', () => {
  it('creates a case with a unique case number, an event, and a status index from the domain', async () => {
    const a = await create();
    const b = await create(order({ mrn: 'MRN999', patientName: 'Nguyễn Thị Lan' }));
    expect(a.caseNumber).toMatch(/^PP-2026-[A-Z0-9]{3}-0001$/);
    expect(b.caseNumber.endsWith('-0002')).toBe(true);
    const row = await db.cases.get(a.id);
    expect(row?.statusKey).toBe('imaging');
    const stored = await getCase(a.id);
    expect(stored?.events.map((e) => e.type)).toEqual(['create']);
    expect(stored?.case.phi.patientName).toBe('Łukasz Żółć');
  });

  it('refuses a bad command with its reason and writes nothing', async () => {
    const c = await create();
    const before = await db.events.count();
    await expect(runCommand(c.id, { type: 'sign', stage: 'imaging' }, tech, NOW)).rejects.toThrow(CommandRefused);
    await expect(runCommand(null, { type: 'create', id: asCaseId('x'), input: order({ icd10: 'nope' }) }, tech, NOW)).rejects.toThrow(/ICD-10/);
    expect(await db.events.count()).toBe(before);
    expect(await db.cases.count()).toBe(1);
  });

  it('keeps the stored status in step with every command', async () => {
    const c = await create();
    await runCommand(c.id, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-18', accessionNumber: 'A1', sliceThicknessMm: 0.625 } }, tech, NOW);
    await runCommand(c.id, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true }, tech, NOW);
    await runCommand(c.id, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true }, tech, NOW);
    expect((await db.cases.get(c.id))?.statusKey).toBe('imaging');
    await runCommand(c.id, { type: 'sign', stage: 'imaging' }, rad, NOW);
    expect((await db.cases.get(c.id))?.statusKey).toBe('segmenting');
    await runCommand(c.id, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 1.25 } }, tech, NOW);
    const after = await getCase(c.id);
    expect((await db.cases.get(c.id))?.statusKey).toBe('imaging');
    expect(after?.case.stages.imaging.voidedSignatures).toHaveLength(1);
    expect(after?.events.map((e) => e.type)).toEqual(['create', 'saveStage', 'tick', 'tick', 'sign', 'saveStage']);
  });

  it('lists by date needed, filters by stage and overdue, and searches name, MRN and case number', async () => {
    const a = await create(order({ dateNeeded: '2026-12-10', patientName: 'Zed Last', mrn: 'MRN-A' }));
    await create(order({ dateNeeded: '2026-11-01', patientName: 'Ann First', mrn: 'MRN-B' }));
    const all = await listCases(filter);
    expect(all.map((c) => c.patientName)).toEqual(['Ann First', 'Zed Last']);
    expect((await listCases({ ...filter, overdueOnly: true })).map((c) => c.patientName)).toEqual(['Ann First']);
    expect((await listCases({ ...filter, search: 'mrn-a' })).map((c) => c.id)).toEqual([a.id]);
    expect((await listCases({ ...filter, search: 'zed' })).map((c) => c.id)).toEqual([a.id]);
    expect((await listCases({ ...filter, search: a.caseNumber.toLowerCase() })).map((c) => c.id)).toEqual([a.id]);
    expect(await listCases({ ...filter, status: 'printing' })).toEqual([]);
    expect(await listCases({ ...filter, status: 'imaging' })).toHaveLength(2);
  });

  it('reports a full disk clearly and leaves nothing half-written', async () => {
    const c = await create();
    const full = new DOMException('quota', 'QuotaExceededError');
    vi.spyOn(db.events, 'add').mockImplementationOnce(() => { throw Object.assign(new Error('wrapped'), { name: 'AbortError', inner: full }); });
    await expect(runCommand(c.id, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true }, tech, NOW)).rejects.toThrow(StorageFullError);
    const stored = await getCase(c.id);
    expect(stored?.case.revision).toBe(1);
    expect(stored?.case.stages.imaging.checklist).toEqual({});
    expect(isQuotaError(full)).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });

  it('loads demo cases across every stage, with their history', async () => {
    await loadDemoCases(12, new Date(NOW));
    const all = await listCases(filter);
    expect(all).toHaveLength(12);
    const keys = new Set(all.map((c) => c.statusKey));
    for (const k of ['imaging', 'segmenting', 'printing', 'delivery', 'closed']) expect(keys).toContain(k);
    expect(await db.events.count()).toBeGreaterThan(12 * 3);
  });
});
