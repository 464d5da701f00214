// Turns a user's secret (PIN or passphrase) into the two things the app keeps
// about it, derived separately so one does not give the other: a *verifier*
// (stored, to check the secret at the lock screen) and a *key-encryption key*
// (KEK; never stored, non-extractable) that wraps the device data key and the
// user's signing key. PBKDF2-SHA-256 (salted, slow) stretches the secret into
// 256 master bits; HKDF-SHA-256 with two different `info` labels then expands
// them into the verifier and the KEK. Also owns the secret policy (PIN/passphrase
// rules). Call these before opening a Dexie transaction: awaiting Web Crypto
// inside one commits it early.
import { base64ToBytes, bytesToBase64, utf8Encode } from './encoding';
import { MalformedDataError } from './errors';
import { randomBytes, subtle } from './runtime';

/**
 * PBKDF2 cost of every new secret, and the least a stored one may claim: 600,000 (OWASP 2023
 * figure for PBKDF2-HMAC-SHA-256) in every build. Compiled in by vite.config.ts, so nothing can
 * lower it at run time; only the vitest run is compiled with a cheaper figure.
 */
export const PBKDF2_ITERATIONS: number = __KDF_ITERATIONS__;

/** Salt length in bytes. */
export const SALT_BYTES = 16;

/** Stored next to the verifier: everything needed to re-derive it from the secret. */
export type KdfParams = {
  /** base64 of SALT_BYTES random bytes, unique per user and per secret change. */
  salt: string;
  iterations: number;
  hash: 'SHA-256';
};

export type SecretPolicy = { kind: 'pin'; minLength: number } | { kind: 'passphrase'; minLength: number };

/** A PIN is never shorter than this, whatever the policy says. */
export const MIN_PIN_LENGTH = 6;
/** A passphrase is never shorter than this, whatever the policy says. */
export const MIN_PASSPHRASE_LENGTH = 12;

export const DEFAULT_PIN_POLICY: SecretPolicy = { kind: 'pin', minLength: MIN_PIN_LENGTH };
export const DEFAULT_PASSPHRASE_POLICY: SecretPolicy = { kind: 'passphrase', minLength: MIN_PASSPHRASE_LENGTH };

// Domain-separation labels for HKDF. Changing either invalidates every stored secret.
const VERIFIER_INFO = 'printpath/v1/secret-verifier';
const KEK_INFO = 'printpath/v1/key-encryption-key';
const VERIFIER_BYTES = 32;

/** Fresh parameters (new random salt) for a new or changed secret. */
export function newKdfParams(iterations: number = PBKDF2_ITERATIONS): KdfParams {
  checkIterations(iterations);
  return { salt: bytesToBase64(randomBytes(SALT_BYTES)), iterations, hash: 'SHA-256' };
}

/**
 * Derives the verifier (base64, to store) and the KEK (non-extractable AES-GCM-256,
 * usages encrypt/decrypt/wrapKey/unwrapKey; keep in memory only) from a secret.
 * The secret is NFC-normalised first, so "é" typed either way gives the same keys.
 */
export async function deriveSecretKeys(secret: string, params: KdfParams): Promise<{ verifier: string; kek: CryptoKey }> {
  const salt = checkParams(params);
  const s = subtle();
  const password = await s.importKey('raw', utf8Encode(secret.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const master = await s.deriveBits({ name: 'PBKDF2', salt, iterations: params.iterations, hash: 'SHA-256' }, password, 256);
  const hkdf = await s.importKey('raw', master, 'HKDF', false, ['deriveBits', 'deriveKey']);
  const hkdfParams = (info: string): HkdfParams => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8Encode(info) });

  const verifierBits = await s.deriveBits(hkdfParams(VERIFIER_INFO), hkdf, VERIFIER_BYTES * 8);
  const kek = await s.deriveKey(hkdfParams(KEK_INFO), hkdf, { name: 'AES-GCM', length: 256 }, false, [
    'encrypt',
    'decrypt',
    'wrapKey',
    'unwrapKey',
  ]);
  return { verifier: bytesToBase64(new Uint8Array(verifierBits)), kek };
}

/**
 * Checks a secret against a stored verifier (constant-time comparison). On success
 * also returns the KEK, so unlocking costs one derivation. A stored verifier that is
 * not 32 bytes of base64 throws MalformedDataError (damaged data, not a wrong secret).
 */
export async function verifySecret(
  secret: string,
  params: KdfParams,
  storedVerifier: string,
): Promise<{ ok: boolean; kek: CryptoKey | null }> {
  const expected = base64ToBytes(storedVerifier);
  if (expected.length !== VERIFIER_BYTES) throw new MalformedDataError('Stored verifier has the wrong length.');
  const { verifier, kek } = await deriveSecretKeys(secret, params);
  const ok = constantTimeEqual(base64ToBytes(verifier), expected);
  return { ok, kek: ok ? kek : null };
}

/** Byte equality whose running time does not depend on where the inputs differ. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * A message saying why `secret` does not meet `policy`, or null when it does.
 * PIN: ASCII digits only, at least max(policy.minLength, 6). Passphrase: at least
 * max(policy.minLength, 12) characters (Unicode code points after NFC), not only spaces.
 */
export function validateSecretPolicy(secret: string, policy: SecretPolicy): string | null {
  const text = secret.normalize('NFC');
  const length = [...text].length;
  if (policy.kind === 'pin') {
    const min = Math.max(policy.minLength, MIN_PIN_LENGTH);
    if (!/^[0-9]*$/.test(text)) return 'A PIN may contain digits (0–9) only.';
    if (length < min) return `A PIN must be at least ${min} digits long.`;
    return null;
  }
  const min = Math.max(policy.minLength, MIN_PASSPHRASE_LENGTH);
  if (length < min) return `A passphrase must be at least ${min} characters long.`;
  if (text.trim() === '') return 'A passphrase cannot be only spaces.';
  return null;
}

function checkIterations(iterations: number): void {
  if (!Number.isSafeInteger(iterations) || iterations < PBKDF2_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be an integer of at least ${PBKDF2_ITERATIONS}, got ${iterations}.`);
  }
}

function checkParams(params: KdfParams): Uint8Array<ArrayBuffer> {
  if (params.hash !== 'SHA-256') throw new MalformedDataError(`Unsupported KDF hash: ${String(params.hash)}.`);
  if (!Number.isSafeInteger(params.iterations) || params.iterations < 1) {
    throw new MalformedDataError(`Bad PBKDF2 iteration count: ${String(params.iterations)}.`);
  }
  // Stored data claiming a cheaper stretch than this app ever writes was weakened or forged.
  if (params.iterations < PBKDF2_ITERATIONS) {
    throw new MalformedDataError(
      `These saved secret settings are weaker than this app allows (${params.iterations.toLocaleString('en-US')} rounds of key stretching; at least ${PBKDF2_ITERATIONS.toLocaleString('en-US')} are required), so they were refused. The data may have been altered.`,
    );
  }
  const salt = base64ToBytes(params.salt);
  if (salt.length < SALT_BYTES) throw new MalformedDataError(`KDF salt must be at least ${SALT_BYTES} bytes.`);
  return salt;
}
