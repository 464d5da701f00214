// Reading cases: the list (from the status and date indexes) and one case with its history.
// Writes live in case-commands.ts, loaded on first write, to keep the case list's first load small.
import type { ChainVerification } from '../domain/audit-chain';
import type { Case, CaseEvent, PatientPhi, Priority, StageId } from '../domain/case';
import type { CaseId } from '../domain/ids';
import { isOverdue, statusKeyLabel, type Distrusted } from '../domain/workflow';
import { readCaseHistory } from './audit-repo';
import { fromRow, patientOf } from './case-codec';
import { db, type CaseRow } from './database';
import { verifyCaseSignatures, type SignatureCheck } from './signature-checks';
import { requireUnlock } from './vault';

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

export type CaseListFilter = {
  search: string;
  /** A stage id, a status code, 'open' (anything not closed or cancelled), or 'all'. */
  status: string;
  overdueOnly: boolean;
  today: string;
};

const OPEN_KEYS = ['imaging', 'segmenting', 'printing', 'delivery', 'awaiting-use', 'ready-for-billing'];

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

export async function listCases(f: CaseListFilter): Promise<CaseListItem[]> {
  const { dataKey } = requireUnlock();
  const keys = f.status === 'all' ? null : f.status === 'open' ? OPEN_KEYS : [f.status];
  const rows = keys
    ? (await Promise.all(keys.map((k) => db.cases.where('[statusKey+dateNeeded]').between([k, ''], [k, '\uffff']).toArray()))).flat()
    : await db.cases.orderBy('dateNeeded').toArray();
  const q = f.search.trim().toLowerCase();
  const items = await Promise.all(rows.map(async (r) => toListItem(r, await patientOf(r, dataKey), f.today)));
  return items
    .filter((c) => !f.overdueOnly || c.overdue)
    .filter((c) => !q || c.caseNumber.toLowerCase().includes(q) || c.mrn.toLowerCase().includes(q) || c.patientName.toLowerCase().includes(q))
    .sort((a, b) => a.dateNeeded.localeCompare(b.dateNeeded) || a.caseNumber.localeCompare(b.caseNumber));
}

export async function countCases(): Promise<number> {
  return db.cases.count();
}

export type CaseWithHistory = {
  case: Case;
  events: CaseEvent[];
  /** The case's audit chain, checked entry by entry against its stored head. */
  history: ChainVerification;
  /** Each current signature checked with its signer's public key. */
  signatures: Partial<Record<StageId, SignatureCheck>>;
  distrusted: Distrusted;
};

export async function getCase(id: CaseId): Promise<CaseWithHistory | null> {
  const { dataKey } = requireUnlock();
  const row = await db.cases.get(id);
  if (!row) return null;
  const c = await fromRow(row, dataKey);
  const [{ events, verification }, { checks, distrusted }] = await Promise.all([readCaseHistory(id, row.auditHead, dataKey), verifyCaseSignatures(c)]);
  return { case: c, events, history: verification, signatures: checks, distrusted };
}
