// The dashboard's facts of each case, kept beside the cases (table caseFacts), and their totals
// per day of opening (table dashboardDays, domain/dashboard-totals.ts), so the dashboard reads one
// row per day the lab worked instead of every case. The facts derive from a case row alone (its
// clear part and status key), and a Dexie middleware writes both in the same transaction as every
// write of the cases table: no write path (a command, a restore, a join, the list keys' rebuild)
// can forget them, and a case deleted takes its facts and its part of its day with it. A changed
// case's day loses its old facts (read from caseFacts) and gains its new ones. Calendar days are
// those of the tablet's time zone when written; each row says which, and the dashboard reads
// every case instead when the zone has changed (dashboard-repo.ts).
import type { DBCore, DBCoreMutateRequest, DBCoreTable, Middleware, Table } from 'dexie';
import { caseFacts, type CaseFacts, type DayClock } from '../domain/dashboard';
import { accumulate, noTotals, tally, type DayTotals } from '../domain/dashboard-totals';
import { equipmentTokens } from '../domain/equipment-use';
import type { CaseRow } from './database';

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

export const tabletZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** `uses`: the lab entries the case names (equipmentTokens): what lab settings counts as "in use". */
export type CaseFactsRow = { id: string; zone: string; facts: CaseFacts; uses: string[] };

export const factsRow = (row: Pick<CaseRow, 'id' | 'clear' | 'statusKey'>, zone = tabletZone()): CaseFactsRow => ({ id: row.id, zone, facts: caseFacts(row.clear, row.statusKey, TABLET_CLOCK), uses: equipmentTokens(row.clear) });

/** How many cases name a lab entry by this token (equipment-use.ts); a token no case names has no row. */
export type EquipmentUseRow = { token: string; cases: number };

/** The day totals kept for the dashboard: each day's cases' tallies, and in which time zones their days were read. */
export type DashboardDayRow = DayTotals & { zones: Record<string, number> };

const FACTS = 'caseFacts';
const DAYS = 'dashboardDays';
const USE = 'equipmentUse';

/** Has this transaction the kept tables? Not an upgrade from before they existed. */
const keeps = (req: DBCoreMutateRequest, table: string) => (req.trans as unknown as IDBTransaction).objectStoreNames.contains(table);

const emptyDay = (openedOn: string): DashboardDayRow => ({ openedOn, zones: {}, totals: noTotals() });

/** Counts by name (statuses, time zones) keep only what some case has. */
function dropZeros(counts: Record<string, number>) {
  for (const [key, n] of Object.entries(counts)) if (n === 0) delete counts[key];
}

/** A case's facts added to its day's row (1) or taken away from it (-1), in place. */
function countIn(day: DashboardDayRow, row: CaseFactsRow, sign: 1 | -1 = 1): DashboardDayRow {
  accumulate(day.totals, tally(row.facts), sign);
  accumulate(day.zones, { [row.zone]: 1 }, sign);
  dropZeros(day.totals.byStatus);
  dropZeros(day.zones);
  return day;
}

/** One case's facts as a change to its day's row and its tokens' counts: added (1) or taken away (-1). */
type Change = { row: CaseFactsRow; sign: 1 | -1 };

/** The day rows of these changes, read in the write's transaction, updated, and stored (a day left without cases is deleted). */
async function updateDays(days: DBCoreTable, trans: DBCoreMutateRequest['trans'], changes: readonly Change[]): Promise<void> {
  const byDay = new Map<string, Change[]>();
  for (const c of changes) {
    const day = byDay.get(c.row.facts.openedOn);
    if (day) day.push(c);
    else byDay.set(c.row.facts.openedOn, [c]);
  }
  const keys = [...byDay.keys()];
  const stored = (await days.getMany({ trans, keys })) as (DashboardDayRow | undefined)[];
  const put: DashboardDayRow[] = [];
  const gone: string[] = [];
  keys.forEach((openedOn, n) => {
    const day = stored[n] ?? emptyDay(openedOn);
    for (const { row, sign } of byDay.get(openedOn)!) countIn(day, row, sign);
    if (day.totals.cases > 0) put.push(day);
    else gone.push(openedOn);
  });
  if (put.length) await days.mutate({ type: 'put', trans, values: put });
  if (gone.length) await days.mutate({ type: 'delete', trans, keys: gone });
}

/** The use counts of these changes' tokens, read in the write's transaction, updated, and stored. */
async function updateUse(use: DBCoreTable, trans: DBCoreMutateRequest['trans'], changes: readonly Change[]): Promise<void> {
  const delta = new Map<string, number>();
  for (const { row, sign } of changes) for (const token of row.uses) delta.set(token, (delta.get(token) ?? 0) + sign);
  const tokens = [...delta].filter(([, n]) => n !== 0).map(([token]) => token);
  if (!tokens.length) return;
  const stored = (await use.getMany({ trans, keys: tokens })) as (EquipmentUseRow | undefined)[];
  const rows = tokens.map((token, n) => ({ token, cases: (stored[n]?.cases ?? 0) + delta.get(token)! }));
  const put = rows.filter((r) => r.cases > 0);
  const gone = rows.filter((r) => r.cases <= 0).map((r) => r.token);
  if (put.length) await use.mutate({ type: 'put', trans, values: put });
  if (gone.length) await use.mutate({ type: 'delete', trans, keys: gone });
}

