import { beforeEach, describe, expect, it, vi } from 'vitest';
import { keptChecked, readDashboardDays, TABLET_CLOCK } from '../../src/db/dashboard-repo';
import { applyRestore, exportBackup, readBackup } from '../../src/db/backup';
import { runCommand } from '../../src/db/case-commands';
import { db } from '../../src/db/database';
import { onDatabaseChange } from '../../src/db/changes';
import { caseFacts, type CaseFacts } from '../../src/domain/dashboard';
import { asCaseId } from '../../src/domain/ids';
import { adminIn } from '../support/backup-files';
import { signInAs, wipeTablet } from '../support/tablet';
import { loadDemoCases } from '../../src/db/demo-repo';
import { lock } from '../../src/db/vault';
import { computeDashboard } from '../../src/domain/dashboard';
import { daysOf, type DayTotals } from '../../src/domain/dashboard-totals';
import { equipmentTokens } from '../../src/domain/equipment-use';
import { resetDatabase, signIn, TEST_PIN } from '../support/render-app';

const byId = (facts: CaseFacts[]) => [...facts].sort((a, b) => a.id.localeCompare(b.id));
/** The facts derived afresh from every case row, as the dashboard read them before they were kept. */
const fromEveryCase = async () => byId((await db.cases.toArray()).map((r) => caseFacts(r.clear, r.statusKey, TABLET_CLOCK)));
/** The facts kept beside the cases (the caseFacts table). */
const kept = async () => byId((await db.caseFacts.toArray()).map((r) => r.facts));
/** Totals compare whatever order their lists were filled in (a change takes a value out and adds one at the end). */
const canonical = (days: DayTotals[]) =>
  JSON.parse(JSON.stringify(days), (_k, v: unknown) => (Array.isArray(v) ? [...v].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : v)) as DayTotals[];
/** The day totals kept beside the cases (the dashboardDays table), as the dashboard reads them. */
const keptDays = async () => canonical((await db.dashboardDays.toArray()).map(({ openedOn, totals }) => ({ openedOn, totals })));
/** The day totals summed afresh from every case row. */
const daysFromEveryCase = async () => canonical(daysOf(await fromEveryCase()));

