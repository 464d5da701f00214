import { describe, expect, test } from 'vitest';
import { newDataKey, unwrapDataKey, wrapDataKey } from '../../src/crypto/data-key';
import { bytesToBase64, base64ToBytes } from '../../src/crypto/encoding';
import { MalformedDataError, WrongSecretError } from '../../src/crypto/errors';
import { decryptJson, encryptJson } from '../../src/crypto/field-cipher';
import { deriveSecretKeys, newKdfParams } from '../../src/crypto/secret-keys';
import { newSigningKeyPair } from '../../src/crypto/signing-keys';

const FAST = 1_000;
const kekFor = async (secret: string) => (await deriveSecretKeys(secret, newKdfParams(FAST))).kek;

describe('data key', () => {
  test('a new data key is AES-GCM-256 for encrypt/decrypt', async () => {
    const key = await newDataKey();
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...key.usages].sort()).toEqual(['decrypt', 'encrypt']);
  });

  test('wrap/unwrap round trip: the unwrapped key opens what the original sealed', async () => {
    const kek = await kekFor('246810');
    const dataKey = await newDataKey();
    const sealed = await encryptJson({ mrn: 'MRN-0042' }, dataKey);
    const wrapped = await wrapDataKey(dataKey, kek);
    expect(base64ToBytes(wrapped.iv)).toHaveLength(12);
    const opened = await unwrapDataKey(wrapped, kek);
    expect(await decryptJson(sealed, opened)).toEqual({ mrn: 'MRN-0042' });
  });

  test('wrapping twice uses a fresh IV', async () => {
    const kek = await kekFor('246810');
    const dataKey = await newDataKey();
    const a = await wrapDataKey(dataKey, kek);
    const b = await wrapDataKey(dataKey, kek);
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  test('an admin can re-wrap the unwrapped data key for a new user', async () => {
    const adminKek = await kekFor('111111');
    const userKek = await kekFor('222222');
    const original = await newDataKey();
    const sealed = await encryptJson('Jane Roe', original);
    const adminWrapped = await wrapDataKey(original, adminKek);

    const adminCopy = await unwrapDataKey(adminWrapped, adminKek); // what the unlocked admin holds
    const forUser = await wrapDataKey(adminCopy, userKek);
    const userCopy = await unwrapDataKey(forUser, userKek);
    expect(await decryptJson(sealed, userCopy)).toBe('Jane Roe');
    await expect(unwrapDataKey(forUser, adminKek)).rejects.toThrow(WrongSecretError);
  });

  test('a wrong KEK or altered bytes reject with WrongSecretError', async () => {
    const kek = await kekFor('246810');
    const wrapped = await wrapDataKey(await newDataKey(), kek);
    await expect(unwrapDataKey(wrapped, await kekFor('246810'))).rejects.toThrow(WrongSecretError); // other salt
    const data = base64ToBytes(wrapped.data);
    data[0]! ^= 1;
    await expect(unwrapDataKey({ ...wrapped, data: bytesToBase64(data) }, kek)).rejects.toThrow(WrongSecretError);
    await expect(unwrapDataKey(wrapped, kek)).resolves.toBeDefined();
  });

  test('a wrapped signing key cannot be passed off as a wrapped data key', async () => {
    const kek = await kekFor('246810');
    const { wrappedPrivateKey } = await newSigningKeyPair(kek);
    await expect(unwrapDataKey(wrappedPrivateKey, kek)).rejects.toThrow(WrongSecretError);
  });

  test('structurally bad wrapped keys are malformed', async () => {
    const kek = await kekFor('246810');
    const wrapped = await wrapDataKey(await newDataKey(), kek);
    await expect(unwrapDataKey({ ...wrapped, iv: 'AAAA' }, kek)).rejects.toThrow(MalformedDataError);
    await expect(unwrapDataKey({ ...wrapped, data: '%%%' }, kek)).rejects.toThrow(MalformedDataError);
  });
});
