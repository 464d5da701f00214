// Access to the platform's Web Crypto (crypto.subtle, crypto.getRandomValues),
// the only crypto this app uses: no npm crypto libraries. Browsers expose
// crypto.subtle only in a secure context (HTTPS or localhost), so every use
// goes through subtle() here, which fails with a clear CryptoUnavailableError
// instead of "cannot read properties of undefined".
import { CryptoUnavailableError } from './errors';

/** The SubtleCrypto instance, or CryptoUnavailableError outside a secure context. */
export function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new CryptoUnavailableError();
  return s;
}

/** `length` cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  if (!globalThis.crypto?.getRandomValues) throw new CryptoUnavailableError();
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** AES-GCM's standard 96-bit nonce length, in bytes. */
export const GCM_IV_BYTES = 12;
