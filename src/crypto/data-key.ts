// The per-device data key: one AES-GCM-256 key that encrypts PHI fields at rest
// (see field-cipher.ts). It is stored only wrapped, once per user, under that
// user's KEK (see secret-keys.ts), lives in memory while the app is unlocked and
// is dropped on lock. It stays extractable on purpose: when an admin adds or
// resets a user, the admin's unlocked copy must be wrapped again under the new
// user's KEK, and Web Crypto can only wrap extractable keys. Web Crypto has no
// "wrap-only" flag, so extractable also permits exportKey: code holding the key
// could export it, which is no more than it could already decrypt.
import { unwrapWithKek, wrapWithKek, type WrappedKey } from './key-wrap';
import { subtle } from './runtime';

export type { WrappedKey } from './key-wrap';

const DATA_KEY_ALGORITHM: AesKeyAlgorithm = { name: 'AES-GCM', length: 256 };
const DATA_KEY_USAGES: KeyUsage[] = ['encrypt', 'decrypt'];

/** A new random data key (once per device, at first run). */
export async function newDataKey(): Promise<CryptoKey> {
  return subtle().generateKey(DATA_KEY_ALGORITHM, true, DATA_KEY_USAGES);
}

/** The data key encrypted under a user's KEK (fresh IV each time). */
export function wrapDataKey(dataKey: CryptoKey, kek: CryptoKey): Promise<WrappedKey> {
  return wrapWithKek('raw', dataKey, kek, 'data-key');
}

/** Opens a wrapped data key; a wrong KEK (or altered bytes) rejects with WrongSecretError. */
export function unwrapDataKey(wrapped: WrappedKey, kek: CryptoKey): Promise<CryptoKey> {
  return unwrapWithKek('raw', wrapped, kek, 'data-key', DATA_KEY_ALGORITHM, true, DATA_KEY_USAGES);
}
