// Issue 11, attacks 5 and 6: a real backup file, downloaded through the app, edited in
// Node the way anyone holding the file can (the JSON, the counts, and the checksum,
// which is only SHA-256 of the rows as the file holds them), and, for attack 6, signed
// again the way an insider admin with their own PIN can. Each edited file goes back
// through the restore form; the app must refuse it in a sentence and change nothing.
// The same attacks at unit level are in tests/db/backup-trust.test.ts.
import { createHash, webcrypto } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import {
  ADMIN,
  ADMIN_PIN,
  createCase,
  downloadBackup,
  firstRunScreen,
  goHome,
  lockScreen,
  openSection,
  restoreOntoWipedTablet,
  saveStage,
  setUpTablet,
  signIn,
  stageRecord,
} from './support/app';
import { expect, test } from './support/fixtures';

test.describe.configure({ mode: 'parallel' });

const NOT_VERIFIED = 'Does not verify';

// The file as far as the attacks touch it (src/db/backup-format.ts has the full schema).
type Sealed = { v: 1; iv: string; ct: string };
type FileCase = { id: string; caseNumber: string; clear: { stages: { imaging: { values: Record<string, unknown> } } }; sealed: Sealed };
type FileUser = { id: string; name: string; kdf: { salt: string; iterations: number; hash: 'SHA-256' }; wrappedSigningKey: { iv: string; data: string }; signingKeys: { fingerprint: string }[] };
type BackupJson = {
  checksum: string;
  signature: { signerId: string; keyFingerprint: string; value: string };
  tables: { cases: FileCase[]; users: FileUser[] } & Record<string, unknown[]>;
} & Record<string, unknown>;

const subtle = webcrypto.subtle;
const utf8 = (s: string) => new TextEncoder().encode(s);

/** src/domain/canonical.ts canonicalJson: sorted keys, undefined dropped. */
const canonical = (v: unknown): string => {
  const normalize = (x: unknown): unknown => {
    if (x === null || x === undefined) return null;
    if (Array.isArray(x)) return x.map(normalize);
    if (typeof x === 'object') {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(x).sort()) if ((x as Record<string, unknown>)[k] !== undefined) out[k] = normalize((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return JSON.stringify(normalize(v));
};

/** What anyone can recompute (src/db/backup.ts backupChecksum): SHA-256 hex of the rows' JSON as the file holds them. */
function rechecksum(f: BackupJson): BackupJson {
  f.checksum = createHash('sha256').update(JSON.stringify(f.tables)).digest('hex');
  return f;
}

/**
 * What an insider admin can do with the file and their own PIN, offline: open their
 * sign-off key (src/crypto/secret-keys.ts deriveSecretKeys, key-wrap.ts) and sign the
 * edited file's header again (src/db/backup-format.ts backupSigningText).
 */
async function resignAs(f: BackupJson, name: string, pin: string): Promise<BackupJson> {
  const signer = f.tables.users.find((u) => u.name === name)!;
  const password = await subtle.importKey('raw', utf8(pin.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const master = await subtle.deriveBits({ name: 'PBKDF2', salt: Buffer.from(signer.kdf.salt, 'base64'), iterations: signer.kdf.iterations, hash: 'SHA-256' }, password, 256);
  const hkdf = await subtle.importKey('raw', master, 'HKDF', false, ['deriveKey']);
  const kek = await subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8('printpath/v1/key-encryption-key') }, hkdf, { name: 'AES-GCM', length: 256 }, false, ['unwrapKey']);
  const key = await subtle.unwrapKey(
    'pkcs8',
    Buffer.from(signer.wrappedSigningKey.data, 'base64'),
    kek,
    { name: 'AES-GCM', iv: Buffer.from(signer.wrappedSigningKey.iv, 'base64'), additionalData: utf8('printpath/v1/wrapped-signing-key') },
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const by = { signerId: signer.id, keyFingerprint: signer.signingKeys.at(-1)!.fingerprint };
  const text = `printpath/v3/backup\u0000${canonical({
    format: f.format,
    formatVersion: f.formatVersion,
    appVersion: f.appVersion,
    exportedAt: f.exportedAt,
    encrypted: f.encrypted,
    exportedBy: f.exportedBy,
    schemaVersion: f.schemaVersion,
    deviceKeyId: f.deviceKeyId,
    counts: f.counts,
    modelFiles: (f as { modelFiles?: unknown }).modelFiles,
    checksum: f.checksum,
    signerId: by.signerId,
    keyFingerprint: by.keyFingerprint,
  })}`;
  f.signature = { ...by, value: Buffer.from(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, utf8(text))).toString('base64') };
  return f;
}

const readBackupJson = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as BackupJson;

async function saveEdited(testInfo: TestInfo, name: string, f: BackupJson): Promise<string> {
  const path = testInfo.outputPath(name);
  await writeFile(path, JSON.stringify(f));
  return path;
}

/** Every IndexedDB store of the app, as JSON: what "the tablet unchanged" compares. */
const dumpTablet = (page: Page) =>
  page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('printpath');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      const out: Record<string, unknown[]> = {};
      for (const name of Array.from(db.objectStoreNames)) {
        out[name] = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(name).objectStore(name).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });
      }
      return JSON.stringify(out);
    } finally {
      db.close();
    }
  });

