// Model files travel with sync (db/file-transfers.ts says which): after the events, a few
// chunks a round, so a file never holds up the cases' changes. Up: the server's list of the
// file's chunks, then the ones it lacks, exactly as stored (sealed under the lab's key: the
// server never sees a file). Down: the chunks this device lacks, each kept only once it opens
// as that file's chunk at that place. Cut off anywhere, the next round goes on from there;
// what the server refuses, or what does not open, stops that file until the next sign-in.
import { CryptoError } from '../crypto/errors';
import { chunkFromWire, chunkToWire } from '../crypto/file-cipher';
import { keepsHistory } from '../domain/holding';
import { holdsHistory } from '../db/audit-repo';
import { db, type FileTransferRow } from '../db/database';
import { readSyncState } from '../db/sync-state';
import type { Keys } from './incoming';
import { ServerError, type DeviceApi } from './server-api';

/** Chunks (1 MiB each) moved each way in one round of the sync loop. */
export const CHUNKS_PER_ROUND = 16;

/** `more`: the round's budget ran out with chunks still to move; `waiting`: files this device needs whose parts the server does not have yet. */
export type Moved = { sent: number; received: number; more: boolean; waiting: number };

type Step = { moved: number; more: boolean; waiting?: number };

/** One round's share of the files to move; it stops between chunks once `stop` is aborted (the app locked). */
export async function moveFiles(api: DeviceApi, keys: Keys, budget = CHUNKS_PER_ROUND, stop?: AbortSignal): Promise<Moved> {
  const up = await sendFiles(api, budget, stop);
  const down = await fetchFiles(api, keys, budget, stop);
  return { sent: up.moved, received: down.moved, more: up.more || down.more, waiting: down.waiting ?? 0 };
}

/** The server answered that it will not take or give this (not: it is unreachable, busy, or this device is revoked). */
const refused = (e: unknown): e is ServerError => e instanceof ServerError && e.status >= 400 && e.status < 500 && ![401, 408, 429].includes(e.status);

/** `call`'s answer, or null when the server refused it: the file then stops, saying why. */
async function unlessRefused<T>(row: FileTransferRow, what: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (e) {
    if (!refused(e)) throw e;
    await db.fileTransfers.update(row.fileId, { problem: `The lab server refused ${what}: ${e.message}` });
    return null;
  }
}

async function sendFiles(api: DeviceApi, budget: number, stop?: AbortSignal): Promise<Step> {
  let moved = 0;
  const spent = () => moved >= budget || Boolean(stop?.aborted);
  for (const row of await db.fileTransfers.where('state').equals('send').filter((r) => r.problem === undefined).toArray()) {
    if (spent()) return { moved, more: true };
    const listed = await unlessRefused(row, 'to list this file’s parts', () => api.fileChunks(row.fileId));
    if (!listed) continue;
    const held = new Set(listed.chunks);
    let complete = true;
    for (let i = 0; i < row.chunks; i++) {
      if (held.has(i)) continue;
      if (spent()) return { moved, more: true };
      const chunk = await db.fileChunks.get([row.fileId, i]);
      // Not (or no longer) all here: what this device lacks comes from the server instead.
      if (!chunk) await db.fileTransfers.update(row.fileId, { state: 'fetch' });
      if (!chunk || (await unlessRefused(row, `part ${i + 1} of ${row.chunks} of this file`, () => api.putChunk(row.fileId, i, chunkToWire(chunk)))) === null) {
        complete = false;
        break;
      }
      moved++;
    }
    if (complete) await db.fileTransfers.update(row.fileId, { state: 'done' });
  }
  return { moved, more: false };
}

async function fetchFiles(api: DeviceApi, keys: Keys, budget: number, stop?: AbortSignal): Promise<Step> {
  let moved = 0;
  let waiting = 0;
  const spent = () => moved >= budget || Boolean(stop?.aborted);
  const holds = (await readSyncState(db))?.holds ?? 'all';
  const today = new Date().toISOString();
  for (const row of await db.fileTransfers.where('state').equals('fetch').filter((r) => r.problem === undefined).toArray()) {
    // A device holding recent cases only leaves an older case's files on the server, as it does its
    // history, until the case is opened online and its history brought here.
    if (holds !== 'all') {
      const held = await db.cases.get(row.caseId);
      if (!held || !(keepsHistory(holds, held, today) || (await holdsHistory(held, db, 'arriving')))) continue;
    }
    const have = new Set((await db.fileChunks.where('[fileId+index]').between([row.fileId, 0], [row.fileId, row.chunks], true, false).primaryKeys()).map(([, i]) => i));
    if (have.size < row.chunks) {
      if (spent()) return { moved, more: true, waiting };
      const listed = await unlessRefused(row, 'to list this file’s parts', () => api.fileChunks(row.fileId));
      // Still going up from the device that attached it.
      if (listed && listed.chunks.filter((i) => i < row.chunks).length < row.chunks) waiting++;
      for (const i of listed?.chunks ?? []) {
        if (have.has(i) || i >= row.chunks) continue;
        if (spent()) return { moved, more: true, waiting };
        if (!(await fetchChunk(api, keys, row, i))) break;
        have.add(i);
        moved++;
      }
    }
    if (have.size >= row.chunks) await db.fileTransfers.update(row.fileId, { state: 'done' });
  }
  return { moved, more: false, waiting };
}

/** Fetches one chunk and keeps it if it opens; false (the file stopped, saying why) if not. */
async function fetchChunk(api: DeviceApi, keys: Keys, row: FileTransferRow, index: number): Promise<boolean> {
  const got = await unlessRefused(row, `part ${index + 1} of ${row.chunks} of this file`, () => api.getChunk(row.fileId, index));
  if (!got) return false;
  const sealed = await chunkFromWire(got.chunk, keys.dataKey, row.fileId, index).catch((e: unknown) => {
    if (e instanceof CryptoError) return null;
    throw e;
  });
  if (!sealed) {
    await db.fileTransfers.update(row.fileId, { problem: `Part ${index + 1} of ${row.chunks} did not open with this lab’s key as it arrived (damaged or altered): it was not kept.` });
    return false;
  }
  await db.fileChunks.put({ ...sealed, fileId: row.fileId, index, caseId: row.caseId });
  return true;
}

/** What the sync status says of files that stopped, or null. */
export async function filesNote(): Promise<string | null> {
  const stopped = await db.fileTransfers.filter((r) => r.problem !== undefined).count();
  if (stopped === 0) return null;
  return `${stopped} model ${stopped === 1 ? 'file' : 'files'} stopped part-way (shown with the file); tried again at the next sign-in.`;
}
