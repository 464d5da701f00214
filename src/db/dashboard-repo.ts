// What the dashboard reads: a few facts per case, all from the clear part of each
// row (status key, stage times, signatures' times, deliverables, effort). Nothing
// sealed is opened, so the dashboard stays fast with thousands of cases; it still
// needs someone signed in, like every read of cases.
import { caseFacts, type CaseFacts, type DayClock } from '../domain/dashboard';
import { db } from './database';
import { requireUnlock } from './vault';

const pad = (n: number) => String(n).padStart(2, '0');

/** Calendar days and wall-clock times as this tablet reads them (its own time zone). */
export const TABLET_CLOCK: DayClock = {
  dayOf: (iso) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso.slice(0, 10) : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  },
  // "Delivered at" is entered with the tablet's datetime-local input: its wall clock.
  fromLocal: (local) => {
    const d = new Date(local);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  },
};

export async function readDashboardFacts(clock: DayClock = TABLET_CLOCK): Promise<CaseFacts[]> {
  requireUnlock();
  const facts: CaseFacts[] = [];
  await db.cases.each((row) => {
    facts.push(caseFacts(row.clear, row.statusKey, clock));
  });
  return facts;
}
