import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SYNC_STATE } from '../../src/db/sync-state';
import { applyRestore, backupChecksum, exportBackup, previewRestore, readBackup } from '../../src/db/backup';
import { getCase } from '../../src/db/case-view-repo';
import { listCases } from '../support/list';
import { runCommand } from '../../src/db/case-commands';
import { db, durableDb } from '../../src/db/database';
import { loadDemoCases } from '../../src/db/demo-repo';
import { readLabHistory } from '../../src/db/audit-repo';
import { signIn as unlock } from '../../src/db/accounts';
import { indexingSettled } from '../../src/db/derived-index';
import { canonicalJson } from '../../src/domain/canonical';
import { PBKDF2_ITERATIONS } from '../../src/crypto/secret-keys';
import { asCaseId } from '../../src/domain/ids';
import { dumpDatabase } from '../support/db-dump';
import { ADMIN, resetDatabase, signIn, TEST_PIN } from '../support/render-app';
import { adminIn } from '../support/backup-files';

const filter = { search: '', status: 'all', overdueOnly: false, today: '2026-11-27' };

async function allCases() {
  const items = await listCases(filter);
  return Promise.all(items.map(async (i) => (await getCase(i.id))!));
}

const wipe = resetDatabase;

async function signInAgain(name = ADMIN) {
  const user = (await db.users.where('name').equals(name).first())!;
  await unlock(user.id, TEST_PIN);
  await indexingSettled();
}

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await loadDemoCases(6, TEST_PIN, new Date('2026-11-20T10:00:00Z'));
});

