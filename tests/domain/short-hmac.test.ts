import fc from 'fast-check';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { shortHmac } from '../../src/domain/short-hmac';
import { caseTokens, queryTokens } from '../../src/domain/search-terms';

const reference = (key: Uint8Array, message: string, bytes: number) => hmac(sha256, key, new TextEncoder().encode(message)).subarray(0, bytes);

describe('short HMAC-SHA-256', () => {
  it('gives the bytes of HMAC-SHA-256 for messages around the one-block limit, ASCII or not', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
    const mac = shortHmac(key, 32);
    for (let len = 0; len <= 70; len++) {
      for (const ch of ['a', 'é', '😀']) {
        const message = ch.repeat(len);
        expect([...mac(message)], `${len} × ${ch}`).toEqual([...reference(key, message, 32)]);
      }
    }
  });

  it('matches the reference for any key and message (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.integer({ min: 1, max: 32 }), (key, message, bytes) => {
        expect([...shortHmac(key, bytes)(message)]).toEqual([...reference(key, message, bytes)]);
      }),
    );
  });

  it('leaves the search tokens as they were: base64 of the first 9 bytes', () => {
    const key = new Uint8Array(32).fill(9);
    const b64 = (m: string) => btoa(String.fromCharCode(...reference(key, m, 9)));
    const tokens = caseTokens(key, ['Żółć', 'MRN-7']);
    expect(tokens).toContain(b64('zolc'));
    expect(tokens).toContain(b64('mrn7'));
    expect(queryTokens(key, 'zo')).toEqual([{ hashed: b64('zo'), prefix: 'zo' }]);
  });
});
