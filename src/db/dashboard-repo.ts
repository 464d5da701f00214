// What the dashboard reads: a few facts per case, all from the clear part of each
// row (status key, stage times, signatures' times, deliverables, effort). Nothing
// sealed is opened. They are kept per case on every write (dashboard-facts.ts), so
// the dashboard reads one small row per case; it still needs someone signed in,
// like every read of cases.
import { caseFacts, type CaseFacts, type DayClock } from '../domain/dashboard';
import { TABLET_CLOCK, tabletZone } from './dashboard-facts';
import { db } from './database';
import { requireUnlock } from './vault';

export { TABLET_CLOCK } from './dashboard-facts';

/**
 * The facts of every case. From the kept facts when there is one for every case, written in
 * this time zone; else (another clock asked, the zone changed) derived again from every case.
 */
export async function readDashboardFacts(clock: DayClock = TABLET_CLOCK): Promise<CaseFacts[]> {
  requireUnlock();
  if (clock === TABLET_CLOCK) {
    const [kept, total] = await db.transaction('r', db.cases, db.caseFacts, () => Promise.all([db.caseFacts.toArray(), db.cases.count()]));
    const zone = tabletZone();
    if (kept.length === total && kept.every((r) => r.zone === zone)) return kept.map((r) => r.facts);
  }
  const facts: CaseFacts[] = [];
  await db.cases.each((row) => {
    facts.push(caseFacts(row.clear, row.statusKey, clock));
  });
  return facts;
}
