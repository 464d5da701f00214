// Reading cases for the list: ids from one index range, rows one screenful at a time,
// search through the blind index. One case with its checks is case-view-repo.ts,
// loaded when a case is opened.
// Writes live in case-commands.ts, loaded on first write, to keep the case list's first load small.
import type { PatientPhi, Priority } from '../domain/case';
import type { CaseId } from '../domain/ids';
import { listRange, type ListFilter } from '../domain/list-index';
import { listStatusLabel } from '../domain/billing-labels';
import { isOverdue, statusKeyLabel } from '../domain/workflow';
import { patientOf } from './case-codec';
import { db, type CaseRow } from './database';
import { requireUnlock } from './vault';

// Loaded with the first search and kept. Later searches use it without awaiting, so their index
// reads are sent before the keystroke's render, not after it.
let terms: typeof import('../domain/search-terms') | undefined;
const searchTerms = async () => (terms ??= await import('../domain/search-terms'));

export type CaseListItem = {
  id: CaseId;
  caseNumber: string;
  patientName: string;
  mrn: string;
  dateNeeded: string;
  priority: Priority;
  region: string;
  statusKey: string;
  statusLabel: string;
  overdue: boolean;
  /** The stage a signer sent back, waiting for the technician's changes; null when none. */
  changesRequested: string | null;
  models: number;
  guides: number;
  demo: boolean;
};

export type CaseListFilter = ListFilter;

function toListItem(row: CaseRow, patient: PatientPhi, today: string): CaseListItem {
  const c = row.clear;
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    patientName: patient.patientName,
    mrn: patient.mrn,
    dateNeeded: c.order.dateNeeded,
    priority: c.order.priority,
    region: c.order.anatomicRegion,
    statusKey: row.statusKey,
    statusLabel: listStatusLabel(c, row.statusKey, statusKeyLabel(row.statusKey)),
    overdue: isOverdue(c.order.dateNeeded, row.statusKey, today),
    changesRequested: row.changesRequested ?? null,
    models: c.deliverables.filter((d) => d.kind === 'model').length,
    guides: c.deliverables.filter((d) => d.kind === 'guide').length,
    demo: c.demo === true,
  };
}

/** The cases a filter shows, as one range of one index in list order; null when none can match. */
function listed(f: CaseListFilter) {
  requireUnlock();
  const range = listRange(f);
  return range && db.cases.where(range.index).between(range.lower, range.upper, true, false);
}

/**
 * All the ids a filter shows, in list order, without loading a row (IDBIndex.getAllKeys):
 * what a search narrows. Without a search the list reads pages (listPage) instead.
 */
export async function listCaseIds(f: CaseListFilter): Promise<CaseId[]> {
  return ((await listed(f)?.primaryKeys()) ?? []) as CaseId[];
}

/** How many cases a filter shows: counted in the index, no row read. */
export async function countListed(f: CaseListFilter): Promise<number> {
  return (await listed(f)?.count()) ?? 0;
}

export const LIST_PAGE = 50;

/** The ids of one page of LIST_PAGE cases of a filter, in list order: the index skips to it, nothing before it is read. */
export async function listPage(f: CaseListFilter, page: number): Promise<CaseId[]> {
  return ((await listed(f)?.offset(page * LIST_PAGE).limit(LIST_PAGE).primaryKeys()) ?? []) as CaseId[];
}

/** The cases having every word of `query` (by prefix), or null for an empty query. Reads the blind index only. */
export async function searchCaseIds(query: string): Promise<Set<CaseId> | null> {
  const { searchKey } = requireUnlock();
  if (!query.trim()) return null;
  const alternatives = (terms ?? (await searchTerms())).queryTokens(searchKey, query);
  if (!alternatives.length) return null;
  // One bulk key read per term and index, all at once (Dexie's anyOf() would walk a cursor, a round trip per match).
  const byTerm = await Promise.all(
    alternatives.map(async ({ hashed, prefix }) => (await Promise.all([db.cases.where('search').equals(hashed).primaryKeys(), db.cases.where('numberKeys').startsWith(prefix).primaryKeys()])).flat()),
  );
  const [first, ...rest] = byTerm;
  const others = rest.map((ids) => new Set(ids));
  return new Set((first ?? []).filter((id) => others.every((o) => o.has(id))) as CaseId[]);
}

/** The list rows of these cases (one screenful), in the order asked; a case deleted meanwhile is left out. */
export async function listRows(ids: readonly CaseId[], today: string): Promise<CaseListItem[]> {
  const { dataKey } = requireUnlock();
  const rows = (await db.cases.bulkGet([...ids])).filter((r) => r !== undefined);
  return Promise.all(rows.map(async (r) => toListItem(r, await patientOf(r, dataKey), today)));
}

export async function countCases(): Promise<number> {
  return db.cases.count();
}