describe('backup and restore', () => {
  it('never carries this device’s lab-server credential, and a file that does is restored without it', async () => {
    const credential = 'device-credential-that-must-not-travel-0123456789';
    await durableDb.settings.put({ key: SYNC_STATE, value: { labId: 'l', deviceId: 'd', deviceName: 'Bench tablet', credential, cursor: 0, deviceSeq: 0, lastSyncedAt: null, pushed: {} } });
    const file = await exportBackup(null, TEST_PIN);
    expect(await file.blob.text()).not.toContain(credential);
    const backup = await readBackup(await file.blob.text(), null);
    backup.tables.settings.push({ key: SYNC_STATE, value: { credential } });
    await wipe();
    await applyRestore(backup, {}, { admin: adminIn(backup) });
    expect(await durableDb.settings.get(SYNC_STATE)).toBeUndefined();
  });

  it('a wiped tablet restored from a backup has every case, history, signature and person back', async () => {
    const before = await allCases();
    const file = await exportBackup(null, TEST_PIN);
    expect(file.counts.cases).toBe(6);
    expect((await file.blob.text())).not.toContain(before[0]!.case.phi.patientName); // PHI stays sealed in the file

    await wipe();
    const backup = await readBackup((await file.blob.text()), null);
    expect(await previewRestore(backup)).toMatchObject({ tabletIsEmpty: true, newCases: 6, identicalCases: 0, differing: [] });
    await applyRestore(backup, {}, { admin: adminIn(backup) });
    await signInAgain();
    const after = await allCases();
    expect(canonicalJson(after)).toBe(canonicalJson(before));
    // The demo mark comes back with the rows: on every demo case, and on both demo people.
    expect(after.every((c) => c.case.demo)).toBe(true);
    expect((await db.users.toArray()).filter((u) => u.demo).map((u) => u.name).sort()).toEqual(['Alex Morgan', 'Dr. Priya Raman']);
    for (const c of after) {
      expect(c.history.ok).toBe(true);
      for (const check of Object.values(c.signatures)) expect(check).toBe('verified');
    }
  });

  it('a passphrase seals the whole file; a wrong passphrase is refused and changes nothing', async () => {
    const file = await exportBackup('correct horse battery staple', TEST_PIN);
    expect((await file.blob.text())).not.toContain('"cases"');
    const before = await dumpDatabase();
    await expect(readBackup((await file.blob.text()), 'wrong passphrase here')).rejects.toThrow('Wrong passphrase for this backup');
    await expect(readBackup((await file.blob.text()), null)).rejects.toThrow(/protected by a passphrase/);
    expect(await dumpDatabase()).toBe(before);
    await expect(readBackup((await file.blob.text()), 'correct horse battery staple')).resolves.toMatchObject({ counts: { cases: 6 } });
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, t.length / 2), /damaged, truncated or not a backup/],
    ['not a backup', () => '{"hello":"world"}', /not a Printpath backup/],
    ['from a newer app', (t: string) => t.replace('"formatVersion":3', '"formatVersion":4'), /newer version of Printpath/],
    ['hand-edited (a case field)', (t: string) => t.replace(/"dateNeeded":"(\d{4})/, '"dateNeeded":"1999'), /checksum does not match/],
    ['missing its people', (t: string) => t.replace(/"users":\[.*?\],"settings"/, '"users":[],"settings"'), /no people/],
  ])('refuses a file that is %s, with a clear message, and changes nothing', async (_name, mutate, message) => {
    const file = await exportBackup(null, TEST_PIN);
    const before = await dumpDatabase();
    await expect(readBackup(mutate((await file.blob.text())), null)).rejects.toThrow(message);
    expect(await dumpDatabase()).toBe(before);
  });

  it('refuses an edited audit trail even when the checksum was recomputed', async () => {
    const file = JSON.parse(await (await exportBackup(null, TEST_PIN)).blob.text());
    file.tables.audit[3].actorName = 'Someone Else';
    file.checksum = await backupChecksum(JSON.stringify(file.tables));
    await expect(readBackup(JSON.stringify(file), null)).rejects.toThrow(/does not verify \(entry \d+ was altered\)/);
  });

  it('checks the checksum over the rows’ bytes as the file holds them, without writing the rows again', async () => {
    const bytes = new Uint8Array(await (await exportBackup(null, TEST_PIN)).blob.arrayBuffer());
    const rowsLength = bytes.length - new TextDecoder().decode(bytes).indexOf(',"tables":') - 11;
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      const read = await readBackup(new Blob([bytes]), null);
      expect(read.tables.cases).toHaveLength(6);
      const longest = Math.max(...stringify.mock.results.map((r) => (typeof r.value === 'string' ? r.value.length : 0)));
      expect(longest).toBeLessThan(rowsLength / 4);
    } finally {
      stringify.mockRestore();
    }
  });

  it('still reads a file laid out otherwise (indented, a line break at the end), and refuses one changed byte in its rows', async () => {
    const text = await (await exportBackup(null, TEST_PIN)).blob.text();
    const indented = `${JSON.stringify(JSON.parse(text), null, 2)}\n`;
    expect((await readBackup(indented, null)).tables.cases).toHaveLength(6);
    expect((await readBackup(`${text}\n`, null)).tables.audit.length).toBeGreaterThan(6);
    const at = text.indexOf('"ct":"', text.indexOf(',"tables":')) + 6;
    const changed = `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    await expect(readBackup(changed, null)).rejects.toThrow('The backup was edited or damaged after it was made: its checksum does not match. Nothing was restored.');
    const bytes = new TextEncoder().encode(text);
    bytes[at] = 0xff; // not UTF-8
    await expect(readBackup(new Blob([bytes]), null)).rejects.toThrow('This file is not a complete Printpath backup: it is damaged, truncated or not a backup at all.');
  });

  it('names what is damaged in words a person knows: no schema path, no zod English', async () => {
    const file = JSON.parse(await (await exportBackup(null, TEST_PIN)).blob.text());
    const refusal = async (edit: (f: typeof file) => void) => {
      const f = structuredClone(file);
      edit(f);
      f.checksum = await backupChecksum(JSON.stringify(f.tables));
      const e = await readBackup(JSON.stringify(f), null).then(() => null, (err: unknown) => err);
      expect(e).toBeInstanceOf(Error);
      const message = (e as Error).message;
      expect(message).not.toMatch(/\w+\.\d+\./);
      expect(message).not.toMatch(/Invalid input|expected \w+, received|Too (small|big)|tables|actorName/);
      return message;
    };
    expect(await refusal((f) => (f.tables.audit[5].actorName = 42))).toBe(
      'The backup is damaged or was edited: audit entry 6 has a damaged field (actor name). Nothing was restored.',
    );
    expect(await refusal((f) => delete f.tables.cases[0].caseNumber)).toBe(
      'The backup is damaged or was edited: case 1 has a damaged field (case number). Nothing was restored.',
    );
    expect(await refusal((f) => (f.tables.users[0].wrappedDataKey = null))).toMatch(/^The backup is damaged or was edited: person 1 has a damaged field \(locked data key\)\./);
    expect(await refusal((f) => (f.tables.printers = 'none'))).toMatch(/the list of printers is damaged/);
    expect(await refusal((f) => (f.tables.materials = [7]))).toMatch(/material 1 is damaged/);
    expect(await refusal((f) => (f.exportedAt = 'yesterday'))).toMatch(/its export time is damaged/);
  });

  it('refuses a backup that claims fewer key-stretching rounds than this app writes, and changes nothing', async () => {
    const file = JSON.parse(await (await exportBackup(null, TEST_PIN)).blob.text());
    const sealed = JSON.parse(await (await exportBackup('correct horse battery staple', TEST_PIN)).blob.text());
    file.tables.users[0].kdf.iterations = PBKDF2_ITERATIONS - 1;
    file.checksum = await backupChecksum(JSON.stringify(file.tables));
    sealed.kdf.iterations = PBKDF2_ITERATIONS - 1;
    const before = await dumpDatabase();
    await expect(readBackup(JSON.stringify(file), null)).rejects.toThrow(
      `The backup is damaged or was edited: person 1 uses fewer key-stretching rounds than this app allows (at least ${PBKDF2_ITERATIONS.toLocaleString('en-US')}). Nothing was restored.`,
    );
    await expect(readBackup(JSON.stringify(sealed), 'correct horse battery staple')).rejects.toThrow(/its passphrase protection uses fewer key-stretching rounds than this app allows/);
    expect(await dumpDatabase()).toBe(before);
  });

  it.each([1, 2])('refuses a backup of format %i (made before backups were signed) with a sentence, and changes nothing', async (version) => {
    const file = JSON.parse(await (await exportBackup(null, TEST_PIN)).blob.text());
    const { sha256Hex } = await import('../../src/domain/canonical');
    delete file.signature;
    const old = { ...file, formatVersion: version, checksum: version === 1 ? sha256Hex(canonicalJson(file.tables)) : await backupChecksum(JSON.stringify(file.tables)) };
    const sealed = { ...JSON.parse(await (await exportBackup('correct horse battery staple', TEST_PIN)).blob.text()), formatVersion: version };
    const before = await dumpDatabase();
    const sentence = `This backup was made before Printpath signed its backups (backup format ${version}), so it cannot be proven unedited and this version does not restore it. Nothing was restored.`;
    await expect(readBackup(JSON.stringify(old), null)).rejects.toThrow(sentence);
    await expect(readBackup(JSON.stringify(sealed), 'correct horse battery staple')).rejects.toThrow(sentence);
    expect(await dumpDatabase()).toBe(before);
  });

  it('never silently replaces a case that differs: the admin chooses, and the choice is on the audit trail', async () => {
    const file = await exportBackup(null, TEST_PIN);
    const [first, second] = await listCases({ ...filter, status: 'open' });
    for (const id of [first!.id, second!.id]) await runCommand(id, { type: 'cancel', reason: 'Changed after the backup' });
    const backup = await readBackup((await file.blob.text()), null);
    const preview = await previewRestore(backup);
    expect(preview).toMatchObject({ newCases: 0, identicalCases: 4 });
    expect(first && second).toBeTruthy();
    expect(preview.differing.map((d) => d.id).sort()).toEqual([first!.id, second!.id].sort());

    const before = await dumpDatabase();
    await expect(applyRestore(backup, {})).rejects.toThrow(/Choose what to keep for 2 cases/);
    expect(await dumpDatabase()).toBe(before);

    await applyRestore(backup, { [first!.id]: 'backup', [second!.id]: 'tablet' });
    const taken = (await getCase(first!.id))!;
    const kept = (await getCase(second!.id))!;
    expect(taken.case.cancelled).toBeNull();
    expect(kept.case.cancelled?.reason).toBe('Changed after the backup');
    expect(taken.history.ok).toBe(true);
    expect(taken.events.map((e) => e.type).slice(-2)).toEqual(['cancel', 'restore']); // nothing of the tablet's history is lost
    const lab = await readLabHistory();
    expect(lab.entries.at(-1)?.body.summary).toMatch(/1 replaced by the backup's copy .*1 kept as on the tablet/);
  });

  it('refuses a backup from another tablet (other data key) on a tablet in use', async () => {
    const file = await exportBackup(null, TEST_PIN);
    await wipe();
    await signIn('Other Admin', ['admin']);
    const before = await dumpDatabase();
    await expect(previewRestore(await readBackup((await file.blob.text()), null))).rejects.toThrow(/another tablet/);
    expect(await dumpDatabase()).toBe(before);
    await runCommand(null, { type: 'create', id: asCaseId(crypto.randomUUID()), input: (await import('../support/orders')).order() });
  });
});
