// HMAC-SHA-256 of short messages under one key, for the blind search index (search-terms.ts):
// a join or an index rebuild hashes ≈ 26 terms a case, 10,000 cases. The key's inner and outer
// states are computed once; a term of up to 55 bytes is then exactly two compressions, with
// nothing allocated. Longer terms (a 16-character term is at most 64 bytes of UTF-8) take the
// general path. The same bytes as @noble/hashes' hmac(sha256, key, term) (tests/domain/short-hmac.test.ts).
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const W = new Uint32Array(64);

/** One SHA-256 compression of the 16 words in W[0..15], from `from` into `to` (which may be the same array). */
function compress(from: Uint32Array, to: Uint32Array): void {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = from[0]!, b = from[1]!, c = from[2]!, d = from[3]!, e = from[4]!, f = from[5]!, g = from[6]!, h = from[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  to[0] = (from[0]! + a) | 0;
  to[1] = (from[1]! + b) | 0;
  to[2] = (from[2]! + c) | 0;
  to[3] = (from[3]! + d) | 0;
  to[4] = (from[4]! + e) | 0;
  to[5] = (from[5]! + f) | 0;
  to[6] = (from[6]! + g) | 0;
  to[7] = (from[7]! + h) | 0;
}

/** The state after the key block XORed with `pad` (0x36 inner, 0x5c outer). */
function keyedState(key: Uint8Array, pad: number): Uint32Array {
  const block = new Uint8Array(64).fill(pad);
  for (let i = 0; i < key.length; i++) block[i]! ^= key[i]!;
  for (let i = 0; i < 16; i++) W[i] = (block[4 * i]! << 24) | (block[4 * i + 1]! << 16) | (block[4 * i + 2]! << 8) | block[4 * i + 3]!;
  const state = new Uint32Array(8);
  compress(IV, state);
  return state;
}

const MAX_SHORT = 55;

/**
 * A function giving the first `bytes` (≤ 32) bytes of HMAC-SHA-256(key, utf8(message)).
 * The returned array is reused by the next call: copy what must be kept.
 */
export function shortHmac(key: Uint8Array, bytes: number): (message: string) => Uint8Array {
  // Keys longer than a block are hashed first (RFC 2104); the search key is 32 bytes.
  const k = key.length > 64 ? sha256(key) : key;
  const inner = keyedState(k, 0x36);
  const outer = keyedState(k, 0x5c);
  const mid = new Uint32Array(8);
  const out = new Uint8Array(bytes);
  const msg = new Uint8Array(64);
  const utf8 = new TextEncoder();
  const general = hmac.create(sha256, key);
  return (message) => {
    let len = 0;
    for (let i = 0; i < message.length && len <= MAX_SHORT; i++) {
      const code = message.charCodeAt(i);
      if (code >= 0x80) {
        len = -1;
        break;
      }
      msg[len++] = code;
    }
    if (len < 0) {
      const encoded = utf8.encode(message);
      len = encoded.length;
      if (len <= MAX_SHORT) msg.set(encoded);
    }
    if (len > MAX_SHORT) {
      out.set(general.clone().update(utf8.encode(message)).digest().subarray(0, bytes));
      return out;
    }
    // The inner block: the message, 0x80, zeros, the bit length of key block and message.
    msg.fill(0, len);
    msg[len] = 0x80;
    for (let i = 0; i < 14; i++) W[i] = (msg[4 * i]! << 24) | (msg[4 * i + 1]! << 16) | (msg[4 * i + 2]! << 8) | msg[4 * i + 3]!;
    W[14] = 0;
    W[15] = (64 + len) * 8;
    compress(inner, mid);
    // The outer block: the inner digest, 0x80, zeros, the bit length of key block and digest.
    for (let i = 0; i < 8; i++) W[i] = mid[i]!;
    W[8] = 0x80000000;
    W.fill(0, 9, 15);
    W[15] = (64 + 32) * 8;
    compress(outer, mid);
    for (let i = 0; i < bytes; i++) out[i] = mid[i >> 2]! >>> (24 - 8 * (i & 3));
    return out;
  };
}
