// The lab's data keys by epoch. Epoch "1" is the first device's data key (the lab key
// since it connected); each revocation starts a new epoch that the revoked device never
// receives. What is sealed from then on uses the newest key and names its epoch; what
// was sealed before keeps opening with its own. Every key stays in the ring: old cases,
// entries and backups must keep opening on every device that has the lab.
import type { WrappedKey } from './key-wrap';
import { unwrapDataKey, wrapDataKey } from './data-key';

export const FIRST_EPOCH = '1';

export type KeyRing = {
  /** The newest epoch: what new data is sealed under. */
  readonly epoch: string;
  readonly key: CryptoKey;
  readonly keys: ReadonlyMap<string, CryptoKey>;
};

/** A key or a ring: a bare key is epoch 1 (a tablet that never saw a revocation). */
export type DataKey = CryptoKey | KeyRing;

export const isKeyRing = (k: DataKey): k is KeyRing => 'keys' in k && 'epoch' in k;

/** Epoch ids are "<n>-<random>": two revocations made apart get different ids, ordered by n. */
const epochNumber = (epoch: string) => Number.parseInt(epoch, 10) || 0;
export const compareEpochs = (a: string, b: string) => epochNumber(a) - epochNumber(b) || (a < b ? -1 : a > b ? 1 : 0);

export function keyRing(keys: Iterable<[string, CryptoKey]>): KeyRing {
  const map = new Map(keys);
  const epoch = [...map.keys()].sort(compareEpochs).at(-1);
  if (epoch === undefined) throw new Error('A key ring needs at least one key.');
  return { epoch, key: map.get(epoch)!, keys: map };
}

export const ringOf = (k: DataKey): KeyRing => (isKeyRing(k) ? k : keyRing([[FIRST_EPOCH, k]]));

export const withKey = (ring: KeyRing, epoch: string, key: CryptoKey): KeyRing => keyRing([...ring.keys, [epoch, key]]);

export const nextEpochId = (ring: KeyRing, random: string) => `${epochNumber(ring.epoch) + 1}-${random}`;

/**
 * A tablet that joins a lab with records of its own brings its first key as epoch
 * "0-<random>", older than the lab's. What it sealed before names no epoch, like what the
 * lab's first tablet sealed, so an untagged value may be under either kind of first key.
 */
export const MERGED_EPOCH_PREFIX = '0-';

/** The keys that may open a value naming `epoch` (or none): the one it names, else every first key. */
export function keysFor(keys: DataKey, epoch: string | undefined): CryptoKey[] {
  if (!isKeyRing(keys)) return epoch === undefined || epoch === FIRST_EPOCH ? [keys] : [];
  if (epoch !== undefined && epoch !== FIRST_EPOCH) return keys.keys.has(epoch) ? [keys.keys.get(epoch)!] : [];
  return [...keys.keys].filter(([e]) => e === FIRST_EPOCH || e.startsWith(MERGED_EPOCH_PREFIX)).map(([, key]) => key);
}

/** Opens with the first candidate that opens (AES-GCM refuses a wrong key at once); rethrows the last refusal. */
export async function withFirstKey<T>(candidates: readonly CryptoKey[], open: (key: CryptoKey) => Promise<T>): Promise<T> {
  let refusal: unknown;
  for (const key of candidates) {
    try {
      return await open(key);
    } catch (e) {
      refusal = e;
    }
  }
  throw refusal;
}

/**
 * How a person holds the ring at rest: epoch 1 where it always was, later epochs beside it,
 * each under their KEK. `firstEpoch`: the epoch `wrappedDataKey` holds when it is not 1 (a
 * person of a tablet that joined a lab with its own records holds that tablet's first key there).
 */
export type WrappedRing = { wrappedDataKey: WrappedKey; wrappedEpochKeys?: Record<string, WrappedKey>; firstEpoch?: string };

export async function wrapRing(ring: KeyRing, kek: CryptoKey): Promise<WrappedRing> {
  const first = ring.keys.get(FIRST_EPOCH);
  if (!first) throw new Error('The key ring lacks the lab’s first key.');
  const later = [...ring.keys].filter(([epoch]) => epoch !== FIRST_EPOCH);
  const wrapped = await Promise.all(later.map(async ([epoch, key]) => [epoch, await wrapDataKey(key, kek)] as const));
  return { wrappedDataKey: await wrapDataKey(first, kek), ...(wrapped.length ? { wrappedEpochKeys: Object.fromEntries(wrapped) } : {}) };
}

/** Opens a person's ring; a wrong KEK rejects with WrongSecretError. */
export async function unwrapRing(w: WrappedRing, kek: CryptoKey): Promise<KeyRing> {
  const later = await Promise.all(Object.entries(w.wrappedEpochKeys ?? {}).map(async ([epoch, wrapped]) => [epoch, await unwrapDataKey(wrapped, kek)] as [string, CryptoKey]));
  return keyRing([[w.firstEpoch ?? FIRST_EPOCH, await unwrapDataKey(w.wrappedDataKey, kek)], ...later]);
}
