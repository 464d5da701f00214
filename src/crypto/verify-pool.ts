// Checking many ECDSA signatures, sealed values and SHA-256 hashes at once: a restore checks some
// 180,000 of each. Chromium runs Web Crypto's verify, decrypt and digest synchronously on the calling thread,
// so on the page they queue one behind another on the main thread; a few workers check them
// side by side instead, while the page renders. Calls are gathered into chunks (one message
// per chunk, each public key sent once in it). Every check is still made, with the same
// functions (verify-jobs.ts): where a worker cannot start or fails, its chunk is checked on the page.
import type { Sealed } from './field-cipher';
import type { DataKey } from './key-ring';
import { verifyText } from './signing-keys';
import { holds, type Check, type VerifyJob, type VerifyReply, type VerifyRequest } from './verify-jobs';

export type Verify = (key: JsonWebKey, text: string, sig: string) => Promise<boolean>;
/** Whether a sealed value opens, as JSON, with the pool's data key under `aad`. */
export type Opens = (sealed: Sealed, aad: string) => Promise<boolean>;
/** Whether SHA-256 of `text` is `sha256` (hex). */
export type HashIs = (text: string, sha256: string) => Promise<boolean>;

/** What the pool needs of a worker: a Worker, or a stand-in in tests. */
export type VerifyWorker = {
  postMessage(message: VerifyRequest): void;
  onmessage: ((e: MessageEvent<VerifyReply>) => void) | null;
  onerror: ((e: Event) => void) | null;
  terminate(): void;
};

export type VerifyPool = { verify: Verify; opens: Opens; hashIs: HashIs; close(): void };

/**
 * Each pool's workers' busy time, marked when it closes (detail: busyMs, the sum over its workers;
 * workers; checks): the benchmark reads it, since the page's CPU throttle does not slow a worker.
 */
export const POOL_MEASURE = 'printpath:signature-workers';

const CHUNK = 512;

type Pending = { check: Check; resolve: (ok: boolean) => void };

const spawnWorker = (): VerifyWorker => new Worker(new URL('./verify-worker.ts', import.meta.url), { type: 'module' }) as unknown as VerifyWorker;

const defaultSize = () => Math.max(1, Math.min(4, (globalThis.navigator?.hardwareConcurrency ?? 2)));

/**
 * A pool of `size` workers; `close()` when done (it ends them). `dataKey` opens the sealed
 * values (none open without it). Without Worker (tests under jsdom, very old browsers) every
 * check is made on the page.
 */
export function verifyPool({ size = defaultSize(), spawn = typeof Worker === 'function' ? spawnWorker : null, dataKey = null }: { size?: number; spawn?: (() => VerifyWorker) | null; dataKey?: DataKey | null } = {}): VerifyPool {
  if (!spawn || size < 1) return { verify: verifyText, opens: (sealed, aad) => holds({ sealed, aad }, dataKey), hashIs: (text, sha256) => holds({ text, sha256 }, null), close: () => {} };
  /** On the page, one after another: where there are no workers. */
  const onPage = async (jobs: Pending[]) => {
    for (const j of jobs) j.resolve(await holds(j.check, dataKey));
  };
  type Slot = { worker: VerifyWorker | null; busy: number; inFlight: Map<number, Pending[]> };
  const slots: Slot[] = [];
  let nextId = 0;
  let queue: Pending[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const startedAt = performance.now();
  let busyMs = 0;
  let checked = 0;

  const failSlot = (slot: Slot) => {
    slot.worker?.terminate();
    slot.worker = null;
    const lost = [...slot.inFlight.values()];
    slot.inFlight.clear();
    slot.busy = 0;
    for (const jobs of lost) void onPage(jobs);
  };

  const start = (): Slot => {
    const slot: Slot = { worker: null, busy: 0, inFlight: new Map() };
    try {
      slot.worker = spawn();
      slot.worker.onmessage = ({ data }) => {
        const jobs = slot.inFlight.get(data.id);
        if (!jobs) return;
        slot.inFlight.delete(data.id);
        slot.busy -= jobs.length;
        busyMs += data.ms;
        checked += jobs.length;
        jobs.forEach((j, i) => j.resolve(data.ok[i] === 1));
      };
      slot.worker.onerror = (e) => {
        e.preventDefault?.();
        failSlot(slot);
      };
    } catch {
      slot.worker = null;
    }
    return slot;
  };

  const send = (jobs: Pending[]) => {
    if (slots.length < size) slots.push(start());
    const live = slots.filter((s) => s.worker);
    if (closed || live.length === 0) return void onPage(jobs);
    const slot = live.reduce((a, b) => (b.busy < a.busy ? b : a));
    const keyIndex = new Map<JsonWebKey, number>();
    const keys: JsonWebKey[] = [];
    const wire: VerifyJob[] = jobs.map(({ check }) => {
      if (!('sig' in check)) return check;
      let k = keyIndex.get(check.key);
      if (k === undefined) keyIndex.set(check.key, (k = keys.push(check.key) - 1));
      return { k, text: check.text, sig: check.sig };
    });
    const id = nextId++;
    slot.inFlight.set(id, jobs);
    slot.busy += jobs.length;
    try {
      slot.worker!.postMessage({ id, keys, jobs: wire, dataKey });
    } catch {
      failSlot(slot);
    }
  };

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    while (queue.length) send(queue.splice(0, CHUNK));
  };

  const check = (c: Check) =>
    new Promise<boolean>((resolve) => {
      queue.push({ check: c, resolve });
      if (queue.length >= CHUNK) send(queue.splice(0, CHUNK));
      else timer ??= setTimeout(flush, 0);
    });

  return {
    verify: (key, text, sig) => check({ key, text, sig }),
    opens: (sealed, aad) => check({ sealed, aad }),
    hashIs: (text, sha256) => check({ text, sha256 }),
    close: () => {
      flush();
      closed = true;
      // Chunks still out are answered first: a worker ends once it has none.
      for (const slot of slots) {
        if (slot.inFlight.size === 0) slot.worker?.terminate();
        else {
          const done = slot.worker?.onmessage;
          if (slot.worker && done) {
            slot.worker.onmessage = (e) => {
              done(e);
              if (slot.inFlight.size === 0) slot.worker?.terminate();
            };
          }
        }
      }
      queue = [];
      try {
        performance.measure(POOL_MEASURE, { start: startedAt, end: performance.now(), detail: { busyMs, workers: slots.length, checks: checked } });
      } catch {
        // A browser without User Timing level 3: nothing to report.
      }
    },
  };
}
