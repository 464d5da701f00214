// How the case list is read from indexes: each filter of the list is one key
// range on one index, already in list order (soonest needed first, then case
// number), so a page of the list never needs the whole table. The sparse keys
// exist only on the cases they describe: `openSort` on open cases, `workSort`
// on cases still in a stage (the ones that can be overdue, see isOverdue).
import type { Priority, Role, StageId } from './case';
import { STAGES } from './stages';
import type { SignoffWait } from './signoff-wait';

export type ListKeys = { sortKey: string; openSort?: string; workSort?: string };

export const OPEN_KEYS = [...STAGES.map((s) => s.id as string), 'awaiting-use', 'ready-for-billing'];
const inStage = (statusKey: string) => STAGES.some((s) => s.id === statusKey);

export function listKeys(statusKey: string, dateNeeded: string, caseNumber: string): ListKeys {
  const sortKey = `${dateNeeded} ${caseNumber}`;
  return {
    sortKey,
    ...(OPEN_KEYS.includes(statusKey) ? { openSort: sortKey } : {}),
    ...(inStage(statusKey) ? { workSort: sortKey } : {}),
  };
}

export type ListFilter = {
  /** A stage id, a status code, 'open' (anything not closed or cancelled), or 'all'. */
  status: string;
  overdueOnly: boolean;
  /** Local date, YYYY-MM-DD: a case needed before today and still in a stage is overdue. */
  today: string;
};

/** The index and key range that list exactly the cases a filter shows, in list order; null when none can match. */
export type ListRange = { index: 'sortKey' | 'openSort' | 'workSort' | '[statusKey+sortKey]'; lower: string | [string, string]; upper: string | [string, string] };

const END = '\uffff';

export function listRange(f: ListFilter): ListRange | null {
  // A sort key starts with the date needed: everything before `today` sorts below it.
  const upper = f.overdueOnly ? f.today : END;
  if (f.status === 'all' || f.status === 'open') {
    if (f.overdueOnly) return { index: 'workSort', lower: '', upper };
    return { index: f.status === 'all' ? 'sortKey' : 'openSort', lower: '', upper };
  }
  if (f.overdueOnly && !inStage(f.status)) return null;
  return { index: '[statusKey+sortKey]', lower: [f.status, ''], upper: [f.status, upper] };
}

// The sign-off queue: one more sparse key, only on cases with a stage waiting for a signer,
// `<role> <priority rank> <date needed> <case number>`: one key range per role, most urgent
// first, then soonest needed. What it waits for travels beside it (`awaiting`, not indexed),
// so the queue reads only the rows it lists.
const PRIORITY_RANK: Record<Priority, number> = { emergent: 0, urgent: 1, routine: 2 };

export type QueueKeys = { signoffSort?: string; awaiting?: { stage: StageId; since: string } };

export function queueKeys(wait: SignoffWait | null, priority: Priority, dateNeeded: string, caseNumber: string): QueueKeys {
  if (!wait) return {};
  return { signoffSort: `${wait.role} ${PRIORITY_RANK[priority] ?? 9} ${dateNeeded} ${caseNumber}`, awaiting: { stage: wait.stage, since: wait.since } };
}

/** The key range of one role's queue on the `signoffSort` index, in queue order. */
/** How many rows the queue screen reads and shows at first (a screenful and more); "Show more" adds as many again. */
export const QUEUE_PAGE = 25;

export const queueRange = (role: Role): { lower: string; upper: string } => ({ lower: `${role} `, upper: `${role} ${END}` });
