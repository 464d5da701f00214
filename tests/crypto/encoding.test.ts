import { describe, expect, test, vi } from 'vitest';
import fc from 'fast-check';
import { base64ToBytes, bytesToBase64, bytesToHex, utf8Decode, utf8Encode } from '../../src/crypto/encoding';
import { MalformedDataError } from '../../src/crypto/errors';

describe('encoding', () => {
  test('base64 round-trips every byte value and every padding length', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (let n = 0; n <= 256; n += 1) {
      const bytes = all.subarray(0, n);
      expect(Array.from(base64ToBytes(bytesToBase64(bytes)))).toEqual(Array.from(bytes));
    }
  });

  test('base64 matches RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'], ['foobar', 'Zm9vYmFy']];
    for (const [text, b64] of vectors) {
      expect(bytesToBase64(utf8Encode(text))).toBe(b64);
      expect(utf8Decode(base64ToBytes(b64))).toBe(text);
    }
  });

  test('large inputs are encoded without overflowing the call stack', () => {
    const big = new Uint8Array(1_000_000).map((_, i) => i % 251);
    const back = base64ToBytes(bytesToBase64(big));
    expect(back.length).toBe(big.length);
    expect(back.every((b, i) => b === big[i])).toBe(true); // toEqual on 1 MB is very slow
  });

  test('malformed base64 is rejected, not half-decoded', () => {
    for (const bad of ['Zg', 'Zg=', 'Z===', 'Zm9v\n', 'Zm9v!', 'Zm-_', ' Zm9v', 'Zm 9', 'Zg\t=', 'Zg==Zm9v', 'Zm=v', '====']) {
      expect(() => base64ToBytes(bad), bad).toThrow(MalformedDataError);
    }
  });

  test('accepts exactly the strings RFC 4648 padded base64 allows (any short string of its characters, whitespace and others)', () => {
    const canonical = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
    const accepts = (s: string) => {
      try {
        base64ToBytes(s);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'AZaz09+/= \n\t-_.é'), maxLength: 13 }), (s) => accepts(s) === canonical.test(s)), { numRuns: 20_000 });
  });

  test('utf8 round-trips non-Latin text; invalid UTF-8 is rejected', () => {
    const text = 'Łukasz Żółć, Nguyễn Thị, 山田 太郎 🦴';
    expect(utf8Decode(utf8Encode(text))).toBe(text);
    expect(() => utf8Decode(new Uint8Array([0xff, 0xfe]))).toThrow(MalformedDataError);
    // The one shared decoder carries nothing from a call to the next: not a refusal, not half a character.
    expect(utf8Decode(utf8Encode(text))).toBe(text);
    expect(() => utf8Decode(utf8Encode('🦴').subarray(0, 2))).toThrow(MalformedDataError);
    expect(() => utf8Decode(utf8Encode('🦴').subarray(2))).toThrow(MalformedDataError);
  });

  test('hex', () => {
    expect(bytesToHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
  });
});

describe('base64 where the platform decodes it (Uint8Array.fromBase64)', () => {
  test('its bytes are used, strictly (padding required), and what it refuses, or decodes to the wrong length, is MalformedDataError', async () => {
    const calls: unknown[] = [];
    // A stand-in with atob's leniency: the length check must still refuse what it lets through.
    Object.defineProperty(Uint8Array, 'fromBase64', {
      configurable: true,
      value: (text: string, options: unknown) => {
        calls.push(options);
        return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
      },
    });
    try {
      vi.resetModules();
      const fresh = await import('../../src/crypto/encoding');
      expect([...fresh.base64ToBytes('AAEC/w==')]).toEqual([0, 1, 2, 255]);
      expect(calls).toEqual([{ lastChunkHandling: 'strict' }]);
      for (const bad of ['AA!C', 'AA C', 'AAEC/w=', 'Zg', 'Z===', 'Zm9v\n', 'Zm-_', ' Zm9v', 'Zg\t=', 'Zg==Zm9v', 'Zm=v', '====']) {
        expect(() => fresh.base64ToBytes(bad), bad).toThrow(expect.objectContaining({ name: 'MalformedDataError' }));
      }
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      for (let n = 0; n <= 256; n += 1) expect([...fresh.base64ToBytes(fresh.bytesToBase64(all.subarray(0, n)))]).toEqual([...all.subarray(0, n)]);
      expect(calls.length).toBeGreaterThan(256);
    } finally {
      delete (Uint8Array as unknown as { fromBase64?: unknown }).fromBase64;
      vi.resetModules();
    }
  });
});
