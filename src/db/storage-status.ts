// Whether the browser may evict this site's data, and how much room is left.
// IndexedDB is "best effort" unless persistence is granted; Safari also deletes
// data of sites not used for 7 days unless the app is on the home screen.
// Engines differ: Chromium answers a persist() request at once, Firefox asks the
// user with a prompt near the address bar and answers only when they do (never,
// if nobody sees it), and some WebKit builds have no StorageManager at all.
export type StorageStatus = {
  /** null: the browser cannot say (no StorageManager). */
  persisted: boolean | null;
  /** Whether the browser can be asked to keep the data (StorageManager.persist exists). */
  canAsk: boolean;
  usage: number | null;
  quota: number | null;
};

/**
 * What asking for persistent storage came to: granted; declined; unsupported (this
 * browser cannot make storage persistent); no-answer (it asked the user, who has not
 * answered yet: a later answer still counts, see `onLateAnswer`).
 */
export type PersistenceAnswer = 'granted' | 'declined' | 'unsupported' | 'no-answer';

/** How long to wait for the browser (or the person at its prompt) before saying there is no answer yet. */
export const PERSIST_ANSWER_TIMEOUT_MS = 10_000;

const manager = (): StorageManager | null => (typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : null);

/**
 * Asks the browser to keep our data. Never hangs: without an answer within `timeoutMs`
 * it resolves 'no-answer', and `onLateAnswer` is called if the answer comes later.
 */
export async function requestPersistence({
  timeoutMs = PERSIST_ANSWER_TIMEOUT_MS,
  onLateAnswer,
}: { timeoutMs?: number; onLateAnswer?: (answer: 'granted' | 'declined') => void } = {}): Promise<PersistenceAnswer> {
  const m = manager();
  if (!m || typeof m.persist !== 'function') return 'unsupported';
  try {
    if (typeof m.persisted === 'function' && (await m.persisted())) return 'granted';
    const asking = m.persist().then((kept): 'granted' | 'declined' => (kept ? 'granted' : 'declined'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<'no-answer'>((resolve) => {
      timer = setTimeout(() => resolve('no-answer'), timeoutMs);
    });
    const answer = await Promise.race([asking, waited]).finally(() => clearTimeout(timer));
    if (answer === 'no-answer') asking.then((late) => onLateAnswer?.(late), () => undefined);
    return answer;
  } catch {
    return 'unsupported';
  }
}

export async function storageStatus(): Promise<StorageStatus> {
  const m = manager();
  const [persisted, estimate] = await Promise.all([
    typeof m?.persisted === 'function' ? m.persisted().catch(() => null) : null,
    typeof m?.estimate === 'function' ? m.estimate().catch(() => null) : null,
  ]);
  return { persisted, canAsk: typeof m?.persist === 'function', usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}
