import { describe, expect, test, vi } from 'vitest';
import { newDataKey, wrapDataKey } from '../../src/crypto/data-key';
import { base64ToBytes, bytesToBase64 } from '../../src/crypto/encoding';
import { WrongSecretError } from '../../src/crypto/errors';
import { deriveSecretKeys, newKdfParams } from '../../src/crypto/secret-keys';
import {
  newSigningKeyPair,
  publicKeyFingerprint,
  shortFingerprint,
  signText,
  unwrapSigningKey,
  verifyText,
  forgetVerifications,
} from '../../src/crypto/signing-keys';

const FAST = 1_000;
const MANIFEST = 'Dr. Ana Löw | 2026-11-03T14:05:00Z | Segmentation verified against source images | sha256:9f2c…';

async function user(secret: string) {
  const params = newKdfParams(FAST);
  const { kek } = await deriveSecretKeys(secret, params);
  const pair = await newSigningKeyPair(kek);
  return { params, kek, ...pair };
}

describe('signing keys', () => {
  test('a new key pair: minimal public JWK, private key only wrapped', async () => {
    const u = await user('135790');
    expect(Object.keys(u.publicKeyJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(u.publicKeyJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(JSON.stringify(u)).not.toMatch(/"d"/);
    expect(base64ToBytes(u.wrappedPrivateKey.iv)).toHaveLength(12);
  });

  test('sign with the unwrapped key, verify with the public key', async () => {
    const u = await user('135790');
    const key = await unwrapSigningKey(u.wrappedPrivateKey, u.kek);
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['sign']);
    expect(key.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    await expect(crypto.subtle.exportKey('pkcs8', key)).rejects.toThrow();

    const signature = await signText(key, MANIFEST);
    expect(base64ToBytes(signature)).toHaveLength(64);
    expect(await verifyText(u.publicKeyJwk, MANIFEST, signature)).toBe(true);
  });

  test('the signature fails after any one character of the text changes', async () => {
    const u = await user('135790');
    const key = await unwrapSigningKey(u.wrappedPrivateKey, u.kek);
    const signature = await signText(key, MANIFEST);
    for (const i of [0, 10, MANIFEST.length - 1]) {
      const changed = MANIFEST.slice(0, i) + (MANIFEST[i] === 'x' ? 'y' : 'x') + MANIFEST.slice(i + 1);
      expect(await verifyText(u.publicKeyJwk, changed, signature)).toBe(false);
    }
    expect(await verifyText(u.publicKeyJwk, MANIFEST + ' ', signature)).toBe(false);
    // Text is signed exactly as given: a differently-normalised but equal-looking string fails.
    expect(await verifyText(u.publicKeyJwk, MANIFEST.replace('ö', 'o\u0308'), signature)).toBe(false);
  });

  test("another user's public key does not verify it", async () => {
    const ana = await user('135790');
    const ben = await user('135790'); // same PIN, different keys
    const signature = await signText(await unwrapSigningKey(ana.wrappedPrivateKey, ana.kek), MANIFEST);
    expect(await verifyText(ben.publicKeyJwk, MANIFEST, signature)).toBe(false);
    expect(await verifyText(ana.publicKeyJwk, MANIFEST, signature)).toBe(true);
  });

  test('a signature that verified is remembered for exactly that key, text and signature: anything else is verified afresh', async () => {
    const ana = await user('135790');
    const ben = await user('135790');
    const signature = await signText(await unwrapSigningKey(ana.wrappedPrivateKey, ana.kek), MANIFEST);
    forgetVerifications();
    const verify = vi.spyOn(crypto.subtle, 'verify');
    try {
      expect(await verifyText(ana.publicKeyJwk, MANIFEST, signature)).toBe(true);
      expect(await verifyText(ana.publicKeyJwk, MANIFEST, signature)).toBe(true);
      expect(verify).toHaveBeenCalledTimes(1);
      // After it was remembered: another text, another key, another signature each fail, checked by Web Crypto.
      expect(await verifyText(ana.publicKeyJwk, MANIFEST + ' ', signature)).toBe(false);
      expect(await verifyText(ben.publicKeyJwk, MANIFEST, signature)).toBe(false);
      const flipped = base64ToBytes(signature);
      flipped[5]! ^= 1;
      expect(await verifyText(ana.publicKeyJwk, MANIFEST, bytesToBase64(flipped))).toBe(false);
      expect(verify).toHaveBeenCalledTimes(4);
      // A failure is not remembered as a success.
      expect(await verifyText(ben.publicKeyJwk, MANIFEST, signature)).toBe(false);
      expect(verify).toHaveBeenCalledTimes(5);
    } finally {
      verify.mockRestore();
    }
  });

  test('a wrong secret cannot unwrap the signing key', async () => {
    const u = await user('135790');
    const { kek: wrongKek } = await deriveSecretKeys('135791', u.params);
    await expect(unwrapSigningKey(u.wrappedPrivateKey, wrongKek)).rejects.toThrow(WrongSecretError);
  });

  test('a wrapped data key cannot be passed off as a wrapped signing key', async () => {
    const u = await user('135790');
    const wrappedDataKey = await wrapDataKey(await newDataKey(), u.kek);
    await expect(unwrapSigningKey(wrappedDataKey, u.kek)).rejects.toThrow(WrongSecretError);
  });

  test('verifyText returns false, never throws, on malformed input', async () => {
    const u = await user('135790');
    const signature = await signText(await unwrapSigningKey(u.wrappedPrivateKey, u.kek), MANIFEST);
    const sig = base64ToBytes(signature);
    const flipped = new Uint8Array(sig);
    flipped[3]! ^= 1;
    const cases: [JsonWebKey, string, string][] = [
      [u.publicKeyJwk, MANIFEST, ''],
      [u.publicKeyJwk, MANIFEST, 'not base64!'],
      [u.publicKeyJwk, MANIFEST, bytesToBase64(sig.subarray(0, 63))],
      [u.publicKeyJwk, MANIFEST, bytesToBase64(new Uint8Array(64))],
      [u.publicKeyJwk, MANIFEST, bytesToBase64(flipped)],
      [{}, MANIFEST, signature],
      [{ ...u.publicKeyJwk, crv: 'P-384' }, MANIFEST, signature],
      [{ ...u.publicKeyJwk, x: 'AAAA' }, MANIFEST, signature],
      [{ ...u.publicKeyJwk, x: u.publicKeyJwk.y }, MANIFEST, signature], // not a point on the curve
      [null as unknown as JsonWebKey, MANIFEST, signature],
      [u.publicKeyJwk, null as unknown as string, signature],
      [u.publicKeyJwk, MANIFEST, undefined as unknown as string],
    ];
    for (const [jwk, text, s] of cases) expect(await verifyText(jwk, text, s)).toBe(false);
  });

  test('fingerprint: SHA-256 hex of the RFC 7638 thumbprint, stable and distinct per key', async () => {
    const a = await user('135790');
    const b = await user('135790');
    const fa = await publicKeyFingerprint(a.publicKeyJwk);
    expect(fa).toMatch(/^[0-9a-f]{64}$/);
    // Extra JWK members (as exported by Web Crypto) do not change it.
    expect(await publicKeyFingerprint({ ...a.publicKeyJwk, ext: true, key_ops: ['verify'] })).toBe(fa);
    expect(await publicKeyFingerprint(b.publicKeyJwk)).not.toBe(fa);
    expect(shortFingerprint(fa)).toMatch(/^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/);
    expect(shortFingerprint(fa).replaceAll(' ', '')).toBe(fa.slice(0, 16));
  });

  test('fingerprint matches the RFC 7638 §3.1-style computation done by hand', async () => {
    const jwk: JsonWebKey = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    };
    const expected = Array.from(
      new Uint8Array(
        await crypto.subtle.digest(
          'SHA-256',
          new TextEncoder().encode(`{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`),
        ),
      ),
      (byte) => byte.toString(16).padStart(2, '0'),
    ).join('');
    expect(await publicKeyFingerprint(jwk)).toBe(expected);
    await expect(publicKeyFingerprint({ ...jwk, d: 'secret' })).rejects.toThrow();
  });
});
