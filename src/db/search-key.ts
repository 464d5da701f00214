// The search key of this tablet's blind index (domain/search-terms.ts): random,
// made once, stored sealed with the device data key, so it opens for whoever
// can open PHI and travels with a backup like the data key does.
import type { DataKey } from '../crypto/key-ring';
import { base64ToBytes, bytesToBase64 } from '../crypto/encoding';
import type { SearchKey } from '../domain/search-terms';
import { randomBytes } from '../crypto/runtime';
import { decryptJson, encryptJson, type Sealed } from '../crypto/field-cipher';
import { durableDb } from './database';

export const SEARCH_KEY = 'searchKey';
const AAD = 'search-key';

export async function openSearchKey(dataKey: DataKey): Promise<SearchKey> {
  const stored = (await durableDb.settings.get(SEARCH_KEY))?.value as Sealed | undefined;
  if (stored) return base64ToBytes(await decryptJson<string>(stored, dataKey, AAD));
  // Sealing is async Web Crypto: seal a candidate first; the transaction keeps the first one written (another tab may race us).
  const candidate = randomBytes(32);
  const sealed = await encryptJson(bytesToBase64(candidate), dataKey, AAD);
  const kept = await durableDb.transaction('rw', durableDb.settings, async () => {
    const existing = (await durableDb.settings.get(SEARCH_KEY))?.value as Sealed | undefined;
    if (!existing) await durableDb.settings.put({ key: SEARCH_KEY, value: sealed });
    return existing;
  });
  return kept ? base64ToBytes(await decryptJson<string>(kept, dataKey, AAD)) : candidate;
}

/** Whether a stored (sealed) search key opens with `dataKey` and holds a key: a backup's must, or nobody could sign in. */
export async function searchKeyOpens(stored: unknown, dataKey: DataKey): Promise<boolean> {
  try {
    return base64ToBytes(await decryptJson<string>(stored as Sealed, dataKey, AAD)).length === 32;
  } catch {
    return false;
  }
}
