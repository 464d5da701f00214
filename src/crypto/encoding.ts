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
  const length = (base64.length / 4) * 3 - padding;
  // Where the engine decodes base64 itself (Chromium since 140): no string of bytes, no loop; as lenient as atob, so the same length check.
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (native) {
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = native(base64);
    } catch {
      throw new MalformedDataError('Not valid base64.');
    }
    if (bytes.length !== length) throw new MalformedDataError('Not valid base64.');
    return bytes;
  }
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new MalformedDataError('Not valid base64.');
  }
  if (binary.length !== length) throw new MalformedDataError('Not valid base64.');
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** UTF-8 bytes of a string (lone surrogates become U+FFFD, as TextEncoder does). */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  // Copy into this realm's Uint8Array: under jsdom TextEncoder returns another realm's.
  return new Uint8Array(new TextEncoder().encode(text));
}

/** Decodes UTF-8; invalid bytes throw MalformedDataError rather than turning into U+FFFD. */
let decoder: TextDecoder | null = null;

export function utf8Decode(bytes: Uint8Array): string {
  try {
    // One decoder for every call: decode() without { stream } starts afresh each time.
    return (decoder ??= new TextDecoder('utf-8', { fatal: true })).decode(bytes);
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
