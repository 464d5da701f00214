// The dashboard's facts of each case, kept beside the cases (table caseFacts) so the dashboard
// reads one small row per case instead of every case. They derive from a case row alone (its
// clear part and status key), and a Dexie middleware writes them in the same transaction as every
// write of the cases table: no write path (a command, a restore, a join, the list keys' rebuild)
// can forget them, and a case deleted takes its facts with it. Their calendar days are those of
// the tablet's time zone when written; each row says which, and the dashboard reads every case
// instead when the zone has changed (dashboard-repo.ts).
import type { DBCore, DBCoreMutateRequest, DBCoreTable, Middleware } from 'dexie';
import { caseFacts, type CaseFacts, type DayClock } from '../domain/dashboard';
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

export type CaseFactsRow = { id: string; zone: string; facts: CaseFacts };

export const factsRow = (row: Pick<CaseRow, 'id' | 'clear' | 'statusKey'>, zone = tabletZone()): CaseFactsRow => ({ id: row.id, zone, facts: caseFacts(row.clear, row.statusKey, TABLET_CLOCK) });

const FACTS = 'caseFacts';

/** Has this transaction the facts table? Not an upgrade from before the table existed. */
const hasFacts = (req: DBCoreMutateRequest) => (req.trans as unknown as IDBTransaction).objectStoreNames.contains(FACTS);

function withFacts(cases: DBCoreTable, facts: () => DBCoreTable): DBCoreTable {
  return {
    ...cases,
    mutate: async (req) => {
      const res = await cases.mutate(req);
      if (!hasFacts(req)) return res;
      const t = facts();
      if (req.type === 'add' || req.type === 'put') {
        const written = req.values.filter((_, n) => !(n in res.failures)) as CaseRow[];
        // A new Intl.DateTimeFormat costs a quarter of a millisecond on a tablet: once per write, not once per case.
        const zone = tabletZone();
        if (written.length) await t.mutate({ type: 'put', trans: req.trans, values: written.map((row) => factsRow(row, zone)) });
      } else if (req.type === 'delete') {
        await t.mutate({ type: 'delete', trans: req.trans, keys: req.keys });
      } else {
        await t.mutate({ type: 'deleteRange', trans: req.trans, range: req.range });
      }
      return res;
    },
  };
}

/** Every read-write transaction on the cases includes the facts table, and every write of a case writes its facts. */
export const caseFactsMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'caseFacts',
  create: (down) => ({
    ...down,
    transaction: (stores, mode, options) => {
      const widen = mode === 'readwrite' && stores.includes('cases') && !stores.includes(FACTS) && down.schema.tables.some((t) => t.name === FACTS);
      return down.transaction(widen ? [...stores, FACTS] : stores, mode, options);
    },
    table: (name) => (name === 'cases' ? withFacts(down.table(name), () => down.table(FACTS)) : down.table(name)),
  }),
};
