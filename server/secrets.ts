// Credentials, set-up codes and collect tokens: random, shown once, stored as SHA-256.
// They carry 256 (credentials) or 80 (set-up code) random bits, so a plain hash is enough:
// there is nothing to guess, unlike a PIN.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** A device credential or collect token: 32 random bytes, base64url. */
export const newCredential = (): string => randomBytes(32).toString('base64url');

// Crockford's base32: no I, L, O or U, so a code read aloud or typed is not misread.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The one-time set-up code: 16 characters (80 bits) in groups of four. */
export function newSetupCode(): string {
  const chars = Array.from(randomBytes(16), (byte) => CODE_ALPHABET[byte % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** What a person might type for a set-up code: case, spaces and dashes do not matter. */
export const normalizeSetupCode = (typed: string): string => {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return compact.match(/.{1,4}/g)?.join('-') ?? '';
};

/** The short code both screens show during an enrolment, so the approver picks the right one. */
export const newEnrolmentCode = (): string => {
  const n = String(randomInt(0, 1_000_000)).padStart(6, '0');
  return `${n.slice(0, 3)}-${n.slice(3)}`;
};

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
