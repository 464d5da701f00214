// The worker that writes a backup's rows (backup-rows.ts), off the page.
import { writeBackupRows, type BackupRows, type RowsRequest } from './backup-rows';

export type RowsReply = { rows: BackupRows; busyMs: number } | { failed: string };

const open = (name: string) =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB would not open'));
  });

self.onmessage = async (e: MessageEvent<RowsRequest>) => {
  const started = performance.now();
  let reply: RowsReply;
  try {
    const idb = await open(e.data.dbName);
    // Never stand in the way of the page upgrading its database.
    idb.onversionchange = () => idb.close();
    try {
      reply = { rows: await writeBackupRows(idb, e.data), busyMs: performance.now() - started };
    } finally {
      idb.close();
    }
  } catch (err) {
    reply = { failed: err instanceof Error ? err.message : String(err) };
  }
  (self as unknown as Worker).postMessage(reply);
};
