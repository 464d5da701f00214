// The recovery key as a person copies it from paper and types it back.
import { describe, expect, it } from 'vitest';
import { newDataKey } from '../../src/crypto/data-key';
import { ringOf, withKey } from '../../src/crypto/key-ring';
import { decryptJson, encryptJson } from '../../src/crypto/field-cipher';
import { createRecoveryKey, openRecoveredRing, readPaperKey, recoveryToken } from '../../src/sync/recovery';
import { resetDatabase } from '../support/render-app';

type Recorded = { publicKey: string; token: string; grants: { epoch: string; grant: string }[] };

async function made() {
  await resetDatabase();
  const ring = withKey(ringOf(await newDataKey()), '2-0a1b2c3d', await newDataKey());
  let recorded: Recorded | null = null;
  const api = { setUpRecovery: async (publicKey: string, token: string, grants: Recorded['grants']) => void (recorded = { publicKey, token, grants }) };
  const paper = await createRecoveryKey(api as never, ring, 'lab-1');
  return { ring, paper, recorded: recorded! as Recorded };
}

describe('the recovery key on paper', () => {
  it('is 14 groups of four unambiguous characters; typed back in any case, with spaces, it opens every epoch it was given', async () => {
    const { ring, paper, recorded } = await made();
    expect(paper).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/);
    const scalar = await readPaperKey(` ${paper.toLowerCase().replace(/-/g, ' ')} `);
    expect(await recoveryToken(scalar)).toBe(recorded.token);
    const opened = await openRecoveredRing(scalar, recorded.publicKey, recorded.grants, 'lab-1');
    expect([...opened.keys.keys()].sort()).toEqual(['1', '2-0a1b2c3d']);
    expect(await decryptJson(await encryptJson('z', ring), opened)).toBe('z');
    await expect(openRecoveredRing(scalar, recorded.publicKey, recorded.grants, 'lab-2')).rejects.toThrow();
  });

  it('reads O as 0 and I or L as 1, as Crockford’s base32 does', async () => {
    const { paper } = await made();
    const swapped = paper.replace(/0/g, 'O').replace(/1/g, 'I');
    expect(await readPaperKey(swapped)).toEqual(await readPaperKey(paper));
  });

  it('says what is wrong with a mistyped key', async () => {
    const { paper } = await made();
    await expect(readPaperKey(paper.slice(0, -1))).rejects.toThrow('A recovery key has 56 characters in 14 groups of four; this has 55.');
    await expect(readPaperKey(paper.slice(0, -1) + 'U')).rejects.toThrow('only the digits 0–9 and the letters A–Z except I, L, O and U');
    const last = paper.at(-1)!;
    await expect(readPaperKey(paper.slice(0, -1) + (last === 'A' ? 'B' : 'A'))).rejects.toThrow('This recovery key has a mistake in it');
  });
});
