import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/db/database';
import { addUser, changeOwnSecret, resetSecret, saveSecurityPolicy, setUpTablet, setUserActive, signIn as unlock } from '../../src/db/accounts';
import { secretResetBy } from '../../src/db/user-repo';
import { readLabHistory } from '../../src/db/audit-repo';
import { getCase } from '../../src/db/case-view-repo';
import { runCommand } from '../../src/db/case-commands';
import { getSecurityPolicy } from '../../src/db/settings-repo';
import { currentUnlock, lock } from '../../src/db/vault';
import { asCaseId } from '../../src/domain/ids';
import { order } from '../support/orders';
import { ADMIN, resetDatabase, signIn, TEST_PIN } from '../support/render-app';

beforeEach(resetDatabase);

const dump = async () => JSON.stringify({ cases: await db.cases.toArray(), audit: await db.audit.toArray(), users: await db.users.toArray(), settings: await db.settings.toArray() });

describe('accounts and sign-in', () => {
  it('the first person must be a lab admin; the tablet is then set up once', async () => {
    await expect(setUpTablet({ name: 'Tess', roles: ['technician'], secret: TEST_PIN })).rejects.toThrow(/lab admin/);
    await setUpTablet({ name: 'Ada Admin', roles: ['admin'], secret: TEST_PIN });
    await expect(setUpTablet({ name: 'Other', roles: ['admin'], secret: TEST_PIN })).rejects.toThrow(/already set up/);
  });

  it('stores no secret and no patient identifier in the clear', async () => {
    await signIn('Tess Tech', ['technician']);
    const id = asCaseId(crypto.randomUUID());
    await runCommand(null, { type: 'create', id, input: order({ patientName: 'Zofia Quillfeather', mrn: 'MRN777999', dateOfBirth: '1961-07-14', notes: 'lives at 12 Elm Road' }) });
    await runCommand(id, { type: 'saveStage', stage: 'imaging', values: { imagingNotes: 'Quillfeather moved during scan' } });
    await runCommand(id, { type: 'editOrder', input: { ...order(), patientName: 'Zofia Q. Quillfeather', mrn: 'MRN777999', dateOfBirth: '1961-07-14', notes: '' } });
    const everything = await dump();
    for (const secret of ['Quillfeather', 'MRN777999', '1961-07-14', 'Elm Road', TEST_PIN]) expect(everything).not.toContain(secret);
    expect((await getCase(id))!.case.phi.patientName).toBe('Zofia Q. Quillfeather');
  });

  it('rejects a secret that breaks the policy, with the reason', async () => {
    await setUpTablet({ name: 'Ada Admin', roles: ['admin'], secret: TEST_PIN });
    await expect(addUser({ name: 'Tess', roles: ['technician'], secret: '123' }, TEST_PIN)).rejects.toThrow(/at least 6/i);
    await saveSecurityPolicy({ ...(await getSecurityPolicy()), secret: { kind: 'passphrase', minLength: 12 } }, TEST_PIN);
    await expect(addUser({ name: 'Tess', roles: ['technician'], secret: '12345678' }, TEST_PIN)).rejects.toThrow(/12/);
    expect(await db.users.count()).toBe(1);
  });

  it('locks an account after 5 wrong secrets in a row, says for how long, and records every failure', async () => {
    await signIn('Tess Tech', ['technician']);
    const tess = currentUnlock()!.actor.id;
    await lock();
    for (let i = 1; i <= 4; i++) await expect(unlock(tess, '999999')).rejects.toThrow(`${5 - i} more wrong`);
    await expect(unlock(tess, '999999')).rejects.toThrow(/5 in a row: Tess Tech is locked out for 5 minutes/);
    await expect(unlock(tess, TEST_PIN)).rejects.toThrow(/locked out until/);
    expect(currentUnlock()).toBeNull();
    const lab = await readLabHistory();
    expect(lab.entries.filter((e) => e.kind === 'sign-in-failed')).toHaveLength(5);
    expect(lab.entries.filter((e) => e.kind === 'account-locked')).toHaveLength(1);
    expect(lab.verification.ok).toBe(true);
    // After the lock-out the right secret works again.
    await expect(unlock(tess, TEST_PIN, new Date(Date.now() + 6 * 60_000).toISOString())).resolves.toBeTruthy();
  });

  it('a disabled person cannot sign in; the last admin cannot be disabled', async () => {
    await signIn('Tess Tech', ['technician']);
    const tess = currentUnlock()!.actor.id;
    await signIn('Lab Admin', ['admin']);
    await expect(setUserActive(currentUnlock()!.actor.id, false, TEST_PIN)).rejects.toThrow(/own account/);
    await setUserActive(tess, false, TEST_PIN);
    await lock();
    await expect(unlock(tess, TEST_PIN)).rejects.toThrow(/disabled/);
  });

  it('the lab audit chain shows a tampered entry', async () => {
    await signIn('Tess Tech', ['technician']);
    const entries = await db.audit.where('[chain+seq]').between(['lab', 0], ['lab', Infinity]).toArray();
    const target = entries[1]!;
    await db.audit.put({ ...target, actorName: 'Someone Else' });
    const lab = await readLabHistory();
    expect(lab.verification).toEqual({ ok: false, brokenAt: 2, reason: 'entry 2 was altered' });
  });
});

describe('a secret reset by an admin, and the person’s own change', () => {
  it('after a reset the person is told who reset it until they choose their own; old signatures keep verifying', async () => {
    await signIn('Tess Tech', ['technician']);
    const tess = currentUnlock()!.actor.id;
    await signIn(ADMIN, ['admin']);
    await resetSecret(tess, '864209', TEST_PIN);
    expect(await secretResetBy(tess)).toMatchObject({ by: ADMIN });
    await lock();
    await unlock(tess, '864209');
    await expect(changeOwnSecret('000000', '975310')).rejects.toThrow(/Wrong secret/);
    await expect(changeOwnSecret('864209', '12')).rejects.toThrow(/at least 6/);
    await changeOwnSecret('864209', '975310');
    expect(await secretResetBy(tess)).toBeNull();
    const lab = await readLabHistory();
    expect(lab.entries.at(-1)).toMatchObject({ kind: 'secret-changed', signed: true });
    expect(lab.problem).toBeNull();
    await lock();
    await expect(unlock(tess, '864209')).rejects.toThrow(/Wrong secret/);
    await expect(unlock(tess, '975310')).resolves.toBeTruthy();
  });
});
