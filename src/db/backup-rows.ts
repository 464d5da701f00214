// A backup's rows as its file holds them: read in one IndexedDB transaction, a batch at a
// time, each row's JSON written as UTF-8 into chunks that are hashed as they fill and
// gathered into a Blob. At 10,000 cases that is some 340 MB: no single string or buffer
// of it is ever made, and it runs in a worker (backup-worker.ts), so the page stays free.
// IndexedDB itself, not Dexie: the worker carries no more than this file.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBase64, bytesToHex, utf8Encode } from '../crypto/encoding';
import { historyKeptWhole, holdingOf, type Holding } from '../domain/holding';
import type { CaseRow as DbCaseRow } from './database';
import { storedCase } from './stored-case';

export type RowsRequest = {
  dbName: string;
  modelFiles: boolean;
  /** Now, as an ISO date-time: which closed cases a device holding recent cases keeps whole. */
  now: string;
  /** The setting that holds this device's sync state (sync-state.ts). */
  syncStateKey: string;
  /** Settings that are this device's own, never in a backup. */
  localSettings: readonly string[];
};

/** `readMs`: the time spent waiting for IndexedDB, which the benchmark tells apart from the writer's own work. */
export type BackupRows = { rows: Blob; checksum: string; counts: Record<string, number>; elsewhere: number; readMs: number };

type Row = Record<string, unknown>;
type CaseRow = Row & { id: string; statusKey: string; updatedAt: string; auditHead: { seq: number } };

const BATCH = 2000;
const CHUNK = 4 << 20;
const encoder = new TextEncoder();

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

const keyOf = (row: Row, path: string | string[]): IDBValidKey => (Array.isArray(path) ? path.map((p) => row[p] as IDBValidKey) : (row[path] as IDBValidKey));

/**
 * A store's rows in key order, a batch at a time; the next batch is asked for before this one is
 * handed over, so the database reads while the caller writes. `waited` adds up the time spent waiting.
 */
async function* batches(store: IDBObjectStore, waited: { ms: number }): AsyncGenerator<Row[]> {
  let next = done(store.getAll(null, BATCH));
  for (;;) {
    const asked = performance.now();
    const rows = (await next) as Row[];
    waited.ms += performance.now() - asked;
    if (rows.length === BATCH) next = done(store.getAll(IDBKeyRange.lowerBound(keyOf(rows[BATCH - 1]!, store.keyPath as string | string[]), true), BATCH));
    yield rows;
    if (rows.length < BATCH) return;
  }
}

/** UTF-8 chunks of what is written, hashed (SHA-256) as each fills. */
function byteSink() {
  const hash = sha256.create();
  const blobs: Blob[] = [];
  let parts: Uint8Array<ArrayBuffer>[] = [];
  let chunk = new Uint8Array(CHUNK);
  let at = 0;
  const emit = (bytes: Uint8Array<ArrayBuffer>) => {
    hash.update(bytes);
    parts.push(bytes);
    // A Blob copies its parts: the chunks can go, and the browser may keep the copy on disk.
    if (parts.length === 16) {
      blobs.push(new Blob(parts));
      parts = [];
    }
  };
  const flush = () => {
    if (at === 0) return;
    emit(chunk.subarray(0, at));
    chunk = new Uint8Array(CHUNK);
    at = 0;
  };
  return {
    write(text: string) {
      // A UTF-16 unit takes at most 3 bytes: a text that might not fit starts a chunk, one longer than a chunk is a part of its own.
      if (text.length * 3 > CHUNK - at) {
        flush();
        if (text.length * 3 > CHUNK) return emit(utf8Encode(text));
      }
      at += encoder.encodeInto(text, chunk.subarray(at)).written;
    },
    end: () => {
      flush();
      return { blob: new Blob([...blobs, ...parts]), checksum: bytesToHex(hash.digest()) };
    },
  };
}

/** The last sequence number of a chain here, 0 if none. */
const lastSeq = async (audit: IDBObjectStore, chain: string): Promise<number> => {
  const cursor = await done(audit.openKeyCursor(IDBKeyRange.bound([chain, 0], [chain, Infinity]), 'prev'));
  return cursor ? ((cursor.key as [string, number])[1] ?? 0) : 0;
};

/**
 * The rows of every table, as JSON.stringify of `{ cases, audit, users, settings, printers, materials[, fileChunks] }`
 * would give them, and the SHA-256 of those bytes. A case whose history this device does not hold (db/audit-repo.ts
 * holdsHistory) is left out: without its history it would not prove itself.
 */
export async function writeBackupRows(idb: IDBDatabase, req: RowsRequest): Promise<BackupRows> {
  const names = ['cases', 'audit', 'users', 'settings', 'printers', 'materials', ...(req.modelFiles ? ['fileChunks'] : [])];
  const tx = idb.transaction(names, 'readonly');
  const store = (name: string) => tx.objectStore(name);
  const sync = (await done(store('settings').get(req.syncStateKey))) as { value?: { holds?: Holding; backfill?: number } } | undefined;
  const holding = holdingOf(sync?.value ?? null);
  const local = new Set(req.localSettings);
  const held = new Set<string>();
  let elsewhere = 0;

  const holds = async (c: CaseRow) =>
    historyKeptWhole(holding, c, req.now) || (await lastSeq(store('audit'), c.id)) >= c.auditHead.seq;
  // Each table's rows as the file holds them: a row left out is null.
  const asFiled: Record<string, (batch: Row[]) => Promise<(Row | null)[]> | (Row | null)[]> = {
    cases: async (batch) => {
      const here = await Promise.all((batch as CaseRow[]).map(holds));
      return (batch as CaseRow[]).map((c, i) => {
        if (!here[i]) return (elsewhere++, null);
        held.add(c.id);
        return storedCase(c as unknown as DbCaseRow);
      });
    },
    settings: (batch) => batch.map((s) => (local.has(s.key as string) ? null : s)),
    fileChunks: (batch) => batch.map(({ iv, ct, ...rest }) => (held.has(rest.caseId as string) ? { ...rest, iv: bytesToBase64(iv as Uint8Array), ct: bytesToBase64(ct as Uint8Array) } : null)),
  };

  const sink = byteSink();
  const counts: Record<string, number> = {};
  const waited = { ms: 0 };
  sink.write('{');
  for (const [t, name] of names.entries()) {
    sink.write(`${t ? ',' : ''}${JSON.stringify(name)}:[`);
    let n = 0;
    for await (const batch of batches(store(name), waited)) {
      for (const row of (await asFiled[name]?.(batch)) ?? batch) {
        if (row === null) continue;
        if (n++) sink.write(',');
        sink.write(JSON.stringify(row));
      }
    }
    sink.write(']');
    counts[name] = n;
  }
  sink.write('}');
  const { blob, checksum } = sink.end();
  return { rows: blob, checksum, counts, elsewhere, readMs: waited.ms };
}

export type RowsReply = { rows: BackupRows; busyMs: number } | { failed: string };

const openDatabase = (name: string) =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB would not open'));
  });

/** What the worker answers a request with: the rows and its busy time, or why it failed. */
export async function answerRowsRequest(request: RowsRequest): Promise<RowsReply> {
  const started = performance.now();
  try {
    const idb = await openDatabase(request.dbName);
    // Never stand in the way of the page upgrading its database.
    idb.onversionchange = () => idb.close();
    try {
      return { rows: await writeBackupRows(idb, request), busyMs: performance.now() - started };
    } finally {
      idb.close();
    }
  } catch (err) {
    return { failed: err instanceof Error ? err.message : String(err) };
  }
}
