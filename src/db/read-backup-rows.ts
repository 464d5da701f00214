// A backup's rows, written in a worker (backup-worker.ts) so the page stays free while
// hundreds of megabytes are written; where no worker starts or one fails, the same
// writer on the page.
import { writeBackupRows, type BackupRows, type RowsReply, type RowsRequest } from './backup-rows';
import { db } from './database';

/**
 * Each export's worker busy time, marked when it ends (detail: busyMs, and readMs, the part of it
 * spent waiting for IndexedDB): the benchmark reads it, since the page's CPU throttle does not slow a worker.
 */
export const BACKUP_WORKER_MEASURE = 'printpath:backup-worker';

function inWorker(request: RowsRequest): Promise<BackupRows | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./backup-worker.ts', import.meta.url), { type: 'module' });
    } catch {
      return resolve(null);
    }
    const startedAt = performance.now();
    const end = (rows: BackupRows | null) => {
      worker.terminate();
      resolve(rows);
    };
    worker.onmessage = ({ data }: MessageEvent<RowsReply>) => {
      if ('failed' in data) return end(null);
      performance.measure(BACKUP_WORKER_MEASURE, { start: startedAt, end: performance.now(), detail: { busyMs: data.busyMs, readMs: data.rows.readMs } });
      end(data.rows);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      end(null);
    };
    worker.postMessage(request);
  });
}

export async function readBackupRows(request: RowsRequest): Promise<BackupRows> {
  const rows = typeof Worker === 'function' ? await inWorker(request) : null;
  if (rows) return rows;
  await db.open();
  return writeBackupRows(db.backendDB(), request);
}