const countIn = (page: Page, store: 'users' | 'cases') =>
  page.evaluate(
    (store) =>
      new Promise<number>((resolve, reject) => {
        const r = indexedDB.open('printpath');
        r.onerror = () => reject(r.error);
        r.onsuccess = () => {
          const db = r.result;
          if (!db.objectStoreNames.contains(store)) return (db.close(), resolve(0));
          const c = db.transaction(store).objectStore(store).count();
          c.onsuccess = () => (db.close(), resolve(c.result));
          c.onerror = () => (db.close(), reject(c.error));
        };
      }),
    store,
  );

/** The browser's "clear site data" for the app's origin; resolves on the first-run screen. */
async function wipeTablet(page: Page, context: BrowserContext) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.clearDataForOrigin', { origin: new URL(page.url()).origin, storageTypes: 'all' });
  await cdp.detach();
  await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name))).toEqual([]);
  await page.goto('/');
  await expect(firstRunScreen(page)).toBeVisible();
}

/** Picks a file in the restore form and checks it (no check of the outcome). */
async function checkFile(page: Page, file: string) {
  const restore = page.getByRole('region', { name: 'Restore a backup' });
  await restore.getByLabel('Backup file', { exact: true }).setInputFiles(file);
  await restore.getByRole('button', { name: 'Check the file' }).click();
  return restore;
}

