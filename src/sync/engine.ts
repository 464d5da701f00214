// The sync loop of a connected device, while someone is signed in (the lab key opens
// only then): apply what waits in the inbox, push the outbox (on "another device
// changed this first": pull, apply, which parks what was overtaken, and push again),
// move a few chunks of model files each way (file-transfer.ts: never before the events),
// then long-poll the server, which answers as soon as another device pushes. A change
// made here wakes the loop at once. One tab per device runs it (Web Locks).
import Dexie from 'dexie';
import { setSyncStatus, type SyncStatus } from '../session/sync-status';
import { db, durableDb } from '../db/database';
import { isJoining, readSyncState, updateSyncState, type SyncState } from '../db/sync-state';
import { currentUnlock, setUnlocked, subscribeVault } from '../db/vault';
import { grantedKeys } from '../db/key-epochs';
import { applyInbox, type Keys } from './incoming';
import { mergeOwnParked } from './parked';
import { catchUpRecoveryGrants } from './recovery';
import { trimHistory } from './archive';
import { reconcileFileTransfers } from '../db/file-transfers';
import { filesNote, moveFiles } from './file-transfer';
import { changedRecords, sealOutbox } from './outgoing';
import { deviceApi, ServerError, type DeviceApi } from './server-api';

const BATCH = 150;
/** Pages of a join's history pulled a round (500 events each): live changes are not held up long behind it. */
const BACKFILL_PAGES = 4;
const LONG_POLL_SECONDS = 25;

let running: AbortController | null = null;
let wake: AbortController = new AbortController();

function nudge(): void {
  const w = wake;
  wake = new AbortController();
  w.abort();
}

/** Starts the loop if this device is connected and someone is signed in; it stops by itself at lock. */
export function startSync(): void {
  if (running || !currentUnlock()) return;
  const stop = new AbortController();
  running = stop;
  const unsubscribeVault = subscribeVault(() => {
    if (!currentUnlock()) stop.abort();
    nudge();
  });
  const onChange = (parts: Record<string, unknown>) => {
    if (Object.keys(parts).some((k) => k.includes('/outbox/'))) nudge();
  };
  Dexie.on('storagemutated', onChange);
  // Back on the network: try at once rather than at the end of the back-off.
  const online = () => nudge();
  globalThis.addEventListener?.('online', online);
  const run = () => loop(stop.signal);
  const locked = typeof navigator !== 'undefined' && navigator.locks ? navigator.locks.request('printpath-sync', { signal: stop.signal }, run) : run();
  void Promise.resolve(locked)
    .catch(() => undefined)
    .finally(() => {
      unsubscribeVault();
      Dexie.on('storagemutated').unsubscribe(onChange);
      globalThis.removeEventListener?.('online', online);
      if (running === stop) running = null;
      // Locked: nothing syncs until the next sign-in, and the header says nothing it cannot keep up to date.
      if (!currentUnlock()) setSyncStatus(null);
    });
}

/** Pushes and pulls now (a "Sync now" button; tests). */
export const syncNow = nudge;

