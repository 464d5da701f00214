// Error classes for src/crypto. Web Crypto reports every failure as a bare
// DOMException ("OperationError", "DataError"…) that says nothing a user or a
// caller can act on, so this module translates them at its boundary: a wrong
// secret (or a damaged wrapped key) becomes WrongSecretError, a field blob that
// fails authentication becomes DecryptionError, structurally bad stored data
// becomes MalformedDataError, and a page without Web Crypto (not a secure
// context) becomes CryptoUnavailableError. All extend CryptoError so callers
// can catch the family in one place.

/** Base class for every error thrown on purpose by src/crypto. */
export class CryptoError extends Error {
  override readonly name: string = 'CryptoError';
}

/** The secret is wrong (or the wrapped key it should open was altered). */
export class WrongSecretError extends CryptoError {
  override readonly name: string = 'WrongSecretError';
  constructor(options?: { cause?: unknown }) {
    super('Wrong secret: the key could not be unlocked.', options);
  }
}

/** Sealed data failed authentication: wrong key, wrong record (AAD) or altered bytes. */
export class DecryptionError extends CryptoError {
  override readonly name: string = 'DecryptionError';
  constructor(options?: { cause?: unknown }) {
    super('Encrypted data could not be opened: wrong key, wrong record, or the data was altered.', options);
  }
}

/** Stored crypto material does not have the expected shape (bad base64, wrong length, unknown version). */
export class MalformedDataError extends CryptoError {
  override readonly name: string = 'MalformedDataError';
}

/** Web Crypto is missing: the page is not a secure context (HTTPS or localhost). */
export class CryptoUnavailableError extends CryptoError {
  override readonly name: string = 'CryptoUnavailableError';
  constructor() {
    super('Web Crypto is unavailable: open the app over HTTPS (or on localhost).');
  }
}

/**
 * True for Web Crypto's authentication/decryption failure. Checked by name, not
 * `instanceof DOMException`: under jsdom the DOMException class differs from Node's.
 */
export function isOperationError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'OperationError';
}