/** The day totals and use counts of these cases' facts, from nothing (a schema upgrade). */
export function keptTotals(rows: readonly CaseFactsRow[]): { days: DashboardDayRow[]; use: EquipmentUseRow[] } {
  const days = new Map<string, DashboardDayRow>();
  const use = new Map<string, number>();
  for (const row of rows) {
    days.set(row.facts.openedOn, countIn(days.get(row.facts.openedOn) ?? emptyDay(row.facts.openedOn), row));
    for (const token of row.uses) use.set(token, (use.get(token) ?? 0) + 1);
  }
  return { days: [...days.values()], use: [...use].map(([token, cases]) => ({ token, cases })) };
}

/** Anything with tables by name: the database, or an upgrade's transaction. */
type Tables = { table: (name: string) => Table };

/**
 * Every case's facts, each day's totals and each entry's count summed again from the cases: at a
 * schema upgrade, or when the kept totals were found not to count every case. Inside a transaction
 * that holds the cases and the three kept tables.
 */
export async function rebuildKept(tables: Tables): Promise<void> {
  const zone = tabletZone();
  const facts: CaseFactsRow[] = [];
  await tables.table('cases').each((row: CaseRow) => void facts.push(factsRow(row, zone)));
  const { days, use } = keptTotals(facts);
  await Promise.all([FACTS, DAYS, USE].map((t) => tables.table(t).clear()));
  await Promise.all([tables.table(FACTS).bulkPut(facts), tables.table(DAYS).bulkPut(days), tables.table(USE).bulkPut(use)]);
}

/** The facts each case this write puts or deletes had: what its day's totals lose. */
async function previousFacts(facts: DBCoreTable, req: DBCoreMutateRequest): Promise<(CaseFactsRow | undefined)[]> {
  const { trans } = req;
  if (req.type === 'add') return [];
  if (req.type === 'deleteRange') return (await facts.query({ trans, values: true, query: { index: facts.schema.primaryKey, range: req.range } })).result as CaseFactsRow[];
  return (await facts.getMany({ trans, keys: req.type === 'put' ? req.values.map((v) => (v as CaseRow).id) : req.keys })) as (CaseFactsRow | undefined)[];
}

const same = (a: CaseFactsRow, b: CaseFactsRow) => a.zone === b.zone && JSON.stringify([a.facts, a.uses]) === JSON.stringify([b.facts, b.uses]);

function withFacts(cases: DBCoreTable, facts: () => DBCoreTable, days: () => DBCoreTable, counts: () => DBCoreTable): DBCoreTable {
  return {
    ...cases,
    mutate: async (req) => {
      if (!keeps(req, FACTS)) return cases.mutate(req);
      const t = facts();
      const trans = req.trans;
      // Requests in one transaction run in order; awaiting each alone would cost a round trip per request.
      const [res, before] = await Promise.all([cases.mutate(req), previousFacts(t, req)]);
      let after: CaseFactsRow[] = [];
      let stored: Promise<unknown>;
      if (req.type === 'add' || req.type === 'put') {
        const written = req.values.filter((_, n) => !(n in res.failures)) as CaseRow[];
        // A new Intl.DateTimeFormat costs a quarter of a millisecond on a tablet: once per write, not once per case.
        const zone = tabletZone();
        after = written.map((row) => factsRow(row, zone));
        stored = after.length ? t.mutate({ type: 'put', trans, values: after }) : Promise.resolve();
      } else if (req.type === 'delete') {
        stored = t.mutate({ type: 'delete', trans, keys: req.keys });
      } else {
        stored = t.mutate({ type: 'deleteRange', trans, range: req.range });
      }
      // The totals' tables came with schema 8 together: an upgrade from 7 has neither yet.
      if (!keeps(req, USE)) return stored.then(() => res);
      const old = new Map(before.filter((r): r is CaseFactsRow => r !== undefined).map((r) => [r.id, r]));
      const changes: Change[] = [];
      for (const row of after) {
        const was = old.get(row.id);
        old.delete(row.id);
        if (was && same(was, row)) continue;
        if (was) changes.push({ row: was, sign: -1 });
        changes.push({ row, sign: 1 });
      }
      // Deleted cases take their facts away (a case whose put failed keeps its old ones).
      if (req.type !== 'add' && req.type !== 'put') for (const row of old.values()) changes.push({ row, sign: -1 });
      await Promise.all([stored, changes.length && updateDays(days(), trans, changes), changes.length && updateUse(counts(), trans, changes)]);
      return res;
    },
  };
}

/** Every read-write transaction on the cases includes the kept tables, and every write of a case updates them. */
export const caseFactsMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'caseFacts',
  create: (down) => ({
    ...down,
    transaction: (stores, mode, options) => {
      const missing = [FACTS, DAYS, USE].filter((t) => !stores.includes(t) && down.schema.tables.some((s) => s.name === t));
      const widen = mode === 'readwrite' && stores.includes('cases') && missing.length > 0;
      return down.transaction(widen ? [...stores, ...missing] : stores, mode, options);
    },
    table: (name) => (name === 'cases' ? withFacts(down.table(name), () => down.table(FACTS), () => down.table(DAYS), () => down.table(USE)) : down.table(name)),
  }),
};
