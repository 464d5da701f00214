import { beforeEach, describe, expect, it } from 'vitest';
import { signIn as unlock } from '../../src/db/accounts';
import { db } from '../../src/db/database';
import { currentUnlock, lock } from '../../src/db/vault';
import { PBKDF2_ITERATIONS } from '../../src/crypto/secret-keys';
import { resetDatabase, signIn, TEST_PIN } from '../support/render-app';

beforeEach(resetDatabase);

describe('the PBKDF2 cost of stored secrets', () => {
  it('new people are stored with the build\'s cost', async () => {
    await signIn('Tess Technician', ['technician']);
    const rows = await db.users.toArray();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.kdf.iterations).toBe(PBKDF2_ITERATIONS);
  });

  it('a stored person whose cost was lowered cannot sign in, and is told why in a sentence', async () => {
    const tess = (await signIn('Tess Technician', ['technician'])).id;
    await lock();
    const row = (await db.users.get(tess))!;
    await db.users.update(tess, { kdf: { ...row.kdf, iterations: PBKDF2_ITERATIONS - 1 } });
    await expect(unlock(tess, TEST_PIN)).rejects.toThrow(/^These saved secret settings are weaker than this app allows .*, so they were refused\./);
    expect(currentUnlock()).toBeNull();
  });
});
