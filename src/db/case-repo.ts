// Reading cases: the list (from the status and date indexes) and one case with its history.
// Writes live in case-commands.ts, loaded on first write, to keep the case list's first load small.
import type { Case, CaseEvent, Priority } from '../domain/case';
import type { CaseId } from '../domain/ids';
import { deriveStatus, isOverdue } from '../domain/workflow';
import { fromRow } from './case-mapper';
import { db } from './database';

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

function toListItem(c: Case, today: string): CaseListItem {
  const status = deriveStatus(c);
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    patientName: c.phi.patientName,
    mrn: c.phi.mrn,
    dateNeeded: c.order.dateNeeded,
    priority: c.order.priority,
    region: c.order.anatomicRegion,
    statusKey: status.code === 'in-stage' ? status.stage : status.code,
    statusLabel: status.label,
    overdue: isOverdue(c, status, today),
    models: c.deliverables.filter((d) => d.kind === 'model').length,
    guides: c.deliverables.filter((d) => d.kind === 'guide').length,
  };
}

export async function listCases(f: CaseListFilter): Promise<CaseListItem[]> {
  const keys = f.status === 'all' ? null : f.status === 'open' ? OPEN_KEYS : [f.status];
  const rows = keys
    ? (await Promise.all(keys.map((k) => db.cases.where('[statusKey+dateNeeded]').between([k, ''], [k, '\uffff']).toArray()))).flat()
    : await db.cases.orderBy('dateNeeded').toArray();
  const q = f.search.trim().toLowerCase();
  return rows
    .map((r) => toListItem(fromRow(r), f.today))
    .filter((c) => !f.overdueOnly || c.overdue)
    .filter((c) => !q || c.caseNumber.toLowerCase().includes(q) || c.mrn.toLowerCase().includes(q) || c.patientName.toLowerCase().includes(q))
    .sort((a, b) => a.dateNeeded.localeCompare(b.dateNeeded) || a.caseNumber.localeCompare(b.caseNumber));
}

export async function countCases(): Promise<number> {
  return db.cases.count();
}

export type CaseWithHistory = { case: Case; events: CaseEvent[] };

export async function getCase(id: CaseId): Promise<CaseWithHistory | null> {
  return db.transaction('r', db.cases, db.events, async () => {
    const row = await db.cases.get(id);
    if (!row) return null;
    const events = await db.events.where('[caseId+revision]').between([id, 0], [id, Infinity]).toArray();
    return { case: fromRow(row), events: events.map(({ revision: _r, ...e }) => e) };
  });
}
