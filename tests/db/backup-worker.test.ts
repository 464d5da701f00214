// The worker that writes a backup's rows, as the page talks to it: a stand-in Worker here
// answers with the worker's own code (answerRowsRequest, over this test's IndexedDB). The
// real worker in a browser: tests/e2e/resilience.spec.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { exportBackup, readBackup, applyRestore } from '../../src/db/backup';
import { answerRowsRequest, type RowsRequest } from '../../src/db/backup-rows';
import { BACKUP_WORKER_MEASURE } from '../../src/db/read-backup-rows';
import { loadDemoCases } from '../../src/db/demo-repo';
import { ADMIN, resetDatabase, signIn, TEST_PIN } from '../support/render-app';
import { adminIn } from '../support/backup-files';

type Behaviour = 'answers' | 'will not start' | 'fails' | 'reports a failure';

/** The backup worker as the page sees it, behaving as told; any other worker (the signature checks) does not start, so its work stays on the page. */
function standInWorker(behaviour: Behaviour, asked: RowsRequest[]) {
  return class {
    onmessage: ((e: { data: unknown }) => void) | null = null;
    onerror: ((e: { preventDefault(): void }) => void) | null = null;
    constructor(url: URL | string) {
      if (!String(url).includes('backup-worker') || behaviour === 'will not start') throw new Error('Workers are not allowed here');
    }
    postMessage(request: RowsRequest) {
      asked.push(request);
      void (async () => {
        if (behaviour === 'fails') return this.onerror?.({ preventDefault: () => undefined });
        const reply = behaviour === 'answers' ? await answerRowsRequest(request) : { failed: 'The database could not be read' };
        this.onmessage?.({ data: reply });
      })();
    }
    terminate() {}
  };
}

const rowsOf = async (blob: Blob) => JSON.stringify((JSON.parse(await blob.text()) as { tables: unknown }).tables);

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await loadDemoCases(3, TEST_PIN, new Date('2026-11-20T10:00:00Z'));
  performance.clearMeasures(BACKUP_WORKER_MEASURE);
});

afterEach(() => vi.unstubAllGlobals());

describe('a backup’s rows written in a worker', () => {
  it('are the rows the page would write, and its busy time is marked for the benchmark', async () => {
    const onPage = await exportBackup(null, TEST_PIN);
    expect(performance.getEntriesByName(BACKUP_WORKER_MEASURE)).toHaveLength(0);
    const asked: RowsRequest[] = [];
    vi.stubGlobal('Worker', standInWorker('answers', asked));
    const inWorker = await exportBackup(null, TEST_PIN);
    expect(asked).toHaveLength(1);
    const [mark] = performance.getEntriesByName(BACKUP_WORKER_MEASURE) as PerformanceMeasure[];
    expect((mark!.detail as { busyMs: number }).busyMs).toBeGreaterThan(0);
    // The second export's rows add only the first export's audit entry and its time stamp.
    const [a, b] = [JSON.parse(await rowsOf(onPage.blob)), JSON.parse(await rowsOf(inWorker.blob))] as { cases: unknown[]; audit: unknown[] }[];
    expect(b!.cases).toEqual(a!.cases);
    expect(b!.audit.length).toBe(a!.audit.length + 1);
    expect(inWorker.counts).toEqual({ ...onPage.counts, audit: onPage.counts.audit! + 1 });
  });

  it.each<Behaviour>(['will not start', 'fails', 'reports a failure'])('where a worker %s, are written on the page instead, and the file restores', async (behaviour) => {
    vi.stubGlobal('Worker', standInWorker(behaviour, []));
    const file = await exportBackup(null, TEST_PIN);
    expect(performance.getEntriesByName(BACKUP_WORKER_MEASURE)).toHaveLength(0);
    expect(file.counts.cases).toBe(3);
    const backup = await readBackup(await file.blob.text(), null);
    await resetDatabase();
    expect(await applyRestore(backup, {}, { admin: adminIn(backup) })).toMatchObject({ newCases: 3 });
  });
});
