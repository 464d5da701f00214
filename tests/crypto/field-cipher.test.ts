import { describe, expect, test } from 'vitest';
import { newDataKey } from '../../src/crypto/data-key';
import { base64ToBytes, bytesToBase64 } from '../../src/crypto/encoding';
import { DecryptionError, MalformedDataError } from '../../src/crypto/errors';
import { decryptJson, encryptJson, isSealed, type Sealed } from '../../src/crypto/field-cipher';

const flipByte = (b64: string, index: number) => {
  const bytes = base64ToBytes(b64);
  bytes[index]! ^= 0x01;
  return bytesToBase64(bytes);
};

describe('field cipher', () => {
  test('round-trips JSON values', async () => {
    const key = await newDataKey();
    const values: unknown[] = [
      'Żółć, Nguyễn Thị',
      { name: 'Jane Roe', mrn: '00123456', dob: '1980-02-29', notes: ['left femur', null, 3] },
      0,
      null,
      '',
      false,
    ];
    for (const value of values) {
      const sealed = await encryptJson(value, key, 'case-1');
      expect(isSealed(sealed)).toBe(true);
      expect(sealed.v).toBe(1);
      expect(base64ToBytes(sealed.iv)).toHaveLength(12);
      expect(await decryptJson(sealed, key, 'case-1')).toEqual(value);
    }
  });

  test('the ciphertext does not contain the plaintext', async () => {
    const key = await newDataKey();
    const sealed = await encryptJson({ name: 'Jane Roe' }, key);
    const text = JSON.stringify(sealed);
    expect(text).not.toContain('Jane');
    expect(new TextDecoder('latin1').decode(base64ToBytes(sealed.ct))).not.toContain('Jane');
  });

  test('a fresh IV on every call: the same value encrypts differently each time', async () => {
    const key = await newDataKey();
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const sealed = await encryptJson('00123456', key, 'case-1');
      expect(seen.has(sealed.iv)).toBe(false);
      seen.add(sealed.iv);
    }
    const a = await encryptJson('00123456', key);
    const b = await encryptJson('00123456', key);
    expect(a.ct).not.toBe(b.ct);
  });

  test('tampered ciphertext, IV or tag is rejected', async () => {
    const key = await newDataKey();
    const sealed = await encryptJson({ mrn: '00123456' }, key, 'case-1');
    const ctLength = base64ToBytes(sealed.ct).length;
    const tampered: Sealed[] = [
      { ...sealed, ct: flipByte(sealed.ct, 0) },
      { ...sealed, ct: flipByte(sealed.ct, ctLength - 1) }, // in the tag
      { ...sealed, iv: flipByte(sealed.iv, 5) },
      { ...sealed, ct: bytesToBase64(base64ToBytes(sealed.ct).subarray(0, ctLength - 1)) },
      { ...sealed, ct: '' },
    ];
    for (const t of tampered) await expect(decryptJson(t, key, 'case-1')).rejects.toThrow(DecryptionError);
  });

  test('a blob moved to another record (different AAD) or opened without its AAD is rejected', async () => {
    const key = await newDataKey();
    const sealed = await encryptJson('Jane Roe', key, 'case-1');
    await expect(decryptJson(sealed, key, 'case-2')).rejects.toThrow(DecryptionError);
    await expect(decryptJson(sealed, key)).rejects.toThrow(DecryptionError);
    const noAad = await encryptJson('Jane Roe', key);
    await expect(decryptJson(noAad, key, 'case-1')).rejects.toThrow(DecryptionError);
    expect(await decryptJson(noAad, key)).toBe('Jane Roe');
  });

  test('another data key cannot open it', async () => {
    const sealed = await encryptJson('Jane Roe', await newDataKey());
    await expect(decryptJson(sealed, await newDataKey())).rejects.toThrow(DecryptionError);
  });

  test('malformed blobs and unencodable values', async () => {
    const key = await newDataKey();
    const sealed = await encryptJson('x', key);
    await expect(decryptJson({ ...sealed, v: 2 } as unknown as Sealed, key)).rejects.toThrow(MalformedDataError);
    await expect(decryptJson({ ...sealed, iv: 'AAAA' }, key)).rejects.toThrow(MalformedDataError);
    await expect(decryptJson({ ...sealed, ct: 'not base64' }, key)).rejects.toThrow(MalformedDataError);
    await expect(decryptJson('Jane Roe' as unknown as Sealed, key)).rejects.toThrow(MalformedDataError);
    await expect(encryptJson(undefined, key)).rejects.toThrow(TypeError);
    expect(isSealed({ v: 1, iv: 'a' })).toBe(false);
    expect(isSealed(null)).toBe(false);
  });
});
