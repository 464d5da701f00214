// Per-user ECDSA P-256 keys. Each person has two: a sign-off key ('signing-key',
// unwrapped only when they type their secret to sign off or to authorise a change
// to people and keys) and an entry key ('entry-key', unwrapped at sign-in, dropped
// on lock) that signs their ordinary audit entries, so being signed in never gives
// the power to sign off. A private key is generated, exported once as PKCS#8 and
// immediately wrapped with the user's KEK; it is never stored in the clear and,
// once unwrapped, is non-extractable. Anyone holding the public key (a JWK on the
// signed lab log, shown by fingerprint) can verify.
// Signatures are Web Crypto's raw IEEE P1363 form (r‖s, 64 bytes), base64 —
// not DER: tools such as OpenSSL need a conversion to check them.
import { base64ToBytes, bytesToBase64, bytesToHex, utf8Encode } from './encoding';
import { MalformedDataError } from './errors';
import { unwrapWithKek, wrapWithKek, type WrappedKey } from './key-wrap';
import { subtle } from './runtime';

const EC: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const SIGNATURE_BYTES = 64;

/**
 * A new key pair for a user (account creation or reset). Returns the public key as
 * a minimal JWK { kty, crv, x, y } and the private key wrapped under `kek`.
 */
export async function newSigningKeyPair(kek: CryptoKey, purpose: KeyPurpose = 'signing-key'): Promise<{ publicKeyJwk: JsonWebKey; wrappedPrivateKey: WrappedKey }> {
  const s = subtle();
  // Extractable only so it can be wrapped once, here; this object is then dropped.
  const pair = await s.generateKey(EC, true, ['sign', 'verify']);
  const jwk = await s.exportKey('jwk', pair.publicKey);
  const wrappedPrivateKey = await wrapWithKek('pkcs8', pair.privateKey, kek, purpose);
  return { publicKeyJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, wrappedPrivateKey };
}

export type KeyPurpose = 'signing-key' | 'entry-key';

/** Opens a wrapped private key: non-extractable, usage sign. Wrong KEK (or purpose) → WrongSecretError. */
export function unwrapSigningKey(wrapped: WrappedKey, kek: CryptoKey, purpose: KeyPurpose = 'signing-key'): Promise<CryptoKey> {
  return unwrapWithKek('pkcs8', wrapped, kek, purpose, EC, false, ['sign']);
}

/** True when `privateKey` is the private half of `publicKeyJwk` (signs a probe and checks it). */
export async function keyPairMatches(privateKey: CryptoKey, publicKeyJwk: JsonWebKey): Promise<boolean> {
  const probe = 'printpath/v2/key-probe';
  return verifyText(publicKeyJwk, probe, await signText(privateKey, probe));
}

/** ECDSA P-256 / SHA-256 signature over the UTF-8 bytes of `text` (exactly as given), base64. */
export async function signText(privateKey: CryptoKey, text: string): Promise<string> {
  const signature = await subtle().sign(SIGN, privateKey, utf8Encode(text));
  return bytesToBase64(new Uint8Array(signature));
}

/** True when `signature` is valid for `text` under the public key; false (never throws) on malformed input. */
export async function verifyText(publicKeyJwk: JsonWebKey, text: string, signature: string): Promise<boolean> {
  try {
    checkPublicJwk(publicKeyJwk);
    const sig = base64ToBytes(signature);
    if (sig.length !== SIGNATURE_BYTES || typeof text !== 'string') return false;
    const id = `${publicKeyJwk.x}.${publicKeyJwk.y}\u0000${signature}\u0000${text}`;
    if (verified.has(id)) return true;
    const valid = await subtle().verify(SIGN, await verifyKey(publicKeyJwk), sig, utf8Encode(text));
    if (valid) remember(id);
    return valid;
  } catch {
    return false;
  }
}

// A case's history is checked on every opening and after every change, and the PDF checks it
// again: each signature that verified is remembered by exactly what was verified (the key, the
// signature and the text, which for an entry names its hash), so an entry is verified once, and
// an altered entry, whose hash and so whose signed text differ, is verified afresh (and fails).
const VERIFIED = 20_000;
const verified = new Set<string>();
function remember(id: string) {
  verified.add(id);
  if (verified.size > VERIFIED) verified.delete(verified.values().next().value!);
}

/** Forgets every remembered verification (tests; a lock may call it too). */
export function forgetVerifications(): void {
  verified.clear();
}

// A restore verifies some 180,000 signatures made by a few dozen keys: each key is imported once.
const VERIFY_KEYS = 256;
const verifyKeys = new Map<string, Promise<CryptoKey>>();

function verifyKey({ kty, crv, x, y }: JsonWebKey): Promise<CryptoKey> {
  const id = `${x}.${y}`;
  let key = verifyKeys.get(id);
  if (!key) {
    key = subtle().importKey('jwk', { kty, crv, x, y }, EC, false, ['verify']);
    key.catch(() => verifyKeys.delete(id));
    verifyKeys.set(id, key);
    if (verifyKeys.size > VERIFY_KEYS) verifyKeys.delete(verifyKeys.keys().next().value!);
  }
  return key;
}

/**
 * SHA-256 (hex, 64 chars) of the RFC 7638 JWK thumbprint input
 * `{"crv":"P-256","kty":"EC","x":…,"y":…}`: a stable id for a public key,
 * independent of other JWK members. Show a prefix with shortFingerprint().
 */
export async function publicKeyFingerprint(jwk: JsonWebKey): Promise<string> {
  checkPublicJwk(jwk);
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return bytesToHex(new Uint8Array(await subtle().digest('SHA-256', utf8Encode(canonical))));
}

/** First 16 hex digits in groups of four ("1a2b 3c4d 5e6f 7081"), for screens and PDFs. */
export function shortFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 16).match(/.{1,4}/g) ?? []).join(' ');
}

function checkPublicJwk(jwk: JsonWebKey): void {
  const b64url = /^[A-Za-z0-9_-]{43}$/; // 32 bytes, unpadded base64url
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string' ||
    !b64url.test(jwk.x) ||
    !b64url.test(jwk.y) ||
    jwk.d !== undefined
  ) {
    throw new MalformedDataError('Not a P-256 public key JWK.');
  }
}
