// What the dashboard reads: each day's totals of the cases opened that day, all from the clear
// part of each row (status key, stage times, signatures' times, deliverables, effort). Nothing
// sealed is opened. They are kept on every write (dashboard-facts.ts), so the dashboard reads one
// row per day the lab worked, however many cases it holds; it still needs someone signed in, like
// every read of cases.
import { caseFacts, type CaseFacts, type DayClock } from '../domain/dashboard';
import { daysOf, type DayTotals } from '../domain/dashboard-totals';
import { TABLET_CLOCK, tabletZone } from './dashboard-facts';
import { db } from './database';
import { requireUnlock } from './vault';

export { TABLET_CLOCK } from './dashboard-facts';

/**
 * The totals of every day. The kept ones when they count every case, all with days of this
 * time zone; else (another clock asked, the zone changed) summed again from every case.
 */
export async function readDashboardDays(clock: DayClock = TABLET_CLOCK): Promise<DayTotals[]> {
  requireUnlock();
  if (clock === TABLET_CLOCK) {
    const [kept, total] = await db.transaction('r', db.cases, db.dashboardDays, () => Promise.all([db.dashboardDays.toArray(), db.cases.count()]));
    const zone = tabletZone();
    const counted = kept.reduce((n, d) => n + d.totals.cases, 0);
    if (counted === total && kept.every((d) => Object.keys(d.zones).every((z) => z === zone))) return kept.map(({ openedOn, totals }) => ({ openedOn, totals }));
  }
  const facts: CaseFacts[] = [];
  await db.cases.each((row) => {
    facts.push(caseFacts(row.clear, row.statusKey, clock));
  });
  return daysOf(facts);
}
