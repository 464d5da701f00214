import { describe, expect, test } from 'vitest';
import { unwrapDataKey, wrapDataKey, newDataKey } from '../../src/crypto/data-key';
import { base64ToBytes, bytesToBase64 } from '../../src/crypto/encoding';
import { MalformedDataError, WrongSecretError } from '../../src/crypto/errors';
import {
  constantTimeEqual,
  DEFAULT_PASSPHRASE_POLICY,
  DEFAULT_PIN_POLICY,
  deriveSecretKeys,
  newKdfParams,
  PBKDF2_ITERATIONS,
  validateSecretPolicy,
  verifySecret,
} from '../../src/crypto/secret-keys';

const FAST = 1_000; // the figure vite.config.ts compiles into the vitest run; kdf-cost.test.ts pins the production one

describe('secret keys', () => {
  test('new secrets get the build\'s PBKDF2 cost', () => {
    expect(PBKDF2_ITERATIONS).toBe(FAST);
    expect(newKdfParams().iterations).toBe(PBKDF2_ITERATIONS);
  });

  test('nothing below the build\'s minimum is written or accepted', async () => {
    expect(() => newKdfParams(PBKDF2_ITERATIONS - 1)).toThrow(RangeError);
    expect(newKdfParams(PBKDF2_ITERATIONS + 1).iterations).toBe(PBKDF2_ITERATIONS + 1);
    const weak = { ...newKdfParams(), iterations: PBKDF2_ITERATIONS - 1 };
    // A verifier really made with the weak parameters is still refused: the count itself is the problem.
    const pw = await crypto.subtle.importKey('raw', new TextEncoder().encode('123456'), 'PBKDF2', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: base64ToBytes(weak.salt), iterations: weak.iterations, hash: 'SHA-256' }, pw, 256);
    const sentence = /weaker than this app allows \(999 rounds of key stretching; at least 1,000 are required\), so they were refused/;
    await expect(deriveSecretKeys('123456', weak)).rejects.toThrow(MalformedDataError);
    await expect(deriveSecretKeys('123456', weak)).rejects.toThrow(sentence);
    await expect(verifySecret('123456', weak, bytesToBase64(new Uint8Array(bits)))).rejects.toThrow(sentence);
    await expect(deriveSecretKeys('123456', { ...weak, iterations: PBKDF2_ITERATIONS })).resolves.toBeTruthy();
  });

  test('newKdfParams: 16 random salt bytes, a new salt each time', () => {
    const a = newKdfParams(FAST);
    const b = newKdfParams(FAST);
    expect(a).toMatchObject({ iterations: FAST, hash: 'SHA-256' });
    expect(base64ToBytes(a.salt)).toHaveLength(16);
    expect(a.salt).not.toBe(b.salt);
    expect(() => newKdfParams(0)).toThrow(RangeError);
    expect(() => newKdfParams(1.5)).toThrow(RangeError);
  });

  // Known answers (same values from Node and Chromium): a change to the KDF, its labels or
  // the encoding would silently lock every existing user out, so it must fail here first.
  test('known-answer: fixed salt and secret give a fixed verifier and KEK', async () => {
    const params = { salt: 'AAECAwQFBgcICQoLDA0ODw==', iterations: 1_000, hash: 'SHA-256' } as const;
    const { verifier, kek } = await deriveSecretKeys('123456', params);
    expect(verifier).toBe('WjhxBWKNQKlulT7T8o2yaddCPeD2bIUIsjtwYF2GCyk=');
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, kek, new TextEncoder().encode('printpath'));
    expect(bytesToBase64(new Uint8Array(ct))).toBe('fYG5xFBhj7bjjtsT4H7m+xGn2iN3SHAVdw==');
  });

  test('the right secret verifies and yields a usable, non-extractable KEK', async () => {
    const params = newKdfParams(FAST);
    const { verifier, kek } = await deriveSecretKeys('482913', params);
    expect(base64ToBytes(verifier)).toHaveLength(32);
    expect(kek.extractable).toBe(false);
    expect(kek.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...kek.usages].sort()).toEqual(['decrypt', 'encrypt', 'unwrapKey', 'wrapKey']);
    await expect(crypto.subtle.exportKey('raw', kek)).rejects.toThrow();

    const result = await verifySecret('482913', params, verifier);
    expect(result.ok).toBe(true);
    // Same secret + params give the same KEK: a key wrapped by one opens with the other.
    const dataKey = await newDataKey();
    const wrapped = await wrapDataKey(dataKey, kek);
    await expect(unwrapDataKey(wrapped, result.kek!)).resolves.toBeDefined();
  });

  test('a wrong secret fails verification and its KEK cannot unwrap the data key', async () => {
    const params = newKdfParams(FAST);
    const { verifier, kek } = await deriveSecretKeys('482913', params);
    const wrapped = await wrapDataKey(await newDataKey(), kek);

    for (const wrong of ['482914', '', '4829130', ' 482913']) {
      expect(await verifySecret(wrong, params, verifier)).toEqual({ ok: false, kek: null });
      const { kek: wrongKek } = await deriveSecretKeys(wrong, params);
      await expect(unwrapDataKey(wrapped, wrongKek)).rejects.toThrow(WrongSecretError);
    }
  });

  test('the same PIN for two users gives different verifiers (salts)', async () => {
    const a = await deriveSecretKeys('123456', newKdfParams(FAST));
    const b = await deriveSecretKeys('123456', newKdfParams(FAST));
    expect(a.verifier).not.toBe(b.verifier);
    const wrapped = await wrapDataKey(await newDataKey(), a.kek);
    await expect(unwrapDataKey(wrapped, b.kek)).rejects.toThrow(WrongSecretError);
  });

  test('iterations are part of the derivation', async () => {
    const params = newKdfParams(FAST);
    const a = await deriveSecretKeys('123456', params);
    const b = await deriveSecretKeys('123456', { ...params, iterations: FAST + 1 });
    expect(a.verifier).not.toBe(b.verifier);
  });

  test('the verifier is not KEK material: neither it nor the raw PBKDF2 output opens a KEK-wrapped key', async () => {
    const params = newKdfParams(FAST);
    const { verifier, kek } = await deriveSecretKeys('passphrase for the lab', params);
    const wrapped = await wrapDataKey(await newDataKey(), kek);

    // Recompute the PBKDF2 master bits independently of the module.
    const pw = await crypto.subtle.importKey('raw', new TextEncoder().encode('passphrase for the lab'), 'PBKDF2', false, ['deriveBits']);
    const master = new Uint8Array(
      await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: base64ToBytes(params.salt), iterations: FAST, hash: 'SHA-256' }, pw, 256),
    );
    const verifierBytes = base64ToBytes(verifier);
    expect(constantTimeEqual(verifierBytes, master)).toBe(false);

    for (const candidate of [verifierBytes, master]) {
      const asKek = await crypto.subtle.importKey('raw', candidate, 'AES-GCM', false, ['unwrapKey']);
      await expect(unwrapDataKey(wrapped, asKek)).rejects.toThrow(WrongSecretError);
    }
  });

  test('secrets are NFC-normalised: composed and decomposed forms are the same secret', async () => {
    const params = newKdfParams(FAST);
    const { verifier } = await deriveSecretKeys('caf\u00e9 au lait, s\u00f8rens', params);
    expect((await verifySecret('cafe\u0301 au lait, s\u00f8rens', params, verifier)).ok).toBe(true);
  });

  test('damaged stored parameters or verifier are reported as malformed, not as a wrong secret', async () => {
    const params = newKdfParams(FAST);
    const { verifier } = await deriveSecretKeys('123456', params);
    await expect(verifySecret('123456', params, 'not base64!')).rejects.toThrow(MalformedDataError);
    await expect(verifySecret('123456', params, verifier.slice(0, 20))).rejects.toThrow(MalformedDataError);
    await expect(deriveSecretKeys('123456', { ...params, salt: 'AAAA' })).rejects.toThrow(MalformedDataError);
    await expect(deriveSecretKeys('123456', { ...params, iterations: 0 })).rejects.toThrow(MalformedDataError);
    await expect(deriveSecretKeys('123456', { ...params, hash: 'SHA-1' as 'SHA-256' })).rejects.toThrow(MalformedDataError);
  });

  test('constantTimeEqual', () => {
    const a = new Uint8Array([1, 2, 3]);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(a, new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(a, new Uint8Array([1, 2]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), a)).toBe(false);
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });
});