async function status(state: SyncState, s: Pick<SyncStatus, 'state' | 'message'> & { newer?: number }): Promise<void> {
  const [waiting, conflicts] = await Promise.all([db.outbox.count(), db.parked.filter((p) => !p.resolved).count()]);
  setSyncStatus({ deviceName: state.deviceName, lastSyncedAt: state.lastSyncedAt, waiting, conflicts, newer: s.newer ?? 0, ...s });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

async function loop(stop: AbortSignal): Promise<void> {
  let backoff = 1000;
  let sessionChecked = false;
  let fileWait = 1;
  while (!stop.aborted) {
    const unlocked = currentUnlock();
    const state = await readSyncState(db);
    if (!unlocked || !state || state.revoked) return;
    // A tablet joining with its own records is taking the lab's (merge.ts): the loop waits for it.
    if (await isJoining()) {
      await sleep(1000, stop);
      continue;
    }
    const keys: Keys = { dataKey: unlocked.dataKey, labId: state.labId };
    const api = deviceApi(state.labId, state.credential);
    const woken = wake.signal;
    try {
      const applied = await syncOnce(api, keys, String(state.deviceId).slice(0, 8));
      // Once a session (once a join's history is all here): the recovery key's grants the server lacks, histories this device no longer needs, files that stopped.
      const after = (await readSyncState(db))!;
      if (!sessionChecked && after.backfill === undefined) sessionChecked = await catchUpRecoveryGrants(api).then(() => trimHistory()).then(() => reconcileFileTransfers()).then(() => true);
      const notes = [
        after.backfill !== undefined ? `The lab’s history is arriving behind the list: ${Math.floor((100 * after.backfill) / Math.max(1, after.cursor))} %.` : '',
        applied.waiting ? `${applied.waiting} changes from other devices are waiting for the rest of their record.` : '',
        applied.unreadable ? `${applied.unreadable} events do not open with this lab’s key: they are kept, not applied.` : '',
        (await filesNote()) ?? '',
      ].filter(Boolean);
      await status(after, { state: 'synced', message: notes.join(' ') || null, newer: applied.newer });
      backoff = 1000;
      // With the ring as it stands after the round (a key epoch may have arrived in it).
      const files = await moveFiles(api, { ...keys, dataKey: currentUnlock()?.dataKey ?? keys.dataKey }, undefined, stop);
      // More of a file to move, or history arriving behind a join's list: the next round starts at once. A file still
      // going up from another device (its upload wakes no long poll): soon, then less and less often while nothing of it comes.
      fileWait = files.received > 0 || files.waiting === 0 ? 1 : Math.min(fileWait * 2, LONG_POLL_SECONDS);
      await pullOnce(api, files.more || after.backfill !== undefined ? 0 : files.waiting ? fileWait : LONG_POLL_SECONDS, AbortSignal.any([stop, woken]));
    } catch (e) {
      if (stop.aborted) return;
      if (woken.aborted) continue;
      if (e instanceof ServerError && e.status === 401) {
        await updateSyncState(durableDb, (s) => ({ ...s, revoked: true }));
        await status(state, { state: 'revoked', message: 'This device’s access to the lab server was revoked: its changes stay here, unsynced, and can be exported in a backup.' });
        return;
      }
      await status(state, { state: e instanceof ServerError ? 'problem' : 'offline', message: e instanceof Error ? e.message : String(e) });
      await sleep(backoff, AbortSignal.any([stop, wake.signal]));
      backoff = Math.min(backoff * 2, 30_000);
    }
  }
}

/** One round: apply, push (pulling first when another device changed the same records), pull, apply. */
export async function syncOnce(api: DeviceApi, given: Keys, node: string) {
  // Epochs granted since the last round open first: what waits for them applies now.
  const keys = (await withNewEpochs(given)) ?? given;
  await applyInbox(keys);
  // Chains still refused after a pull: another device's entries there wait for the rest of
  // their record (its upload stopped half-way). They stay in the outbox; the rest goes up.
  const held = new Set<string>();
  for (let round = 0; ; round++) {
    const stale = await pushAll(api, keys, node, held);
    if (stale.length === 0) break;
    if (round >= 5) throw new ServerError('Another device keeps changing the same records: trying again shortly.', 409);
    if (round >= 1) for (const chain of stale) held.add(chain);
    await pullAll(api);
    await applyInbox(keys);
  }
  await pullAll(api);
  let applied = await applyInbox(keys);
  if (await backfill(api)) {
    applied = await applyInbox(keys);
    // The whole history is here: a device holding recent cases drops what it need not keep.
    if ((await readSyncState(db))?.backfill === undefined) await trimHistory();
  }
  const wider = await withNewEpochs(keys);
  if (wider) applied = await applyInbox(wider);
  // The signed-in person's own overtaken changes that touch nothing the other device changed go up again now.
  if ((await mergeOwnParked()) > 0) await pushAll(api, keys, node, held);
  return applied;
}

/** A key epoch granted to the signed-in person arrived: it opens now, and what was sealed under it applies. */
async function withNewEpochs(keys: Keys): Promise<Keys | null> {
  const u = currentUnlock();
  if (!u?.agreementKey) return null;
  const ring = await grantedKeys(u.dataKey, u.actor.id, u.agreementKey, keys.labId);
  if (ring === u.dataKey) return null;
  setUnlocked({ ...u, dataKey: ring });
  return { ...keys, dataKey: ring };
}

/** Pushes the whole outbox; returns the chains the server refused because another device changed them first. */
async function pushAll(api: DeviceApi, keys: Keys, node: string, held: ReadonlySet<string>): Promise<string[]> {
  for (let first = true; ; first = false) {
    const rows = await durableDb.outbox.orderBy('[chain+seq]').filter((r) => !held.has(r.chain)).limit(BATCH).toArray();
    const records = first ? await changedRecords(keys.dataKey, node) : { events: [], hashes: {} };
    if (rows.length === 0 && records.events.length === 0) return [];
    const wires = await sealOutbox(rows, keys.dataKey);
    try {
      await api.push([...records.events, ...wires]);
    } catch (e) {
      if (e instanceof ServerError && e.status === 409 && e.stale.length) return e.stale;
      throw e;
    }
    await durableDb.transaction('rw', durableDb.outbox, durableDb.settings, async () => {
      await durableDb.outbox.bulkDelete(rows.map((r) => r.id));
      await updateSyncState(durableDb, (s) => ({ ...s, pushed: { ...s.pushed, ...records.hashes }, lastSyncedAt: new Date().toISOString() }));
    });
  }
}

async function pullAll(api: DeviceApi): Promise<void> {
  while (await pullOnce(api, 0)) {
    /* every page */
  }
}

/**
 * A joined device's history, a few pages a round, behind its usable list (it took each case's
 * record first: lab-server.ts). Only what the live cursor passed: the rest comes through it.
 * True when it pulled something.
 */
async function backfill(api: DeviceApi, pages = BACKFILL_PAGES): Promise<boolean> {
  let pulled = false;
  for (let n = 0; n < pages; n++) {
    const state = (await readSyncState(db))!;
    if (state.backfill === undefined) break;
    const page = await api.pull(state.backfill);
    pulled = true;
    await db.transaction('rw', db.inbox, db.settings, async () => {
      const now = (await readSyncState(db))!;
      if (now.backfill !== state.backfill) return; // another tab pulled meanwhile
      await db.inbox.bulkPut(page.events.filter((e) => e.serverSeq <= now.cursor).map((event) => ({ serverSeq: event.serverSeq, event })));
      const done = !page.more || page.next >= now.cursor;
      await updateSyncState(db, ({ backfill: _, ...s }) => (done ? s : { ...s, backfill: page.next }));
    });
  }
  return pulled;
}

/** One page into the inbox, the cursor moved in the same transaction; true when more wait. */
export async function pullOnce(api: DeviceApi, wait: number, signal?: AbortSignal): Promise<boolean> {
  const { cursor } = (await readSyncState(db))!;
  const page = await api.pull(cursor, { wait, ...(signal ? { signal } : {}) });
  // Into the inbox, the cursor moved in the same transaction (unless another tab pulled meanwhile).
  await db.transaction('rw', db.inbox, db.settings, async () => {
    const now = await readSyncState(db);
    if (now?.cursor !== cursor) return;
    await db.inbox.bulkPut(page.events.map((event) => ({ serverSeq: event.serverSeq, event })));
    await updateSyncState(db, (s) => ({ ...s, cursor: page.next, lastSyncedAt: new Date().toISOString() }));
  });
  return page.more;
}
