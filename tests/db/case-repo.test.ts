import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db, durableDb } from '../../src/db/database';
import { countListed, LIST_PAGE, listCaseIds, listPage, listRows } from '../../src/db/case-repo';
import { getCase } from '../../src/db/case-view-repo';
import { cachedPhiCount } from '../../src/db/case-codec';
import type { CaseId } from '../../src/domain/ids';
import { deriveStatus, isOverdue, statusKey } from '../../src/domain/workflow';
import { STATUS_FILTERS } from '../../src/features/case-list/status-options';
import { listCases } from '../support/list';
import { runCommand } from '../../src/db/case-commands';
import { loadDemoCases } from '../../src/db/demo-repo';
import { CommandRefused, StorageFullError, isQuotaError } from '../../src/db/errors';
import { asCaseId } from '../../src/domain/ids';
import { order } from '../support/orders';
import { resetDatabase, signIn, TEST_PIN } from '../support/render-app';

const NOW = '2026-11-20T10:00:00.000Z';
const filter = { search: '', status: 'all', overdueOnly: false, today: '2026-11-27' };

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
});

const create = (input = order()) => runCommand(null, { type: 'create', id: asCaseId(crypto.randomUUID()), input }, NOW);

describe('case repository', () => {
  it('creates a case with a unique case number, an audit entry, and a status index from the domain', async () => {
    const a = await create();
    const b = await create(order({ mrn: 'MRN999', patientName: 'Nguyễn Thị Lan' }));
    expect(a.caseNumber).toMatch(/^PP-2026-[A-Z0-9]{3}-0001$/);
    expect(b.caseNumber.endsWith('-0002')).toBe(true);
    const row = await db.cases.get(a.id);
    expect(row?.statusKey).toBe('imaging');
    const stored = await getCase(a.id);
    expect(stored?.events.map((e) => e.type)).toEqual(['create']);
    expect(stored?.history).toMatchObject({ ok: true, count: 1 });
    expect(stored?.case.phi.patientName).toBe('Łukasz Żółć');
  });

  it('refuses a bad command with its reason and writes nothing', async () => {
    const c = await create();
    const before = await db.audit.count();
    await expect(runCommand(c.id, { type: 'tick', stage: 'printing', item: 'labelled', done: true }, NOW)).rejects.toThrow(CommandRefused);
    await expect(runCommand(null, { type: 'create', id: asCaseId('x'), input: order({ icd10: 'nope' }) }, NOW)).rejects.toThrow(/ICD-10/);
    expect(await db.audit.count()).toBe(before);
    expect(await db.cases.count()).toBe(1);
  });

  it('keeps the stored status in step with every command', async () => {
    const c = await create();
    await runCommand(c.id, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-18', accessionNumber: 'A1', sliceThicknessMm: 0.625 } }, NOW);
    await runCommand(c.id, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true }, NOW);
    await runCommand(c.id, { type: 'cancel', reason: 'Surgery cancelled' }, NOW);
    expect((await db.cases.get(c.id))?.statusKey).toBe('cancelled');
    expect((await getCase(c.id))?.events.map((e) => e.type)).toEqual(['create', 'saveStage', 'tick', 'cancel']);
  });

  it('lists by date needed, filters by stage and overdue, and searches name, MRN and case number', async () => {
    const a = await create(order({ dateNeeded: '2026-12-10', patientName: 'Zed Last', mrn: 'MRN-A' }));
    await create(order({ dateNeeded: '2026-11-01', patientName: 'Ann First', mrn: 'MRN-B' }));
    const all = await listCases(filter);
    expect(all.map((c) => c.patientName)).toEqual(['Ann First', 'Zed Last']);
    expect((await listCases({ ...filter, overdueOnly: true })).map((c) => c.patientName)).toEqual(['Ann First']);
    expect((await listCases({ ...filter, search: 'mrn-a' })).map((c) => c.id)).toEqual([a.id]);
    expect((await listCases({ ...filter, search: 'MRN' })).map((c) => c.patientName)).toEqual(['Ann First', 'Zed Last']);
    expect((await listCases({ ...filter, search: 'zed' })).map((c) => c.id)).toEqual([a.id]);
    expect((await listCases({ ...filter, search: a.caseNumber.toLowerCase() })).map((c) => c.id)).toEqual([a.id]);
    // The case number by any prefix of its words (a range on its few index entries, numberKeys): "PP-2026-8CB-0001" by "pp-20", "2026-8c", "0001".
    const parts = a.caseNumber.split('-');
    expect((await listCases({ ...filter, search: a.caseNumber.slice(0, 5) })).map((c) => c.patientName)).toEqual(['Ann First', 'Zed Last']);
    expect((await listCases({ ...filter, search: `${parts[1]}-${parts[2]!.slice(0, 2)}` })).map((c) => c.patientName)).toEqual(['Ann First', 'Zed Last']);
    expect((await listCases({ ...filter, search: parts.at(-1)! })).map((c) => c.id)).toEqual([a.id]);
    expect((await listCases({ ...filter, search: `zed ${parts.at(-1)!}` })).map((c) => c.id)).toEqual([a.id]);
    expect(await listCases({ ...filter, search: `ann ${parts.at(-1)!}` })).toEqual([]);
    expect((await db.cases.get(a.id))?.search.some((t) => t.startsWith('#'))).toBe(false);
    expect(await listCases({ ...filter, status: 'printing' })).toEqual([]);
    expect(await listCases({ ...filter, status: 'imaging' })).toHaveLength(2);
  });

  it('reports a full disk clearly and leaves nothing half-written', async () => {
    const c = await create();
    const full = new DOMException('quota', 'QuotaExceededError');
    vi.spyOn(durableDb.audit, 'bulkAdd').mockImplementationOnce(() => { throw Object.assign(new Error('wrapped'), { name: 'AbortError', inner: full }); });
    await expect(runCommand(c.id, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true }, NOW)).rejects.toThrow(StorageFullError);
    const stored = await getCase(c.id);
    expect(stored?.case.revision).toBe(1);
    expect(stored?.case.stages.imaging.checklist).toEqual({});
    expect(await db.audit.count()).toBeGreaterThan(0);
    expect(stored?.history).toMatchObject({ ok: true, count: 1 });
    expect(isQuotaError(full)).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });

  it('loads demo cases across every stage, with verifying history and signatures', async () => {
    await signIn('Lab Admin', ['admin']);
    await loadDemoCases(12, TEST_PIN, new Date(NOW));
    const all = await listCases(filter);
    expect(all).toHaveLength(12);
    const keys = new Set(all.map((c) => c.statusKey));
    for (const k of ['imaging', 'segmenting', 'printing', 'delivery', 'closed']) expect(keys).toContain(k);
    for (const item of all) {
      const full = await getCase(item.id);
      expect(full?.history.ok).toBe(true);
      for (const check of Object.values(full?.signatures ?? {})) expect(check).toBe('verified');
    }
  });

  it('every filter of the list, with and without overdue, shows what the status rules say, soonest needed first', async () => {
    await signIn('Lab Admin', ['admin']);
    await loadDemoCases(2 * LIST_PAGE + 10, TEST_PIN, new Date(NOW)); // three pages
    const cases = await Promise.all((await db.cases.toCollection().primaryKeys()).map(async (id) => (await getCase(id as CaseId))!.case));
    for (const { value: status } of STATUS_FILTERS) {
      for (const overdueOnly of [false, true]) {
        const today = NOW.slice(0, 10);
        const expected = cases
          .filter((c) => {
            const key = statusKey(deriveStatus(c));
            return (status === 'all' || (status === 'open' ? !['closed', 'cancelled'].includes(key) : key === status)) && (!overdueOnly || isOverdue(c.order.dateNeeded, key, today));
          })
          .sort((a, b) => a.order.dateNeeded.localeCompare(b.order.dateNeeded) || a.caseNumber.localeCompare(b.caseNumber))
          .map((c) => c.id);
        const f = { status, overdueOnly, today };
        expect(await listCaseIds(f), `${status}${overdueOnly ? ', overdue only' : ''}`).toEqual(expected);
        // Read a page at a time, as the list does without a search: the same cases in the same order.
        expect(await countListed(f)).toBe(expected.length);
        const paged = (await Promise.all([0, 1, 2].map((p) => listPage(f, p)))).flat();
        expect(paged).toEqual(expected);
      }
    }
  });

  it('refuses to read or write while the tablet is locked', async () => {
    const { lock } = await import('../../src/db/vault');
    await lock();
    await expect(listCases(filter)).rejects.toThrow(/locked/);
    await expect(create()).rejects.toThrow(/locked/);
  });
});

describe('memory at lab scale', () => {
  it('keeps only the most recently read cases decrypted, however many are listed', async () => {
    await resetDatabase();
    await signIn('Lab Admin', ['admin']);
    await loadDemoCases(340, TEST_PIN, new Date(NOW));
    const ids = await listCaseIds({ status: 'all', overdueOnly: false, today: NOW.slice(0, 10) });
    expect(ids).toHaveLength(340);
    for (let i = 0; i < ids.length; i += 20) await listRows(ids.slice(i, i + 20), NOW.slice(0, 10));
    expect(cachedPhiCount()).toBeLessThanOrEqual(300);
    const { lock } = await import('../../src/db/vault');
    await lock();
    expect(cachedPhiCount()).toBe(0);
  });
});