const NOW = '2026-11-20T10:00:00.000Z';

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('dashboard facts and day totals', () => {
  it('reads every case’s facts from the clear part of its row, opening nothing sealed', async () => {
    await loadDemoCases(12, TEST_PIN, new Date(NOW));
    const decrypt = vi.spyOn(crypto.subtle, 'decrypt');
    const days = await readDashboardDays();
    expect(decrypt).not.toHaveBeenCalled();
    expect(days.reduce((n, d) => n + d.totals.cases, 0)).toBe(12);
    const d = computeDashboard(days, { from: null, to: null }, '2026-11-20');
    expect(d.cases).toBe(12);
    expect(d.byStatus.find((s) => s.key === 'closed')!.count).toBe(2);
    expect(d.turnaround.orderToDelivery.count).toBe(4);
    expect(d.effort.find((e) => e.category === 'consultation')!.cases).toBe(10);
  });

  it('keeps each case’s facts, its day’s totals and its lab entries’ counts on every write: after changes, a restore and deletions they are what every case says', async () => {
    await loadDemoCases(12, TEST_PIN, new Date(NOW));
    const agree = async () => {
      expect(await kept()).toEqual(await fromEveryCase());
      // How many cases name each lab entry (lab settings' "in use"), kept by the same writes.
      const tokens = (await db.cases.toArray()).flatMap((r) => equipmentTokens(r.clear));
      const counts = Object.fromEntries((await db.equipmentUse.toArray()).map((u) => [u.token, u.cases]));
      expect(counts).toEqual(Object.fromEntries([...new Set(tokens)].map((t) => [t, tokens.filter((x) => x === t).length])));
      expect(await keptDays()).toEqual(await daysFromEveryCase());
      expect(canonical(await readDashboardDays())).toEqual(await keptDays());
    };
    expect(await kept()).toHaveLength(12);
    await agree();

    // Changes through the app's write path: the day loses the case's old facts and gains its new ones.
    const open = (await db.cases.toArray()).find((r) => r.statusKey === 'imaging')!;
    await runCommand(asCaseId(open.id), { type: 'saveStage', stage: 'imaging', values: { consultationMinutes: 45, consultationClinicianMinutes: 15 } });
    await agree();
    await runCommand(asCaseId(open.id), { type: 'saveStage', stage: 'imaging', values: { consultationMinutes: 30 } });
    await agree();
    // A cancelled case leaves turnaround and use in care, and is no longer in a stage (never overdue).
    await runCommand(asCaseId(open.id), { type: 'cancel', reason: 'Surgery moved to another hospital' });
    expect((await kept()).find((f) => f.id === open.id)).toMatchObject({ statusKey: 'cancelled', cancelled: true });
    await agree();

    // A restore onto a wiped tablet: the facts and totals come back with the rows, before anyone signs in.
    const file = await exportBackup(null, TEST_PIN);
    const [before, daysBefore] = [await kept(), await keptDays()];
    await wipeTablet();
    expect(await db.caseFacts.count()).toBe(0);
    expect(await db.dashboardDays.count()).toBe(0);
    const restored = await readBackup(await file.blob.text(), null);
    await applyRestore(restored, {}, { admin: adminIn(restored, 'Lab Admin') });
    expect(await kept()).toEqual(before);
    expect(await keptDays()).toEqual(daysBefore);
    await signInAs('Lab Admin', { force: true });
    await agree();

    // A case deleted takes its facts and its part of its day with it; so do cases deleted by a range, and all of them.
    await db.cases.delete(open.id);
    expect((await kept()).map((f) => f.id)).not.toContain(open.id);
    await agree();
    const ids = (await db.cases.toCollection().primaryKeys()).sort();
    await db.cases.where(':id').below(ids[4]!).delete();
    expect(await db.cases.count()).toBe(ids.length - 4);
    await agree();
    await db.cases.clear();
    expect(await db.dashboardDays.count()).toBe(0);
    await agree();
  });

  it('sums the days from every case when the kept ones were written in another time zone', async () => {
    await loadDemoCases(6, TEST_PIN, new Date(NOW));
    const all = await daysFromEveryCase();
    const [first] = await db.dashboardDays.toArray();
    await db.dashboardDays.put({ ...first!, zones: { 'Pacific/Chatham': first!.totals.cases }, totals: { ...first!.totals, models: 99 } });
    expect(canonical(await readDashboardDays())).toEqual(all);
    await db.dashboardDays.put({ ...first!, totals: { ...first!.totals, models: 99 } });
    expect((await readDashboardDays()).find((d) => d.openedOn === first!.openedOn)!.totals.models).toBe(99);
  });

  it('kept totals that do not count every case are shown, then summed again from every case behind them, and the change refreshes the dashboard', async () => {
    await loadDemoCases(6, TEST_PIN, new Date(NOW));
    const all = await daysFromEveryCase();
    const [first] = await db.dashboardDays.toArray();
    await db.dashboardDays.delete(first!.openedOn);
    const changed = new Promise<void>((resolve) => {
      const stop = onDatabaseChange(() => {
        stop();
        resolve();
      });
    });
    expect((await readDashboardDays()).map((d) => d.openedOn)).not.toContain(first!.openedOn);
    await keptChecked();
    await changed;
    expect(await keptDays()).toEqual(all);
    expect(canonical(await readDashboardDays())).toEqual(all);
  });

  it('kept totals that count every case are not summed again', async () => {
    await loadDemoCases(6, TEST_PIN, new Date(NOW));
    const each = vi.spyOn(db.cases, 'each');
    const count = vi.spyOn(db.cases, 'count');
    await readDashboardDays();
    await keptChecked();
    expect(count).toHaveBeenCalledTimes(1);
    expect(each).not.toHaveBeenCalled();
  });

  it('an empty tablet has no days; a locked one gives none', async () => {
    expect(await readDashboardDays()).toEqual([]);
    await lock();
    await expect(readDashboardDays()).rejects.toThrow(/locked/);
  });

  it('reads days and typed times on the tablet’s own clock', () => {
    const local = new Date(2026, 2, 10, 7, 30);
    expect(TABLET_CLOCK.fromLocal('2026-03-10T07:30')).toBe(local.toISOString());
    expect(TABLET_CLOCK.dayOf(local.toISOString())).toBe('2026-03-10');
    expect(TABLET_CLOCK.fromLocal('soon')).toBeNull();
  });
});
