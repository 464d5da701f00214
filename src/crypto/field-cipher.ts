// Encryption of PHI fields at rest: a JSON value sealed with the data key
// (AES-GCM-256) under a fresh random 96-bit IV on every call, so equal values
// never produce equal ciphertexts. Optional additional authenticated data (e.g.
// the case id) binds a sealed blob to its record: moved to another record, it
// fails to open. The format is versioned (`v: 1`) so it can change later. Sealed with
// a key ring (crypto/key-ring.ts), a value names its key epoch (`k`) unless it is the
// first, so a lab that never revoked a device writes exactly what older versions read.
import { base64ToBytes, bytesToBase64, utf8Decode, utf8Encode } from './encoding';
import { DecryptionError, isOperationError, MalformedDataError } from './errors';
import { FIRST_EPOCH, isKeyRing, keysFor, withFirstKey, type DataKey } from './key-ring';
import { GCM_IV_BYTES, randomBytes, subtle } from './runtime';

/** An encrypted value as stored: format version, IV and ciphertext+tag (base64). */
export type Sealed = { v: 1; iv: string; ct: string; k?: string };

// The version and a label are authenticated along with the caller's AAD.
const additionalData = (aad: string | undefined) => utf8Encode(`printpath/v1/field\u0000${aad ?? ''}`);

/** True when `value` has the shape of a Sealed blob (does not check it opens). */
export function isSealed(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && typeof v.iv === 'string' && typeof v.ct === 'string' && (v.k === undefined || typeof v.k === 'string');
}

/**
 * Seals `JSON.stringify(value)`. `aad` (e.g. the case id) must be given again, equal,
 * to open it. Throws TypeError for values JSON cannot represent (undefined, functions).
 */
export async function encryptJson(value: unknown, keys: DataKey, aad?: string): Promise<Sealed> {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('encryptJson: value is not representable as JSON.');
  return sealJsonBytes(utf8Encode(json), keys, aad);
}

/** Seals JSON already written as UTF-8 (a backup's hundreds of megabytes): decryptJson opens it as it opens encryptJson's. */
export async function sealJsonBytes(json: Uint8Array<ArrayBuffer>, keys: DataKey, aad?: string): Promise<Sealed> {
  const [key, epoch] = isKeyRing(keys) ? [keys.key, keys.epoch] : [keys, FIRST_EPOCH];
  const iv = randomBytes(GCM_IV_BYTES);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(aad) }, key, json);
  return { v: 1, iv: bytesToBase64(iv), ct: bytesToBase64(new Uint8Array(ct)), ...(epoch === FIRST_EPOCH ? {} : { k: epoch }) };
}

/**
 * Opens a Sealed blob. Wrong key, different `aad` or altered bytes reject with
 * DecryptionError; a blob of the wrong shape with MalformedDataError. The result is
 * cast to T, not checked: validate it (e.g. with zod) if it matters.
 */
export async function decryptJson<T>(sealed: Sealed, keys: DataKey, aad?: string): Promise<T> {
  return JSON.parse(utf8Decode(await decryptJsonBytes(sealed, keys, aad))) as T;
}

/** Opens a Sealed blob as decryptJson does, to the JSON's UTF-8 bytes (a backup's, which are hashed as they are). */
export async function decryptJsonBytes(sealed: Sealed, keys: DataKey, aad?: string): Promise<Uint8Array<ArrayBuffer>> {
  if (!isSealed(sealed)) throw new MalformedDataError('Not a sealed value (expected { v: 1, iv, ct }).');
  const candidates = keysFor(keys, sealed.k);
  if (candidates.length === 0) throw new DecryptionError({ cause: new Error(`Sealed under key epoch ${sealed.k ?? FIRST_EPOCH}, which this device has not received.`) });
  const iv = base64ToBytes(sealed.iv);
  if (iv.length !== GCM_IV_BYTES) throw new MalformedDataError('Sealed value has a bad IV.');
  const ct = base64ToBytes(sealed.ct);
  try {
    return new Uint8Array(await withFirstKey(candidates, (key) => subtle().decrypt({ name: 'AES-GCM', iv, additionalData: additionalData(aad) }, key, ct)));
  } catch (cause) {
    if (isOperationError(cause)) throw new DecryptionError({ cause });
    throw cause;
  }
}
