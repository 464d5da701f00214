// Cases: every write is one command applied by the domain and stored, with its
// event, in one transaction. Components never touch the database.
import type { Actor, Case, CaseEvent, Priority } from '../domain/case';
import { applyCommand, type Command } from '../domain/commands';
import { asEventId, type CaseId } from '../domain/ids';
import { deriveStatus, isOverdue } from '../domain/workflow';
import { fromRow, toRow } from './case-mapper';
import { db } from './database';
import { CommandRefused, guardStorage } from './errors';
import { nextCaseNumber } from './settings-repo';

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

type NewCaseCommand = Extract<Command, { type: 'create' }>;

/** Applies a command for an actor and stores the new case and its event together, or nothing. */
export async function runCommand(
  caseId: CaseId | null,
  command: Command | Omit<NewCaseCommand, 'caseNumber'>,
  actor: Actor,
  now: string = new Date().toISOString(),
): Promise<Case> {
  return guardStorage(() =>
    db.transaction('rw', db.cases, db.events, db.settings, async () => {
      const row = caseId ? await db.cases.get(caseId) : undefined;
      if (caseId && !row) throw new CommandRefused('This case is not on this tablet');
      const full: Command = command.type === 'create' ? { ...command, caseNumber: await nextCaseNumber(now.slice(0, 4)) } : (command as Command);
      const result = applyCommand(row ? fromRow(row) : null, full, { actor, now, eventId: asEventId(crypto.randomUUID()) });
      if (!result.ok) throw new CommandRefused(result.reason);
      await db.cases.put(toRow(result.case));
      await db.events.add({ ...result.event, revision: result.case.revision });
      return result.case;
    }),
  );
}
