// A device holding only recent cases (domain/holding.ts): the history of an older closed or
// cancelled case is dropped here once the server has all of it (nothing of it waits in the
// outbox or among overtaken changes), its record stays, listed and searchable, and the history
// comes back from the server when the case is opened online.
import { FINISHED_STATUSES, keepsHistory, type Holding } from '../domain/holding';
import { holdsHistory } from '../db/audit-repo';
import { db, durableDb } from '../db/database';
import { readSyncState, updateSyncState } from '../db/sync-state';
import { requireUnlock } from '../db/vault';
import { CommandRefused } from '../db/errors';
import { applyInbox } from './incoming';
import { deviceApi } from './server-api';

/** Drops the history of the cases this device need not hold; returns how many. */
export async function trimHistory(today = new Date().toISOString()): Promise<number> {
  const state = await readSyncState(db);
  if (!state || (state.holds ?? 'all') === 'all' || state.backfill !== undefined) return 0;
  const holding = state.holds ?? 'all';
  const ids: string[] = [];
  for (const status of FINISHED_STATUSES) {
    const rows = db.cases.where('[statusKey+sortKey]').between([status, ''], [status, '\uffff']);
    ids.push(...(await rows.filter((r) => !keepsHistory(holding, r, today)).primaryKeys()));
  }
  let trimmed = 0;
  for (const id of ids) {
    trimmed += await durableDb.transaction('rw', [durableDb.audit, durableDb.outbox, durableDb.parked, durableDb.fileChunks, durableDb.fileTransfers], async () => {
      const entries = durableDb.audit.where('[chain+seq]').between([id, 0], [id, Infinity]);
      const waiting = await durableDb.outbox.where('[chain+seq]').between([id, 0], [id, Infinity]).count();
      if (waiting > 0 || (await durableDb.parked.where('chain').equals(id).count()) > 0 || (await entries.count()) === 0) return 0;
      // Its model files go with its history, once the server has all of them: they come back when it is opened online.
      const files = await durableDb.fileTransfers.filter((f) => f.caseId === id).toArray();
      if (files.some((f) => f.state === 'send')) return 0;
      await durableDb.fileChunks.where('caseId').equals(id).delete();
      await durableDb.fileTransfers.bulkPut(files.map((f) => ({ ...f, state: 'fetch' as const })));
      await entries.delete();
      return 1;
    });
  }
  return trimmed;
}

/** Changes what this device holds: fewer histories are dropped now, more are brought back from the server. */
export async function setHolding(holds: Holding): Promise<void> {
  if (holds === 'all') {
    // Brought back before the choice changes: a case without history is one held elsewhere only while the device holds recent cases.
    for (const row of await db.cases.toArray()) if (!(await holdsHistory(row))) await fetchHistory(row.id);
  }
  await updateSyncState(durableDb, (s) => ({ ...s, holds }));
  if (holds === 'recent') await trimHistory();
}

/** Brings a case's whole history back from the lab server, checked and applied like any other events. */
export async function fetchHistory(caseId: string): Promise<void> {
  const state = await readSyncState(db);
  if (!state) throw new CommandRefused('This case’s history is not on this device, and the device is not connected to a lab server.');
  const api = deviceApi(state.labId, state.credential);
  for (let after = 0; ; ) {
    const page = await api.pull(after, { chain: caseId });
    await db.inbox.bulkPut(page.events.map((event) => ({ serverSeq: event.serverSeq, event })));
    after = page.next;
    if (!page.more) break;
  }
  await applyInbox({ dataKey: requireUnlock().dataKey, labId: state.labId });
}
