import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readDashboardFacts, TABLET_CLOCK } from '../../src/db/dashboard-repo';
import { loadDemoCases } from '../../src/db/demo-repo';
import { lock } from '../../src/db/vault';
import { computeDashboard } from '../../src/domain/dashboard';
import { resetDatabase, signIn, TEST_PIN } from '../support/render-app';

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