describe('secret policy', () => {
  test('PIN: digits only, at least 6 (or the policy minimum if higher)', () => {
    expect(validateSecretPolicy('123456', DEFAULT_PIN_POLICY)).toBeNull();
    expect(validateSecretPolicy('12345', DEFAULT_PIN_POLICY)).toBe('A PIN must be at least 6 digits long.');
    expect(validateSecretPolicy('', DEFAULT_PIN_POLICY)).toBe('A PIN must be at least 6 digits long.');
    expect(validateSecretPolicy('12345a', DEFAULT_PIN_POLICY)).toBe('A PIN may contain digits (0–9) only.');
    expect(validateSecretPolicy('123 456', DEFAULT_PIN_POLICY)).toBe('A PIN may contain digits (0–9) only.');
    expect(validateSecretPolicy('١٢٣٤٥٦', DEFAULT_PIN_POLICY)).toBe('A PIN may contain digits (0–9) only.');
    expect(validateSecretPolicy('12345678', { kind: 'pin', minLength: 8 })).toBeNull();
    expect(validateSecretPolicy('1234567', { kind: 'pin', minLength: 8 })).toBe('A PIN must be at least 8 digits long.');
    // A policy cannot go below the floor of 6 digits.
    expect(validateSecretPolicy('1234', { kind: 'pin', minLength: 4 })).toBe('A PIN must be at least 6 digits long.');
  });

  test('passphrase: at least 12 characters by default, counted as characters not UTF-16 units', () => {
    expect(validateSecretPolicy('correct horse', DEFAULT_PASSPHRASE_POLICY)).toBeNull();
    expect(validateSecretPolicy('short phrase', DEFAULT_PASSPHRASE_POLICY)).toBeNull(); // exactly 12
    expect(validateSecretPolicy('short phras', DEFAULT_PASSPHRASE_POLICY)).toBe('A passphrase must be at least 12 characters long.');
    expect(validateSecretPolicy('🦴🦴🦴🦴🦴🦴', DEFAULT_PASSPHRASE_POLICY)).toBe('A passphrase must be at least 12 characters long.');
    expect(validateSecretPolicy(' '.repeat(20), DEFAULT_PASSPHRASE_POLICY)).toBe('A passphrase cannot be only spaces.');
    expect(validateSecretPolicy('a longer lab passphrase', { kind: 'passphrase', minLength: 20 })).toBeNull();
    expect(validateSecretPolicy('sixteen chars ok', { kind: 'passphrase', minLength: 20 })).toBe(
      'A passphrase must be at least 20 characters long.',
    );
  });
});
