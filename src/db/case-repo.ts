// Reading cases: the list (ids from one index range, rows one screenful at a time,
// search through the blind index) and one case with its history.
// Writes live in case-commands.ts, loaded on first write, to keep the case list's first load small.
import type { ChainVerification } from '../domain/audit-chain';
import type { LabState } from '../domain/lab-log';
import type { Case, CaseEvent, PatientPhi, Priority, StageId } from '../domain/case';
import type { CaseId } from '../domain/ids';
import { listRange, type ListFilter } from '../domain/list-index';
import { isOverdue, statusKeyLabel, type Distrusted } from '../domain/workflow';
import { caseHistoryEntries, openCaseHistory } from './audit-repo';
import { labProblem, readLabTrust } from './lab-log-repo';
import { proveRecord, type RecordProof } from './record-proof';
import { fromRow, patientOf } from './case-codec';
import { db, type CaseRow } from './database';
import { verifyCaseSignatures, type SignatureCheck, type SignatureVerdict } from './signature-checks';
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
  models: number;
  guides: number;
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
    statusLabel: statusKeyLabel(row.statusKey),
    overdue: isOverdue(c.order.dateNeeded, row.statusKey, today),
    models: c.deliverables.filter((d) => d.kind === 'model').length,
    guides: c.deliverables.filter((d) => d.kind === 'guide').length,
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
  // One bulk key read per entry, all at once (Dexie's anyOf() would walk a cursor, a round trip per match).
  const byTerm = await Promise.all(alternatives.map(async (anyOf) => (await Promise.all(anyOf.map((t) => db.cases.where('search').equals(t).primaryKeys()))).flat()));
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

/** A check as the screen and the PDF word it. */
export type Check = { state: 'verified' | 'legacy' | 'failed'; text: string };

/** A case as its page shows it first. */
export type CaseView = {
  case: Case;
  /** Each current signature checked with its signer's key on the signed lab log. */
  signatures: Partial<Record<StageId, SignatureCheck>>;
  /** The same checks in words. */
  verdicts: Partial<Record<StageId, SignatureVerdict>>;
  distrusted: Distrusted;
  /** The stored case against the case its last signed history entry records. */
  record: Check;
  /** The lab's signed log of people, roles and keys. */
  people: Check;
  /** Fingerprint (hex) of the lab's root key. */
  labRoot: string | null;
};

export type CaseHistory = {
  events: CaseEvent[];
  /** The case's audit chain, checked entry by entry against its stored head. */
  history: ChainVerification;
};

export type CaseWithHistory = CaseView & CaseHistory;

/** The case decrypted, its record checked against its signed history and its signatures against the lab log. Its history is read apart: only the history and billing tabs show it. */
export async function getCaseView(id: CaseId): Promise<CaseView | null> {
  const { dataKey } = requireUnlock();
  const row = await db.cases.get(id);
  if (!row) return null;
  const [c, lab] = await Promise.all([fromRow(row, dataKey), readLabTrust()]);
  const [{ checks, verdicts, distrusted }, record] = await Promise.all([verifyCaseSignatures(c, lab.state), checkRecord(row, c, dataKey, lab.state)]);
  const problem = labProblem(lab);
  const people: Check = problem ? { state: 'failed', text: problem } : { state: 'verified', text: 'The lab’s signed log of people, roles and keys verifies.' };
  return { case: c, signatures: checks, verdicts, distrusted, record, people, labRoot: lab.state.root };
}

const RECORD_CHECKS: Record<RecordProof, Check> = {
  verified: { state: 'verified', text: 'The stored case matches what its signed history records.' },
  legacy: { state: 'legacy', text: 'Made before the signed log: this case was last changed before entries were signed, so its stored record is checked against its signed history only from its next change.' },
  'not-head': { state: 'failed', text: 'Does not verify: the stored case does not match the last entry of its history (the record or its history was altered).' },
  'not-signed': { state: 'failed', text: 'Does not verify: the last entry of its history is not signed by its author’s key on the lab log.' },
  changed: { state: 'failed', text: 'Does not verify: the stored case was changed outside Printpath and no longer matches what its signed history records.' },
};

/** The stored case against the last entry of its history (record-proof.ts). */
async function checkRecord(row: CaseRow, c: Case, dataKey: CryptoKey, lab: LabState): Promise<Check> {
  const last = row.auditHead.seq > 0 ? await db.audit.get([row.id, row.auditHead.seq]) : undefined;
  return RECORD_CHECKS[await proveRecord(row, c, last, dataKey, lab)];
}

/** The case's events, its chain checked against the head its row stores (both read in one transaction). */
export async function getCaseHistory(id: CaseId): Promise<CaseHistory> {
  const { dataKey } = requireUnlock();
  const [row, entries] = await db.transaction('r', db.cases, db.audit, () => Promise.all([db.cases.get(id), caseHistoryEntries(id)]));
  const { events, verification } = await openCaseHistory(id, entries, row?.auditHead ?? null, dataKey);
  return { events, history: verification };
}

export async function getCase(id: CaseId): Promise<CaseWithHistory | null> {
  const [view, history] = await Promise.all([getCaseView(id), getCaseHistory(id)]);
  return view && { ...view, ...history };
}
