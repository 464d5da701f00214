// What the dashboard reads: each day's totals of the cases opened that day, all from the clear
// part of each row (status key, stage times, signatures' times, deliverables, effort). Nothing
// sealed is opened. They are kept on every write (dashboard-facts.ts), so the dashboard reads one
// row per day the lab worked, however many cases it holds; it still needs someone signed in, like
// every read of cases.
import { caseFacts, type CaseFacts, type DayClock } from '../domain/dashboard';
import { daysOf, type DayTotals } from '../domain/dashboard-totals';
import { rebuildKept, TABLET_CLOCK, tabletZone } from './dashboard-facts';
import { db } from './database';
import { requireUnlock } from './vault';

export { TABLET_CLOCK } from './dashboard-facts';

const countedIn = (days: readonly DayTotals[]) => days.reduce((n, d) => n + d.totals.cases, 0);

let lastCheck: Promise<void> = Promise.resolve();
/** Settles when the last check behind a read of the kept totals (checkKept) has: for tests and the bench. */
export const keptChecked = (): Promise<void> => lastCheck;

/**
 * The totals of every day. The kept ones when all their days are of this time zone; else (another
 * clock asked, the zone changed) summed again from every case. Whether the kept ones count every
 * case is checked behind them (checkKept), not before: counting 10,000 cases takes as long as
 * reading the days.
 */
export async function readDashboardDays(clock: DayClock = TABLET_CLOCK): Promise<DayTotals[]> {
  requireUnlock();
  if (clock === TABLET_CLOCK) {
    const kept = await db.dashboardDays.toArray();
    const zone = tabletZone();
    if (kept.every((d) => Object.keys(d.zones).every((z) => z === zone))) {
      lastCheck = checkKept(countedIn(kept)).catch(() => undefined);
      return kept.map(({ openedOn, totals }) => ({ openedOn, totals }));
    }
  }
  const facts: CaseFacts[] = [];
  await db.cases.each((row) => {
    facts.push(caseFacts(row.clear, row.statusKey, clock));
  });
  return daysOf(facts);
}

/**
 * Kept totals that do not count every case (which no write path should leave) are summed again
 * from every case; the write is a database change, so the dashboard reads the days again.
 */
async function checkKept(counted: number): Promise<void> {
  if ((await db.cases.count()) === counted) return;
  // A write between reading the days and counting the cases moves both: both again, in one transaction, first.
  await db.transaction('rw', [db.cases, db.caseFacts, db.dashboardDays, db.equipmentUse], async () => {
    const [days, total] = await Promise.all([db.dashboardDays.toArray(), db.cases.count()]);
    if (countedIn(days) !== total) await rebuildKept(db);
  });
}
