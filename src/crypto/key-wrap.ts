// Shared AES-GCM key wrapping under a user's KEK, used by data-key.ts and
// signing-keys.ts. Each wrap gets a fresh random 96-bit IV, and a purpose label
// is bound in as additional authenticated data, so a wrapped signing key cannot
// be passed off as a wrapped data key (or the reverse). Unwrap failures are
// translated to WrongSecretError: AES-GCM cannot tell a wrong KEK from altered
// bytes, and with a verifier checked first the wrong-secret case is the likely one.
import { base64ToBytes, bytesToBase64, utf8Encode } from './encoding';
import { isOperationError, MalformedDataError, WrongSecretError } from './errors';
import { GCM_IV_BYTES, randomBytes, subtle } from './runtime';

/** A key encrypted under a KEK, as stored (both fields base64). */
export type WrappedKey = { iv: string; data: string };

export type WrapPurpose = 'data-key' | 'signing-key' | 'entry-key' | 'agreement-key';

const aad = (purpose: WrapPurpose) => utf8Encode(`printpath/v1/wrapped-${purpose}`);

export async function wrapWithKek(format: 'raw' | 'pkcs8', key: CryptoKey, kek: CryptoKey, purpose: WrapPurpose): Promise<WrappedKey> {
  const iv = randomBytes(GCM_IV_BYTES);
  const data = await subtle().wrapKey(format, key, kek, { name: 'AES-GCM', iv, additionalData: aad(purpose) });
  return { iv: bytesToBase64(iv), data: bytesToBase64(new Uint8Array(data)) };
}

export async function unwrapWithKek(
  format: 'raw' | 'pkcs8',
  wrapped: WrappedKey,
  kek: CryptoKey,
  purpose: WrapPurpose,
  algorithm: AesKeyAlgorithm | EcKeyImportParams,
  extractable: boolean,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const iv = base64ToBytes(wrapped?.iv);
  const data = base64ToBytes(wrapped?.data);
  if (iv.length !== GCM_IV_BYTES) throw new MalformedDataError('Wrapped key has a bad IV.');
  try {
    return await subtle().unwrapKey(format, data, kek, { name: 'AES-GCM', iv, additionalData: aad(purpose) }, algorithm, extractable, usages);
  } catch (cause) {
    if (isOperationError(cause)) throw new WrongSecretError({ cause });
    throw cause;
  }
}
