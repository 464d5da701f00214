// Byte/text encodings for stored crypto material: standard base64 (with
// padding) for everything persisted in IndexedDB, UTF-8 for text going into
// Web Crypto, lower-case hex for digests shown to people. Uses only btoa/atob
// and TextEncoder/TextDecoder (no Node Buffer), so it runs the same in the
// browser, in Node and under jsdom. Decoding is strict: stored data that is not
// canonical base64 is reported as MalformedDataError rather than half-decoded.
import { MalformedDataError } from './errors';

const CHUNK = 0x8000; // keeps String.fromCharCode's argument list small

/** Standard base64 (RFC 4648 §4, padded). */
/** Unpadded base64url (JWK fields, tokens). */
export const bytesToBase64Url = (bytes: Uint8Array): string => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
export const base64UrlToBytes = (text: string) => base64ToBytes(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/**
 * Decodes standard padded base64; anything else throws MalformedDataError. atob refuses other
 * characters and misplaced padding but skips whitespace, which the decoded length then shows:
 * no pattern has to scan a join's thousands of large envelopes once more.
 */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  if (typeof base64 !== 'string' || base64.length % 4 !== 0) throw new MalformedDataError('Not valid base64.');
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const bytes = nativeFromBase64 ? decodeNatively(base64) : decodeWithAtob(base64);
  if (bytes.length !== (base64.length / 4) * 3 - padding) throw new MalformedDataError('Not valid base64.');
  return bytes;
}

// Where the platform decodes base64 itself (Chromium 140, Firefox 133, Safari 18.2): a restore decodes
// hundreds of megabytes of it, which a loop over atob's string spends seconds on.
type FromBase64 = (text: string, options: { lastChunkHandling: 'strict' }) => Uint8Array<ArrayBuffer>;
const nativeFromBase64 = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;

function decodeNatively(base64: string): Uint8Array<ArrayBuffer> {
  try {
    return nativeFromBase64!(base64, { lastChunkHandling: 'strict' });
  } catch {
    throw new MalformedDataError('Not valid base64.');
  }
}

function decodeWithAtob(base64: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new MalformedDataError('Not valid base64.');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  const bytes = encoder.encode(text);
  // Copy into this realm's Uint8Array only where it is another's (TextEncoder under jsdom).
  return bytes instanceof Uint8Array ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

// One decoder for every call: a restore decodes some 180,000 entries. Without `stream` each call starts afresh.
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8; invalid bytes throw MalformedDataError rather than turning into U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new MalformedDataError('Not valid UTF-8.', { cause });
  }
}

/** Lower-case hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