/** A refusal is one sentence a person reads: no schema path, no table or row index. */
function expectPlainWords(text: string) {
  expect(text).not.toMatch(/tables|cases\.\d|\.\d+\.|undefined|\[object/);
}

/** Opens the case of `patient` from the case list; it verifies and its history too. */
async function openVerifiedCase(page: Page, patient: string) {
  await goHome(page);
  await page.getByRole('list', { name: 'Cases' }).getByRole('link').filter({ hasText: patient }).click();
  await expect(page.getByRole('heading', { level: 1, name: patient })).toBeVisible();
  await expect(page.getByRole('article').locator('header').first()).not.toContainText(NOT_VERIFIED);
  await openSection(page, 'History');
  await expect(page.getByRole('region', { name: 'History' }).getByRole('status')).toContainText('Audit chain verified');
}

test('5. a backup forged: a modality edited CT → MR in a case’s clear fields, checksum recomputed, is refused in a sentence on the tablet in use and on a wiped tablet, which stay as they were', async ({ page, context }, testInfo) => {
  test.setTimeout(60_000);
  const PATIENT = 'Edith Modality';
  await setUpTablet(page, { alsoTechnician: true });
  await createCase(page, { patientName: PATIENT, mrn: 'ATK-5501' });
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2025-05-20', 'Accession number': 'ACC-ATK-5501', 'Slice thickness': '0.6' });
  const original = await downloadBackup(page, testInfo.outputPath('printpath-backup.json'), { cases: 1 });

  const f = await readBackupJson(original);
  const imaging = f.tables.cases[0]!.clear.stages.imaging;
  expect(imaging.values.modality).toBe('CT'); // in the clear, as the attacker sees it
  imaging.values = { ...imaging.values, modality: 'MR' };
  const edited = await saveEdited(testInfo, 'modality-edited.json', rechecksum(f));
  const refusal = `The backup’s signature does not verify: the file was edited after ${ADMIN} made it. Nothing was restored. Nothing on this tablet was changed.`;

  // On the tablet in use (Storage & backup is open after the download).
  const before = await dumpTablet(page);
  const restore = await checkFile(page, edited);
  await expect(restore.getByRole('alert')).toHaveText(refusal);
  expectPlainWords(await restore.getByRole('alert').innerText());
  await expect(page.getByRole('region', { name: 'What the restore would do' })).toHaveCount(0);
  expect(await dumpTablet(page)).toBe(before);
  await goHome(page);
  await page.getByRole('list', { name: 'Cases' }).getByRole('link').filter({ hasText: PATIENT }).click();
  await openSection(page, 'Imaging');
  await expect(stageRecord(page, 'Imaging').getByLabel('Modality', { exact: true })).toHaveValue('CT');

  // On a wiped tablet, through the first-run screen: refused before anyone types a PIN; nothing is restored.
  await wipeTablet(page, context);
  const firstRun = await checkFile(page, edited);
  await expect(firstRun.getByRole('alert')).toHaveText(refusal);
  await expect(page.getByRole('region', { name: 'What the restore would do' })).toHaveCount(0);
  await expect(firstRunScreen(page)).toBeVisible();
  await expect(firstRunScreen(page).getByRole('button', { name: 'Create lab admin' })).toBeVisible();
  expect(await countIn(page, 'users')).toBe(0);
  expect(await countIn(page, 'cases')).toBe(0);

  // The untouched file restores: the refusal was the edit's, and the case still says CT.
  await restoreOntoWipedTablet(page, original, { cases: 1 });
  await expect(lockScreen(page)).toBeVisible();
  await signIn(page, ADMIN, ADMIN_PIN);
  await openVerifiedCase(page, PATIENT);
  await openSection(page, 'Imaging');
  await expect(stageRecord(page, 'Imaging').getByLabel('Modality', { exact: true })).toHaveValue('CT');
});

test('6. a crafted backup must not brick a wiped tablet: two cases’ sealed data swapped is refused (checksum recomputed: by the signature; signed again by an insider admin: naming the case), and the tablet then restores the real file and every case opens', async ({ page, context }, testInfo) => {
  test.setTimeout(75_000);
  const PATIENTS = ['Felix Swapped', 'Greta Swapped'];
  await setUpTablet(page, { alsoTechnician: true });
  for (const [i, patientName] of PATIENTS.entries()) await createCase(page, { patientName, mrn: `ATK-660${i}` });
  const original = await downloadBackup(page, testInfo.outputPath('printpath-backup.json'), { cases: 2 });

  const f = await readBackupJson(original);
  const [a, b] = f.tables.cases;
  expect(a!.sealed).not.toEqual(b!.sealed);
  [a!.sealed, b!.sealed] = [b!.sealed, a!.sealed];
  const checksummed = await saveEdited(testInfo, 'sealed-swapped.json', rechecksum(f));
  const resigned = await saveEdited(testInfo, 'sealed-swapped-resigned.json', await resignAs(f, ADMIN, ADMIN_PIN));

  await wipeTablet(page, context);
  const preview = page.getByRole('region', { name: 'What the restore would do' });

  // Checksum recomputed only: the admin's signature over the checksum no longer verifies.
  const restore = await checkFile(page, checksummed);
  await expect(restore.getByRole('alert')).toHaveText(`The backup’s signature does not verify: the file was edited after ${ADMIN} made it. Nothing was restored. Nothing on this tablet was changed.`);
  await expect(preview).toHaveCount(0);

  // Signed again by the admin (their own PIN opens their key): the file reads, and the restore proves every case first.
  await checkFile(page, resigned);
  await expect(preview).toContainText('2 new');
  await expect(preview).toContainText(`Signed by${ADMIN}`);
  await preview.getByLabel('Lab admin restoring it').selectOption({ label: ADMIN });
  await preview.getByLabel('Their PIN or passphrase').fill(ADMIN_PIN);
  await preview.getByRole('button', { name: 'Restore', exact: true }).click();
  await expect(preview.getByRole('alert')).toHaveText(`Case ${a!.caseNumber} in the backup does not open with the lab’s data key: the file was altered. Nothing was restored.`);
  expectPlainWords(await preview.getByRole('alert').innerText());
  await expect(firstRunScreen(page)).toBeVisible();
  expect(await countIn(page, 'users')).toBe(0);
  expect(await countIn(page, 'cases')).toBe(0);

  // The tablet is not bricked: the untouched file restores, the admin signs in, and every case opens and verifies.
  await restoreOntoWipedTablet(page, original, { cases: 2 });
  await expect(lockScreen(page)).toBeVisible();
  await signIn(page, ADMIN, ADMIN_PIN);
  for (const patient of PATIENTS) await openVerifiedCase(page, patient);
});
