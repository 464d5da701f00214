// Which model files still travel between this device and the lab server (sync/file-transfer.ts
// moves them): a file attached here goes up ('send'), a file another device attached comes
// down ('fetch'); 'done' once both hold all of it. Written with what causes it: the attach,
// the case arriving from another device; derived again from the cases and chunks at the
// first sign-in after an upgrade or a restore.
import type { ClearCase } from '../domain/phi';
import { chunkCount } from '../crypto/file-cipher';
import { db, FILES_STALE, type FileChunkRow, type FileTransferRow, type PrintpathDb } from './database';

/** The rows of files attached here: to go up. */
export function filesToSend(chunks: readonly FileChunkRow[]): FileTransferRow[] {
  const files = new Map<string, FileTransferRow>();
  for (const c of chunks) {
    const row = files.get(c.fileId) ?? { fileId: c.fileId, caseId: c.caseId, chunks: 0, state: 'send' };
    files.set(c.fileId, { ...row, chunks: row.chunks + 1 });
  }
  return [...files.values()];
}

/** Cases arrived from another device: the files they name that this device does not know yet come down. Inside the caller's transaction. */
export async function noteCaseFiles(store: PrintpathDb, rows: readonly { id: string; clear: Pick<ClearCase, 'files'> }[]): Promise<void> {
  const files = rows.flatMap((row) => (row.clear.files ?? []).map((f) => ({ ...f, caseId: row.id })));
  if (files.length === 0) return;
  const known = await store.fileTransfers.bulkGet(files.map((f) => f.id));
  const fresh = files.filter((_f, i) => !known[i]).map((f): FileTransferRow => ({ fileId: f.id, caseId: f.caseId, chunks: chunkCount(f.size), state: 'fetch' }));
  if (fresh.length) await store.fileTransfers.bulkPut(fresh);
}

/**
 * Once a session: what stopped is tried again, chunks that went missing are fetched again,
 * chunks no row knows of go up; after an upgrade or a restore, every case's files too.
 */
export async function reconcileFileTransfers(): Promise<void> {
  const here = new Map<string, { caseId: string; have: number }>();
  await db.fileChunks.orderBy('caseId').eachKey((caseId, cursor) => {
    const [fileId] = cursor.primaryKey as [string, number];
    here.set(fileId, { caseId: String(caseId), have: (here.get(fileId)?.have ?? 0) + 1 });
  });
  const stale = Boolean((await db.settings.get(FILES_STALE))?.value);
  const named = new Map<string, { caseId: string; chunks: number }>();
  if (stale) await db.cases.each((c) => c.clear.files?.forEach((f) => named.set(f.id, { caseId: c.id, chunks: chunkCount(f.size) })));
  await db.transaction('rw', db.fileTransfers, db.settings, async () => {
    const rows = new Map((await db.fileTransfers.toArray()).map((r) => [r.fileId, r]));
    const changed: FileTransferRow[] = [];
    for (const row of rows.values()) {
      const have = here.get(row.fileId)?.have ?? 0;
      const { problem: _p, ...retried } = row;
      if (row.state === 'done' && have < row.chunks) changed.push({ ...retried, state: 'fetch' });
      else if (row.problem !== undefined) changed.push(retried);
    }
    for (const [fileId, { caseId, have }] of here) {
      if (!rows.has(fileId)) changed.push({ fileId, caseId, chunks: named.get(fileId)?.chunks ?? have, state: have < (named.get(fileId)?.chunks ?? have) ? 'fetch' : 'send' });
    }
    for (const [fileId, { caseId, chunks }] of named) {
      if (!rows.has(fileId) && !here.has(fileId)) changed.push({ fileId, caseId, chunks, state: 'fetch' });
    }
    await db.fileTransfers.bulkPut(changed);
    if (stale) await db.settings.delete(FILES_STALE);
  });
}
