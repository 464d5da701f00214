import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, sha256Hex } from '../../src/domain/canonical';

describe('canonicalJson', () => {
  it.each([
    ['flat keys', { b: 1, a: 2 }, { a: 2, b: 1 }, '{"a":2,"b":1}'],
    ['nested keys', { z: { y: 1, x: [{ d: 1, c: 2 }] }, a: null }, { a: null, z: { x: [{ c: 2, d: 1 }], y: 1 } }, '{"a":null,"z":{"x":[{"c":2,"d":1}],"y":1}}'],
    ['undefined dropped', { a: 1, b: undefined }, { a: 1 }, '{"a":1}'],
  ])('does not depend on key order: %s', (_name, one, other, expected) => {
    expect(canonicalJson(one)).toBe(expected);
    expect(canonicalJson(other)).toBe(expected);
  });

  it('keeps array order (arrays are ordered content)', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });

  it('writes no whitespace and keeps unicode text as is', () => {
    expect(canonicalJson({ name: 'Nguyễn Thị', n: 1.5, ok: true })).toBe('{"n":1.5,"name":"Nguyễn Thị","ok":true}');
  });

  it.each([[Number.NaN], [Number.POSITIVE_INFINITY]])('refuses the non-finite number %s', (n) => {
    expect(() => canonicalJson({ a: n })).toThrow(/non-finite/);
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/Cannot serialize a function/);
  });

  it('gives the same text for any permutation of an object’s keys (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe('sha256Hex', () => {
  it.each([
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('matches the published SHA-256 test vector for %j', (input, hex) => {
    expect(sha256Hex(input)).toBe(hex);
  });

  it.each([
    ['é', '4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c'],
    ['Żółć', '749eae9b0da15ae992ab9b3f8ff57ac8325b8b81769aa518480a328f904d35df'],
  ])('hashes the UTF-8 bytes of %j (vector from Python hashlib)', (input, hex) => {
    expect(sha256Hex(input)).toBe(hex);
  });
});

describe('canonicalJson and an own "__proto__" key', () => {
  it('keeps it as data, so two bodies that differ only there hash differently', () => {
    const cj = canonicalJson;
    const a = JSON.parse('{"__proto__":{"x":1},"b":2}');
    const b = JSON.parse('{"__proto__":{"x":999},"b":2}');
    expect(cj(a)).toBe('{"__proto__":{"x":1},"b":2}');
    expect(cj(a)).not.toBe(cj(b));
  });
});
