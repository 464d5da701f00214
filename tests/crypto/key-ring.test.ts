// Key epochs and the grants that carry them (docs/security.md, "Key epochs").
import { describe, expect, it } from 'vitest';
import { newDataKey } from '../../src/crypto/data-key';
import { DecryptionError, WrongSecretError } from '../../src/crypto/errors';
import { decryptJson, encryptJson } from '../../src/crypto/field-cipher';
import { grantKey, newAgreementKeyPair, newPersonAgreementKey, openGrant, openPersonAgreementKey } from '../../src/crypto/key-grant';
import { keyRing, ringOf, unwrapRing, withKey, wrapRing } from '../../src/crypto/key-ring';
import { subtle } from '../../src/crypto/runtime';

const kek = () => subtle().generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey', 'encrypt', 'decrypt']);

describe('sealing with a key ring', () => {
  it('writes exactly the old format in epoch 1, names later epochs, and opens each value with its own epoch’s key', async () => {
    const first = ringOf(await newDataKey());
    const old = await encryptJson({ name: 'Alma' }, first, 'case-1');
    expect(Object.keys(old).sort()).toEqual(['ct', 'iv', 'v']);
    const later = withKey(first, '2-0a1b2c3d', await newDataKey());
    const sealed = await encryptJson({ name: 'Zeb' }, later, 'case-2');
    expect(sealed.k).toBe('2-0a1b2c3d');
    expect(await decryptJson(old, later, 'case-1')).toEqual({ name: 'Alma' });
    expect(await decryptJson(sealed, later, 'case-2')).toEqual({ name: 'Zeb' });
    await expect(decryptJson(sealed, first, 'case-2')).rejects.toBeInstanceOf(DecryptionError);
    await expect(decryptJson(sealed, first.key, 'case-2')).rejects.toBeInstanceOf(DecryptionError);
    // A value moved to another epoch's name does not open either.
    await expect(decryptJson({ ...old, k: '2-0a1b2c3d' }, later, 'case-1')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('orders epochs by number, so two made apart both stay and the newest seals', async () => {
    const a = await newDataKey();
    const ring = keyRing([['1', a], ['3-00000001', await newDataKey()], ['2-ffffffff', await newDataKey()], ['10-00000000', await newDataKey()]]);
    expect(ring.epoch).toBe('10-00000000');
    expect(ring.keys.size).toBe(4);
  });

  it('wraps every epoch under a person’s secret and opens only with it', async () => {
    const ring = withKey(ringOf(await newDataKey()), '2-0a1b2c3d', await newDataKey());
    const mine = await kek();
    const wrapped = await wrapRing(ring, mine);
    expect(Object.keys(wrapped.wrappedEpochKeys ?? {})).toEqual(['2-0a1b2c3d']);
    const opened = await unwrapRing(wrapped, mine);
    const probe = await encryptJson('x', ring, 'p');
    expect(await decryptJson(probe, opened, 'p')).toBe('x');
    await expect(unwrapRing(wrapped, await kek())).rejects.toBeInstanceOf(WrongSecretError);
  });
});

describe('grants of a new epoch', () => {
  it('open only with the grantee’s private key and for the context they were made for', async () => {
    const key = await newDataKey();
    const person = await newAgreementKeyPair(false);
    const stranger = await newAgreementKeyPair(false);
    const grant = await grantKey(key, person.publicKey, 'printpath/v1/key-epoch\u0000lab\u00002-x\u0000ada');
    const opened = await openGrant(grant, person.privateKey, 'printpath/v1/key-epoch\u0000lab\u00002-x\u0000ada');
    expect(await decryptJson(await encryptJson('y', key), opened)).toBe('y');
    await expect(openGrant(grant, stranger.privateKey, 'printpath/v1/key-epoch\u0000lab\u00002-x\u0000ada')).rejects.toThrow();
    await expect(openGrant(grant, person.privateKey, 'printpath/v1/key-epoch\u0000lab\u00002-x\u0000rae')).rejects.toThrow();
  });

  it('reach a person through their key-agreement key, which opens only with their secret', async () => {
    const mine = await kek();
    const agreement = await newPersonAgreementKey(mine);
    const key = await newDataKey();
    const grant = await grantKey(key, agreement.publicKey, 'ctx');
    expect(await openGrant(grant, await openPersonAgreementKey(agreement, mine), 'ctx')).toBeTruthy();
    await expect(openPersonAgreementKey(agreement, await kek())).rejects.toBeInstanceOf(WrongSecretError);
  });
});
