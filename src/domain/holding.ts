// What a connected device holds of the lab. A workstation may hold the whole archive; a
// tablet holds every open case and whatever changed in the last RECENT_DAYS, and keeps of
// older closed or cancelled cases only their record (listed, searchable), fetching their
// history from the lab server when one is opened. Pure: the caller passes today.
export type Holding = 'all' | 'recent';

export const RECENT_DAYS = 90;

const DAY_MS = 86_400_000;
/** Statuses a case keeps for good: the only ones whose history a 'recent' device may leave on the server. */
export const FINISHED_STATUSES = ['closed', 'cancelled'] as const;
const FINISHED: ReadonlySet<string> = new Set(FINISHED_STATUSES);

/** The oldest change a 'recent' device keeps the history of, as an ISO date-time. */
export const recentSince = (today: string) => new Date(Date.parse(today) - RECENT_DAYS * DAY_MS).toISOString();

/** What a device holds now, from its sync state: while a join's history is still arriving, any case may lack it. */
export const holdingOf = (s: { holds?: Holding; backfill?: number } | null): Holding | 'arriving' => (s?.backfill !== undefined ? 'arriving' : (s?.holds ?? 'all'));

/**
 * Whether a case's whole history is here without looking at its chain: it has none yet, or the device keeps it
 * whole. Otherwise only the chain's last entry can tell (db/audit-repo.ts holdsHistory, db/backup-rows.ts).
 */
export const historyKeptWhole = (holding: Holding | 'arriving', c: { auditHead: { seq: number }; statusKey: string; updatedAt: string }, today: string): boolean =>
  c.auditHead.seq < 1 || (holding !== 'arriving' && keepsHistory(holding, c, today));

/** Whether a device holding `holding` keeps the whole history of a case in this state. */
export function keepsHistory(holding: Holding, c: { statusKey: string; updatedAt: string }, today: string): boolean {
  return holding === 'all' || !FINISHED.has(c.statusKey) || c.updatedAt >= recentSince(today);
}

export const HOLDING_TEXT: Record<Holding, string> = {
  all: 'The lab’s whole archive: every case with its history',
  recent: `Open cases and the last ${RECENT_DAYS} days; older closed cases are listed, and their history is fetched when one is opened`,
};
