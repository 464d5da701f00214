import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readDashboardFacts, TABLET_CLOCK } from '../../src/db/dashboard-repo';
import { applyRestore, exportBackup, readBackup } from '../../src/db/backup';
import { runCommand } from '../../src/db/case-commands';
import { db } from '../../src/db/database';
import { caseFacts, type CaseFacts } from '../../src/domain/dashboard';
import { asCaseId } from '../../src/domain/ids';
import { adminIn } from '../support/backup-files';
import { signInAs, wipeTablet } from '../support/tablet';
import { loadDemoCases } from '../../src/db/demo-repo';
import { lock } from '../../src/db/vault';
import { computeDashboard } from '../../src/domain/dashboard';
import { resetDatabase, signIn, TEST_PIN } from '../support/render-app';

const byId = (facts: CaseFacts[]) => [...facts].sort((a, b) => a.id.localeCompare(b.id));
/** The facts derived afresh from every case row, as the dashboard read them before they were kept. */
const fromEveryCase = async () => byId((await db.cases.toArray()).map((r) => caseFacts(r.clear, r.statusKey, TABLET_CLOCK)));
/** The facts kept beside the cases (the caseFacts table), as the dashboard now reads them. */
const kept = async () => byId((await db.caseFacts.toArray()).map((r) => r.facts));

const NOW = '2026-11-20T10:00:00.000Z';

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('dashboard facts', () => {
  it('reads every case’s facts from the clear part of its row, opening nothing sealed', async () => {
    await loadDemoCases(12, TEST_PIN, new Date(NOW));
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    const facts = await readDashboardFacts();
    expect(decrypt).not.toHaveBeenCalled();
    expect(facts).toHaveLength(12);
    const d = computeDashboard(facts, { from: null, to: null }, '2026-11-20');
    expect(d.cases).toBe(12);
    expect(d.byStatus.find((s) => s.key === 'closed')!.count).toBe(2);
    expect(d.turnaround.orderToDelivery.count).toBe(4);
    expect(d.effort.find((e) => e.category === 'consultation')!.cases).toBe(10);
  });

  it('keeps each case’s facts on every write: after a change, a restore and a deletion they are what every case says', async () => {
    await loadDemoCases(12, TEST_PIN, new Date(NOW));
    expect(await kept()).toHaveLength(12);
    expect(await kept()).toEqual(await fromEveryCase());
    expect(byId(await readDashboardFacts())).toEqual(await kept());

    // A change through the app's write path: a cancelled case leaves turnaround and use in care.
    const open = (await db.cases.toArray()).find((r) => r.statusKey === 'imaging')!;
    await runCommand(asCaseId(open.id), { type: 'cancel', reason: 'Surgery moved to another hospital' });
    const cancelled = (await kept()).find((f) => f.id === open.id)!;
    expect(cancelled).toMatchObject({ statusKey: 'cancelled', cancelled: true });
    expect(await kept()).toEqual(await fromEveryCase());

    // A restore onto a wiped tablet: the facts come back with the rows, before anyone signs in.
    const file = await exportBackup(null, TEST_PIN);
    const before = await kept();
    await wipeTablet();
    expect(await db.caseFacts.count()).toBe(0);
    const restored = await readBackup(await file.blob.text(), null);
    await applyRestore(restored, {}, { admin: adminIn(restored, 'Lab Admin') });
    expect(await kept()).toEqual(before);
    await signInAs('Lab Admin', { force: true });
    expect(byId(await readDashboardFacts())).toEqual(before);

    // A case deleted takes its facts with it.
    await db.cases.delete(open.id);
    expect((await kept()).map((f) => f.id)).not.toContain(open.id);
    expect(await kept()).toEqual(await fromEveryCase());
  });

  it('derives the facts from every case when the kept ones are not there for every case or were written in another time zone', async () => {
    await loadDemoCases(6, TEST_PIN, new Date(NOW));
    const all = await fromEveryCase();
    const [first] = await db.caseFacts.toArray();
    await db.caseFacts.update(first!.id, { zone: 'Pacific/Chatham', facts: { ...first!.facts, models: 99 } });
    expect(byId(await readDashboardFacts())).toEqual(all);
    await db.caseFacts.delete(first!.id);
    expect(byId(await readDashboardFacts())).toEqual(all);
  });

  it('an empty tablet has no facts; a locked one gives none', async () => {
    expect(await readDashboardFacts()).toEqual([]);
    await lock();
    await expect(readDashboardFacts()).rejects.toThrow(/locked/);
  });

  it('reads days and typed times on the tablet’s own clock', () => {
    const local = new Date(2026, 2, 10, 7, 30);
    expect(TABLET_CLOCK.fromLocal('2026-03-10T07:30')).toBe(local.toISOString());
    expect(TABLET_CLOCK.dayOf(local.toISOString())).toBe('2026-03-10');
    expect(TABLET_CLOCK.fromLocal('soon')).toBeNull();
  });
});
