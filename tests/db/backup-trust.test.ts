// Backups are authenticated and proven before anything is written (issue 11). The
// exporting admin signs the file with their sign-off key; restore checks that
// signature against the file's own signed lab log, and then proves with the data key
// that every case opens and matches its signed history, every entry is signed by its
// author and every sign-off verifies. Each attack below is refused with one sentence
// naming what and where, and the tablet is left exactly as it was.
import { beforeEach, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../src/db/audit-repo';
import { applyRestore, BackupError, exportBackup, previewRestore, readBackup, type RestoreProgress } from '../../src/db/backup';
import { saveSecurityPolicy, signIn as unlock, SignInError } from '../../src/db/accounts';
import { getCase } from '../../src/db/case-view-repo';
import { db } from '../../src/db/database';
import { loadDemoCases } from '../../src/db/demo-repo';
import { readLabTrust } from '../../src/db/lab-log-repo';
import { DEFAULT_SECURITY_POLICY, lastBackupAt } from '../../src/db/settings-repo';
import { currentUnlock } from '../../src/db/vault';
import { asCaseId } from '../../src/domain/ids';
import { chainHead, type AuditEntry } from '../../src/domain/audit-chain';
import { entrySigner, signedEntry } from '../../src/db/signed-entries';
import { adminIn, forge, rechecksum, type FileJson } from '../support/backup-files';
import { dumpDatabase } from '../support/db-dump';
import { ADMIN, resetDatabase, signIn, TEST_PIN } from '../support/render-app';
import { signInAs } from '../support/tablet';

const TECH = 'Tess Technician';
const NOW = '2026-11-27T12:00:00.000Z';

async function labWithCases(): Promise<void> {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await signIn(TECH, ['technician']);
  await signInAs(ADMIN);
  await loadDemoCases(4, TEST_PIN, new Date('2026-11-20T10:00:00Z'), 11);
}

const exported = async () => (await exportBackup(null, TEST_PIN, NOW)).blob.text();
const json = (text: string) => JSON.parse(text) as FileJson;
const userRow = async (name: string) => (await db.users.where('name').equals(name).first())!;

/** Reads, previews and restores a file (every differing case taken from it); on a wiped tablet as the lab admin in it. */
async function restore(text: string, secret = TEST_PIN): Promise<void> {
  const b = await readBackup(text, null);
  const p = await previewRestore(b);
  await applyRestore(b, Object.fromEntries(p.differing.map((d) => [d.id, 'backup' as const])), { now: NOW, ...(p.tabletIsEmpty ? { admin: adminIn(b, ADMIN, secret) } : {}) });
}

/** Expects `text` refused with exactly one sentence matching `message`, and the tablet unchanged. */
async function expectRefused(text: string, message: RegExp | string): Promise<void> {
  const before = await dumpDatabase();
  const e = await restore(text).then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(BackupError);
  expect((e as Error).message).toMatch(message);
  expect((e as Error).message).not.toMatch(/tables|\.\d+\.|undefined/);
  expect((e as Error).message.split(/(?<=\.) (?=[A-Z])/).filter((x) => x !== 'Nothing was restored.')).toHaveLength(1);
  expect(await dumpDatabase()).toBe(before);
}

/** Two cases' sealed PHI swapped: each blob is still valid ciphertext, for the other case. */
function swapSealed(f: FileJson): [string, string] {
  const [a, b] = f.tables.cases;
  [a!.sealed, b!.sealed] = [b!.sealed, a!.sealed];
  return [a!.caseNumber, b!.caseNumber];
}

beforeEach(labWithCases, 30_000);

describe('a signed backup', () => {
  it('is signed by the exporting admin with their registered sign-off key; the preview shows who and the lab root', async () => {
    const f = json(await exported());
    const admin = await userRow(ADMIN);
    expect(f.formatVersion).toBe(3);
    expect(f.signature).toMatchObject({ signerId: admin.id, keyFingerprint: admin.signingKeys.at(-1)!.fingerprint });
    const p = await previewRestore(await readBackup(JSON.stringify(f), null));
    expect(p.signedBy).toEqual({ name: ADMIN, keyFingerprint: admin.signingKeys.at(-1)!.fingerprint });
    expect(p.labRoot).toBe((await readLabTrust()).state.root);
    expect(p.admins.map((a) => a.name)).toEqual([ADMIN]);
    expect((await readLabHistory()).entries.at(-1)?.body.summary).toMatch(/^Backup exported and signed by Lab Admin: 4 cases/);
  });

  it('a wrong secret at export gives no file, no backup on the log and no new last-backup time', async () => {
    const entries = (await readLabHistory()).entries.length;
    await expect(exportBackup(null, '000000', NOW)).rejects.toThrow(SignInError);
    await expect(exportBackup(null, '000000', NOW)).rejects.toThrow(/^Wrong secret\. \d more wrong tr(y|ies) and the account locks/);
    await expect(exportBackup(null, '', NOW)).rejects.toThrow('Type your own PIN or passphrase to sign this backup');
    expect(await lastBackupAt()).toBeNull();
    const kinds = (await readLabHistory()).entries.slice(entries).map((e) => e.kind);
    expect(kinds).toEqual(['sign-in-failed', 'sign-in-failed']); // failures count towards the lock-out, as for any admin action
  });

  it('progress counts every signature checked, in batches, up to the total', async () => {
    const b = await readBackup(await exported(), null);
    await resetDatabase();
    const seen: RestoreProgress[] = [];
    await applyRestore(b, {}, { admin: adminIn(b), onProgress: (p) => seen.push(p) });
    const total = seen[0]!.total;
    const entries = b.tables.audit.filter((e) => e.chain !== 'lab' && e.v === 2).length;
    expect(total).toBeGreaterThan(entries); // every signed case entry and every current sign-off
    expect(seen.at(-1)).toEqual({ done: total, total });
    expect(seen.map((p) => p.done)).toEqual([...seen.map((p) => p.done)].sort((x, y) => x - y));
  });
});

describe('attack 5: an unsigned field edited in the file', () => {
  const editModality = (f: FileJson) => {
    const row = f.tables.cases[0]!;
    const imaging = row.clear.stages.imaging;
    imaging.values = { ...imaging.values, modality: imaging.values.modality === 'MR' ? 'CT' : 'MR' };
    return row.caseNumber;
  };

  it('with the checksum recomputed: refused by the signature, on a tablet in use and on a wiped one', async () => {
    const f = json(await exported());
    editModality(f);
    const text = JSON.stringify(await rechecksum(f));
    await expectRefused(text, 'The backup’s signature does not verify: the file was edited after Lab Admin made it. Nothing was restored.');
    await resetDatabase();
    await expectRefused(text, /signature does not verify/);
  });

  it('signed again by an admin of the lab: refused by the case’s signed history, naming the case', async () => {
    const f = json(await exported());
    const n = editModality(f);
    const text = await forge(f, await userRow(ADMIN));
    await expectRefused(text, `Case ${n} in the backup was changed outside Printpath: it no longer matches what its signed history records. Nothing was restored.`);
    await resetDatabase();
    await expectRefused(text, new RegExp(`^Case ${n} in the backup was changed outside Printpath`));
  });
});

describe('attack 6: sealed data swapped between cases', () => {
  it('with only the checksum recomputed: refused on a wiped tablet, which stays empty', async () => {
    const f = json(await exported());
    swapSealed(f);
    const text = JSON.stringify(await rechecksum(f));
    await resetDatabase();
    await expectRefused(text, /signature does not verify/);
    expect(await db.users.count()).toBe(0);
  });

  it('signed again by an admin: refused by the per-case proof on a wiped tablet; the real backup then restores and sign-in works', async () => {
    const good = await exported();
    const f = json(good);
    const [first] = swapSealed(f);
    const text = await forge(f, await userRow(ADMIN));
    await resetDatabase();
    await expectRefused(text, `Case ${first} in the backup does not open with the lab’s data key: the file was altered. Nothing was restored.`);
    expect(await db.users.count()).toBe(0);
    await restore(good);
    await unlock((await userRow(ADMIN)).id, TEST_PIN);
    for (const row of await db.cases.toArray()) expect((await getCase(asCaseId(row.id)))!.record.state).toBe('verified');
  });

  it('signed again by an admin: refused on a tablet in use, and everyone still signs in', async () => {
    const f = json(await exported());
    swapSealed(f);
    await expectRefused(await forge(f, await userRow(ADMIN)), /^Case \S+ in the backup does not open with the lab’s data key/);
    await signInAs(TECH, { force: true });
    await signInAs(ADMIN, { force: true });
    expect(currentUnlock()?.actor.name).toBe(ADMIN);
  });
});

describe('signatures and signers', () => {
  it('a forged signature value is refused', async () => {
    const f = json(await exported());
    const other = json(await exported());
    expect(other.checksum).not.toBe(f.checksum); // the second file holds the first export on its lab log
    f.signature = { ...f.signature, value: other.signature.value }; // a real signature by the same admin, over another file
    await expectRefused(JSON.stringify(f), /^The backup’s signature does not verify/);
  });

  it('a file signed by a technician (not an admin) is refused', async () => {
    const f = json(await exported());
    await expectRefused(await forge(f, await userRow(TECH)), 'The backup is signed by Tess Technician, who is not an active lab admin on its lab log. Nothing was restored.');
  });

  it('a signature naming a key the lab log does not register for the signer is refused', async () => {
    const f = json(await exported());
    const tech = await userRow(TECH);
    f.signature = { ...f.signature, keyFingerprint: tech.signingKeys[0]!.fingerprint };
    await expectRefused(JSON.stringify(f), 'The backup is signed with a key its lab log does not register for Lab Admin: it was edited. Nothing was restored.');
  });

  it('a person whose row was edited (roles) is refused even when the file is signed again', async () => {
    const f = json(await exported());
    f.tables.users.find((u) => u.name === TECH)!.roles = ['technician', 'admin'];
    await expectRefused(await forge(f, await userRow(ADMIN)), /^Tess Technician in the backup does not agree with its signed lab log \(its roles differ/);
  });

  it('a search key that does not open with the data key is refused even when signed again, so every sign-in still works', async () => {
    const f = json(await exported());
    const setting = f.tables.settings.find((x) => x.key === 'searchKey')!;
    const sealed = setting.value as { ct: string };
    setting.value = { ...sealed, ct: (sealed.ct.startsWith('A') ? 'B' : 'A') + sealed.ct.slice(1) };
    const text = await forge(f, f.tables.users.find((u) => u.name === ADMIN)!);
    await resetDatabase();
    await expectRefused(text, 'The backup’s search key does not open with the lab’s data key: the file was altered. Nothing was restored.');
  });

  it('a security policy other than the one its lab log signed is refused even when signed again', async () => {
    await saveSecurityPolicy({ ...DEFAULT_SECURITY_POLICY, idleMinutes: 3 }, TEST_PIN, NOW);
    const f = json(await exported());
    f.tables.settings.find((x) => x.key === 'security')!.value = { ...DEFAULT_SECURITY_POLICY, idleMinutes: 60, maxFailedAttempts: 1000 };
    await expectRefused(await forge(f, await userRow(ADMIN)), 'The backup’s security policy is not the one its lab log records: it was edited. Nothing was restored.');
  });

  it('a history entry whose signature was removed is refused, naming the case', async () => {
    const f = json(await exported());
    const row = f.tables.cases[1]!;
    const entry = f.tables.audit.find((e) => e.chain === row.id && e.seq === 1)!;
    entry.sig = f.tables.audit.find((e) => e.chain === row.id && e.seq === 2)?.sig ?? 'AAAA';
    await expectRefused(await forge(f, await userRow(ADMIN)), new RegExp(`^The history of case ${row.caseNumber} in the backup does not verify \\(entry 1 is not signed by its author’s key on the lab log\\)`));
  });
});

describe('the last entry of a history', () => {
  // A restore checks every entry's signature once (in a pool of workers where there are
  // workers) and proves the record from that check: it does not verify the last entry again.
  it('carrying the signature of another entry is refused on a wiped tablet, naming the case, and nothing is written', async () => {
    const f = json(await exported());
    // A case with more than one entry, so the last is not entry 1 itself.
    const row = f.tables.cases.find((c) => c.auditHead.seq > 1)!;
    const entries = f.tables.audit.filter((e) => e.chain === row.id);
    const last = entries.find((e) => e.seq === row.auditHead.seq)!;
    last.sig = entries.find((e) => e.seq === 1)!.sig;
    const text = await forge(f, await userRow(ADMIN));
    await resetDatabase();
    await expectRefused(text, new RegExp(`^The history of case ${row.caseNumber} in the backup does not verify \\(entry ${last.seq} is not signed by its author’s key on the lab log\\)`));
    expect(await db.users.count()).toBe(0);
  });
});

describe('an entry of a history that does not open', () => {
  it('signed by its author all the same (an insider rewrote the chain) is refused on a wiped tablet, naming the case', async () => {
    const f = json(await exported());
    const signer = entrySigner(currentUnlock()!);
    // A case of three entries or more, so its first entry is neither its last nor the one before.
    const row = f.tables.cases.find((c) => c.auditHead.seq >= 3)!;
    const other = f.tables.cases.find((c) => c.id !== row.id)!;
    const entries = f.tables.audit.filter((e) => e.chain === row.id).sort((a, b) => a.seq - b.seq);
    // Entry 1 gets another case's sealed body: valid ciphertext under the data key, for that other case. The
    // admin signs the whole chain again as its author, with their own entry key on the lab log.
    const foreign = f.tables.audit.find((e) => e.chain === other.id && e.seq === 1)!.body;
    let prev: AuditEntry | null = null;
    const rewritten: AuditEntry[] = [];
    for (const e of entries) {
      prev = await signedEntry(prev, { chain: e.chain, at: e.at, kind: e.kind, body: e.seq === 1 ? foreign : e.body }, signer);
      rewritten.push(prev);
    }
    f.tables.audit = [...f.tables.audit.filter((e) => e.chain !== row.id), ...rewritten];
    row.auditHead = chainHead(prev, row.id);
    const text = await forge(f, await userRow(ADMIN));
    await resetDatabase();
    await expectRefused(text, `The history of case ${row.caseNumber} in the backup does not open with the lab’s data key: the file was altered. Nothing was restored.`);
    expect(await db.users.count()).toBe(0);
  });
});

describe('where a backup may be restored', () => {
  it('a file whose lab root is not the tablet’s is refused on a tablet in use: "comes from another lab log"', async () => {
    const text = await exported();
    const deviceKeyId = json(text).deviceKeyId;
    await resetDatabase();
    await signIn(ADMIN, ['admin']); // a new lab: a new root key
    await db.settings.put({ key: 'deviceKeyId', value: deviceKeyId }); // even with the same tablet key name
    await expectRefused(text, /^This backup comes from another lab log \(root key [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}; this tablet’s is [0-9a-f ]{19}\): restore it onto a wiped tablet instead\. Nothing was restored\.$/);
  });

  it('people this tablet’s lab log does not know cannot be merged into a tablet in use; a wiped tablet takes them', async () => {
    await resetDatabase();
    await signIn(ADMIN, ['admin']);
    await loadDemoCases(2, TEST_PIN, new Date('2026-11-20T10:00:00Z'), 3);
    const older = await exported();
    await signIn('Nina New', ['technician']);
    await signInAs(ADMIN);
    const newer = await exported();
    await resetDatabase();
    await restore(older);
    await signInAs(ADMIN, { force: true });
    await expectRefused(newer, 'The backup has people this tablet’s lab log does not know (Nina New): they cannot be merged into a tablet in use, so restore the backup onto a wiped tablet instead. Nothing was restored.');
    await resetDatabase();
    await restore(newer);
    await signInAs('Nina New', { force: true });
  });

  it('on a wiped tablet: a wrong secret, a person who is not an admin, or no admin at all is refused, and nothing changes', async () => {
    const b = await readBackup(await exported(), null);
    await resetDatabase();
    const before = await dumpDatabase();
    await expect(applyRestore(b, {}, { admin: adminIn(b, ADMIN, '999999') })).rejects.toThrow('Wrong secret for Lab Admin in this backup. Nothing was restored.');
    await expect(applyRestore(b, {}, { admin: adminIn(b, TECH) })).rejects.toThrow('Only a lab admin who is active in the backup can restore it onto a wiped tablet. Nothing was restored.');
    await expect(applyRestore(b, {})).rejects.toThrow(/^Choose a lab admin in the backup and type their secret/);
    expect(await dumpDatabase()).toBe(before);
  });

  it('only a file read and checked here can be restored', async () => {
    const b = await readBackup(await exported(), null);
    await resetDatabase();
    await expect(applyRestore(structuredClone(b), {}, { admin: adminIn(b) })).rejects.toThrow('Check the backup file first: nothing was restored.');
    expect(await db.users.count()).toBe(0);
  });
});
