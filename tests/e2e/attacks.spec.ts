// Issue 11: the attacks someone in the lab with the tablet unlocked and the browser's
// developer tools open would make, straight on IndexedDB ("printpath": users, cases,
// audit, settings), in the built app. Each test makes one attack with the raw IDB API
// and Web Crypto in the page (the app's own code is minified and out of reach), then
// reads what the screen and the PDF say: anything but "does not verify" fails.
// The same attacks at unit level are in tests/db/trust-attacks.test.ts.
// Attacks 5 and 6 edit a downloaded backup file instead: tests/e2e/backup-attacks.spec.ts.
import type { Page, TestInfo } from '@playwright/test';
import {
  ADMIN,
  ADMIN_PIN,
  createCase,
  enterPin,
  escapeRegExp,
  exportPdf,
  lockScreen,
  lockTablet,
  openAdmin,
  openSection,
  recordPartQa,
  personRow,
  saveStage,
  setUpLab,
  signIn,
  signoffPanel,
  signStage,
  switchUser,
  tickAll,
  type Person,
} from './support/app';
import { expect, test } from './support/fixtures';
import { pdfText } from './support/pdf';

test.describe.configure({ mode: 'parallel' });

const TECH: Person = { name: 'Tomasz Wiśniewski', roles: ['Lab technician'], pin: '583014' };
const RAD: Person = { name: 'Dr. Leila Haddad', roles: ['Radiologist'], pin: '692417' };
const ACCESSION = 'ACC-ATK-4401';
const MODEL = 'Mandible with tumour margin';
const NOT_VERIFIED = 'Does not verify — do not bill from this record';
const CODE = /\b0\d{3}T\b/;

/**
 * The attacker's toolkit, installed in every page before the app loads: raw IndexedDB,
 * the canonical JSON of src/domain/canonical.ts (sorted keys, undefined dropped) and
 * SHA-256, base64, and P-256 signing with Web Crypto. Self-contained: it runs as page source.
 */
const attackerKit = () => {
  const req = <T>(r: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  const open = () => req(indexedDB.open('printpath'));
  const normalize = (v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.map(normalize);
    if (typeof v === 'object') {
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const k of Object.keys(v).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== undefined) out[k] = normalize(x);
      }
      return out;
    }
    return v;
  };
  const canonical = (v: unknown) => JSON.stringify(normalize(v));
  const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
  const sha256Hex = async (text: string) => hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
  const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  return {
    canonical,
    sha256Hex,
    toB64,
    fromB64,
    async getAll<T>(store: string, range?: IDBKeyRange): Promise<T[]> {
      const db = await open();
      try {
        return (await req(db.transaction(store).objectStore(store).getAll(range))) as T[];
      } finally {
        db.close();
      }
    },
    async get<T>(store: string, key: IDBValidKey): Promise<T> {
      const db = await open();
      try {
        return (await req(db.transaction(store).objectStore(store).get(key))) as T;
      } finally {
        db.close();
      }
    },
    /** Deletes `remove` keys, then puts `rows`, in one transaction. */
    async write(store: string, rows: unknown[], remove: IDBValidKey[] = []): Promise<void> {
      const db = await open();
      try {
        const tx = db.transaction(store, 'readwrite');
        const s = tx.objectStore(store);
        for (const k of remove) s.delete(k);
        for (const r of rows) s.put(r);
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } finally {
        db.close();
      }
    },
    /** src/domain/audit-chain.ts entryHash. */
    entryHash(e: Record<string, unknown>) {
      const { chain, seq, at, actorId, actorName, kind, body, prevHash, v, id, parents, hlc, keyId } = e;
      return sha256Hex(canonical({ chain, seq, at, actorId, actorName, kind, body, prevHash, v, id, parents, hlc, keyId }));
    },
    /** src/domain/workflow.ts signatureText. */
    signatureText(caseId: string, stage: string, s: Record<string, unknown>) {
      const { signerId, signerName, role, meaning, signedAt, contentHash } = s;
      return canonical({ caseId, stage, signerId, signerName, role, meaning, signedAt, contentHash });
    },
    /** A P-256 key pair of the attacker's own: the public half as a minimal JWK, its fingerprint (domain/lab-log.ts keyFingerprint). */
    async newKeyPair() {
      const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
      const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
      const publicKeyJwk = { kty: kty!, crv: crv!, x: x!, y: y! };
      return { privateKey: pair.privateKey, publicKeyJwk, fingerprint: await sha256Hex(JSON.stringify({ crv, kty, x, y })) };
    },
    async sign(privateKey: CryptoKey, text: string) {
      return toB64(new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(text))));
    },
  };
};
type Kit = ReturnType<typeof attackerKit>;

// The stored rows as far as the attacks touch them (src/db/database.ts has the full types).
type Signature = { signerId: string; signerName: string; role: string; meaning: string; signedAt: string; contentHash: string; keyFingerprint: string; value: string };
type StageRecord = { values: Record<string, unknown>; checklist: Record<string, { done: boolean } | undefined>; perDeliverable: Record<string, Record<string, unknown>>; signature: Signature };
type CaseRow = { id: string; clear: { stages: Record<'imaging' | 'delivery', StageRecord> }; auditHead: { seq: number; hash: string; chain?: string } };
type UserRow = { id: string; name: string; roles: string[]; createdAt: string; signingKeys: { fingerprint: string; publicKeyJwk: JsonWebKey; createdAt: string }[] };
type AuditRow = { chain: string; seq: number; kind: string; hash: string; prevHash: string; parents?: string[] } & Record<string, unknown>;
declare global {
  interface Window {
    attack: Kit;
  }
}

test.beforeEach(async ({ page }) => {
  await page.addInitScript({ content: `window.attack = (${attackerKit.toString()})();` });
});

const caseIdOf = (page: Page) => /\/cases\/([0-9a-f-]{36})$/.exec(page.url())![1]!;

/** The admin sets up a lab with the technician and the radiologist; a case whose imaging the radiologist signed; the technician signed in. */
async function signedImagingCase(page: Page, patientName: string, models: Parameters<typeof createCase>[1]['models'] = []) {
  await setUpLab(page, [TECH, RAD], TECH);
  await createCase(page, { patientName, mrn: `ATK-${patientName.length}`, models });
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2025-05-20', 'Accession number': ACCESSION, 'Slice thickness': '0.6' });
  await tickAll(page, ['Study retrieved from PACS', 'Image quality adequate for segmentation']);
  await switchUser(page, RAD.name, RAD.pin);
  await signStage(page, 'Imaging', RAD.name, RAD.pin);
  await switchUser(page, TECH.name, TECH.pin);
  return caseIdOf(page);
}

/** A page load locks the tablet (keys live in memory only): the attacker opens the case again and signs back in to see what the app makes of it. */
async function reloadAndSignIn(page: Page, who: Person, caseId: string) {
  await page.goto(`/cases/${caseId}`);
  await expect(lockScreen(page)).toBeVisible();
  await signIn(page, who.name, who.pin);
}

async function pdfOf(page: Page, testInfo: TestInfo): Promise<string> {
  await openSection(page, 'Codes & PDF');
  const download = await exportPdf(page);
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  return pdfText(path);
}

const caseHeader = (page: Page) => page.getByRole('article').locator('header').first();

/** The screen says the record does not verify and offers nothing to bill. */
async function screenSaysNotVerified(page: Page) {
  await expect(caseHeader(page)).toContainText(NOT_VERIFIED);
  await expect(caseHeader(page)).not.toContainText('Ready for billing');
  await expect(page.getByRole('alert', { name: 'Record does not verify' })).toContainText('THIS RECORD DOES NOT VERIFY.');
  await openSection(page, 'Codes & PDF');
  const codes = page.getByRole('region', { name: 'Suggested CPT codes' });
  await expect(codes.getByRole('alert')).toContainText(NOT_VERIFIED);
  await expect(codes.getByText('No code suggested — the record does not verify', { exact: true })).toBeVisible();
  await expect(codes.getByRole('rowheader')).toHaveCount(0);
  await expect(codes.getByRole('button', { name: 'Close case for billing' })).toBeDisabled();
}

/** The PDF says so too, and bills nothing. */
function pdfSaysNotVerified(text: string) {
  expect(text).toContain('THIS RECORD DOES NOT VERIFY');
  expect(text).toContain(`Status ${NOT_VERIFIED}`);
  expect(text).toContain('No code suggested — the record does not verify');
  expect(text).not.toContain('Ready for billing');
  expect(text).not.toMatch(CODE);
}

async function labRootOnAdminPage(page: Page): Promise<string> {
  await openAdmin(page);
  return page.getByRole('region', { name: 'Lab root key' }).getByText(/^[0-9a-f]{64}$/).innerText();
}

const short = (root: string) => (root.slice(0, 16).match(/.{4}/g) ?? []).join(' ');

test('1. a radiologist’s signature forged with a key the technician added to the radiologist’s row does not verify, on screen or in the PDF', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  const caseId = await signedImagingCase(page, 'Jonas Forgery');
  await switchUser(page, ADMIN, ADMIN_PIN);
  const rootBefore = await labRootOnAdminPage(page);
  await switchUser(page, TECH.name, TECH.pin);

  // The technician, at the tablet: their own key on the radiologist's row; CT → MR, 0.6 → 5 mm, signed with that key.
  const forged = await page.evaluate(
    async ({ caseId, radName, accession }) => {
      const k = window.attack;
      const pair = await k.newKeyPair();
      const rad = (await k.getAll<UserRow>('users')).find((u) => u.name === radName)!;
      rad.signingKeys = [...rad.signingKeys, { fingerprint: pair.fingerprint, publicKeyJwk: pair.publicKeyJwk, createdAt: rad.createdAt }];
      await k.write('users', [rad]);

      const row = await k.get<CaseRow>('cases', caseId);
      const imaging = row.clear.stages.imaging;
      // What the signature covers (workflow.ts signedContent): the signed fields, the accession number (sealed, but the technician typed it) and the checklist.
      const content = (values: Record<string, unknown>) => ({
        caseId,
        stage: 'imaging',
        values: { modality: values.modality, studyDate: values.studyDate, accessionNumber: accession, sliceThicknessMm: values.sliceThicknessMm, contrastPhase: values.contrastPhase ?? null, imagingNotes: null },
        checklist: { studyRetrieved: imaging.checklist.studyRetrieved?.done ?? false, qualityAdequate: imaging.checklist.qualityAdequate?.done ?? false },
        // Signed-content version 2 (files) names itself; imaging covers no files.
        ...((imaging.signature as { contentVersion?: number }).contentVersion === 2 ? { contentVersion: 2 } : {}),
      });
      const genuine = imaging.signature;
      const reproduced = (await k.sha256Hex(k.canonical(content(imaging.values)))) === genuine.contentHash;

      imaging.values = { ...imaging.values, modality: 'MR', sliceThicknessMm: 5 };
      const manifest = { ...genuine, contentHash: await k.sha256Hex(k.canonical(content(imaging.values))), keyFingerprint: pair.fingerprint };
      imaging.signature = { ...manifest, value: await k.sign(pair.privateKey, k.signatureText(caseId, 'imaging', manifest)) };
      await k.write('cases', [row]);
      return { reproduced, signerName: genuine.signerName };
    },
    { caseId, radName: RAD.name, accession: ACCESSION },
  );
  // The forgery is a good one: the attacker's hash of the signed content is the app's.
  expect(forged).toEqual({ reproduced: true, signerName: RAD.name });

  await reloadAndSignIn(page, TECH, caseId);
  await screenSaysNotVerified(page);
  await openSection(page, 'Imaging');
  const panel = signoffPanel(page);
  await expect(panel.getByRole('alert')).toContainText('SIGNATURE DOES NOT VERIFY — not counted');
  await expect(panel.getByRole('alert')).toContainText(`not made with a key the lab log registers for ${RAD.name}`);
  await expect(panel.getByLabel('Signature', { exact: true })).toHaveCount(0);
  await expect(page.getByText('Imaging is complete.')).toBeHidden();

  const text = await pdfOf(page, testInfo);
  pdfSaysNotVerified(text);
  expect(text).toContain('SIGNATURE DOES NOT VERIFY');
  expect(text).not.toContain(`Signed by ${RAD.name}`);
  expect(text).not.toContain('Signed by');

  // The people page names the tampered row; the lab log itself was not touched, and its root is the same one the PDF prints.
  await goAdmin(page);
  await expect(personRow(page, RAD.name)).toContainText('Does not verify');
  await expect(personRow(page, RAD.name)).toContainText('sign-off keys differ from the lab’s signed log');
  await expect(personRow(page, TECH.name)).not.toContainText('Does not verify');
  await expect(page.getByRole('region', { name: 'Lab audit trail' }).getByRole('status')).toContainText('Lab log verified');
  const rootAfter = await labRootOnAdminPage(page);
  expect(rootAfter).toBe(rootBefore);
  expect(text).toContain(`Lab root key ${short(rootAfter)}`);
  await expect(page.getByRole('region', { name: 'Lab root key' })).toContainText(`Lab root key: ${short(rootAfter)} …`);

  // Nor can the radiologist sign in on the tampered row (they would be signing with a row that lies).
  await lockTablet(page);
  await expect(lockScreen(page).getByRole('button', { name: new RegExp(`^${escapeRegExp(RAD.name)} `) })).toContainText('does not verify');
});

async function goAdmin(page: Page) {
  await switchUser(page, ADMIN, ADMIN_PIN);
  await openAdmin(page);
}

test('2. roles added to one’s own row in storage give nothing: the sign-in is refused in words, and the admin sees the row does not verify', async ({ page }) => {
  await setUpLab(page, [TECH], TECH);
  await page.evaluate(async (name) => {
    const k = window.attack;
    const me = (await k.getAll<UserRow>('users')).find((u) => u.name === name)!;
    me.roles = [...me.roles, 'radiologist', 'admin'];
    await k.write('users', [me]);
  }, TECH.name);

  await page.reload();
  const screen = lockScreen(page);
  await expect(screen).toBeVisible();
  await expect(screen.getByRole('button', { name: new RegExp(`^${escapeRegExp(TECH.name)} `) })).toContainText('does not verify');
  // The tablet offers no way in: the technician's sign-in is refused with a sentence, and no admin page opens.
  await enterPin(page, TECH.name, TECH.pin);
  await expect(screen.getByRole('alert')).toHaveText(`${TECH.name}’s entry on this tablet does not verify: its roles differ from the lab’s signed log. It was changed outside Printpath; a lab admin must restore it from a backup.`);
  await expect(page.getByRole('link', { name: 'People & security' })).toHaveCount(0);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Lock / switch user' })).toHaveCount(0);

  // The real admin: the row does not verify, and the roles shown are the ones the lab log gave.
  await signIn(page, ADMIN, ADMIN_PIN);
  await openAdmin(page);
  const row = personRow(page, TECH.name);
  await expect(row).toContainText('Does not verify');
  await expect(row).toContainText('roles differ from the lab’s signed log');
  await expect(row).toContainText(`${TECH.name} — Lab technician`);
  await expect(row).not.toContainText('Radiologist');
  await expect(row).not.toContainText('Lab admin');
});

test.describe('3. a stored sign-off altered', () => {
  test('one byte of the signature flipped: it does not verify, on screen or in the PDF', async ({ page }, testInfo) => {
    const caseId = await signedImagingCase(page, 'Ada Bitflip');
    await page.evaluate(async (caseId) => {
      const k = window.attack;
      const row = await k.get<CaseRow>('cases', caseId);
      const sig = k.fromB64(row.clear.stages.imaging.signature.value);
      sig[20] = sig[20]! ^ 0x01;
      row.clear.stages.imaging.signature.value = k.toB64(sig);
      await k.write('cases', [row]);
    }, caseId);

    await reloadAndSignIn(page, TECH, caseId);
    await screenSaysNotVerified(page);
    await openSection(page, 'Imaging');
    await expect(signoffPanel(page).getByRole('alert')).toContainText('SIGNATURE DOES NOT VERIFY — not counted');
    await expect(signoffPanel(page).getByRole('alert')).toContainText(`does not match ${RAD.name}’s registered sign-off key`);
    await expect(signoffPanel(page).getByLabel('Signature', { exact: true })).toHaveCount(0);

    const text = await pdfOf(page, testInfo);
    pdfSaysNotVerified(text);
    expect(text).toContain('SIGNATURE DOES NOT VERIFY');
    expect(text).not.toContain('Signed by');
  });

  test('the signer changed to a lab admin: it does not verify, and the PDF does not say the admin signed', async ({ page }, testInfo) => {
    const caseId = await signedImagingCase(page, 'Bruno Swapped');
    await page.evaluate(
      async ({ caseId, admin }) => {
        const k = window.attack;
        const adminRow = (await k.getAll<UserRow>('users')).find((u) => u.name === admin)!;
        const row = await k.get<CaseRow>('cases', caseId);
        row.clear.stages.imaging.signature = { ...row.clear.stages.imaging.signature, signerId: adminRow.id, signerName: adminRow.name };
        await k.write('cases', [row]);
      },
      { caseId, admin: ADMIN },
    );

    await reloadAndSignIn(page, TECH, caseId);
    await screenSaysNotVerified(page);
    await openSection(page, 'Imaging');
    await expect(signoffPanel(page).getByRole('alert')).toContainText('SIGNATURE DOES NOT VERIFY — not counted');
    await expect(signoffPanel(page).getByRole('alert')).toContainText(`${ADMIN} has never held the role Radiologist`);
    await expect(signoffPanel(page).getByLabel('Signature', { exact: true })).toHaveCount(0);

    const text = await pdfOf(page, testInfo);
    pdfSaysNotVerified(text);
    expect(text).toContain('SIGNATURE DOES NOT VERIFY');
    expect(text).not.toContain(`Signed by ${ADMIN}`);
    expect(text).not.toContain('Signed by');
  });
});

test('4. a case’s audit chain rebuilt without its sign entry (links, hashes and head recomputed) does not verify: not signed by its author’s key', async ({ page }, testInfo) => {
  const caseId = await signedImagingCase(page, 'Clara Rebuilt');
  // A later change, so the sign entry has entries after it.
  await openSection(page, 'Segmenting');
  await saveStage(page, 'Segmenting', { 'Segmentation software': 'Materialise Mimics' });

  const rebuilt = await page.evaluate(async (caseId) => {
    const k = window.attack;
    const range = IDBKeyRange.bound([caseId, 0], [caseId, Infinity]);
    const entries = await k.getAll<AuditRow>('audit', range);
    // The attacker's hashing is the app's: every stored entry hashes to its stored hash.
    const reproduced = (await Promise.all(entries.map(async (e) => (await k.entryHash(e)) === e.hash))).every(Boolean);
    const signAt = entries.findIndex((e) => e.kind === 'sign');
    const out: AuditRow[] = [];
    for (const e of entries.filter((_, i) => i !== signAt)) {
      const prevHash = out.at(-1)?.hash ?? '0'.repeat(64);
      const moved = { ...e, seq: out.length + 1, prevHash, parents: [prevHash] };
      out.push({ ...moved, hash: await k.entryHash(moved) });
    }
    await k.write('audit', out, entries.map((e) => [e.chain, e.seq]));
    const row = await k.get<CaseRow>('cases', caseId);
    const last = out.at(-1)!;
    row.auditHead = { seq: last.seq, hash: last.hash, chain: caseId };
    await k.write('cases', [row]);
    return { reproduced, before: entries.length, signAt: signAt + 1, after: out.length };
  }, caseId);
  expect(rebuilt.reproduced).toBe(true);
  expect(rebuilt.signAt).toBeGreaterThan(0);
  expect(rebuilt.signAt).toBeLessThan(rebuilt.before);
  expect(rebuilt.after).toBe(rebuilt.before - 1);

  await reloadAndSignIn(page, TECH, caseId);
  await openSection(page, 'History');
  const history = page.getByRole('region', { name: 'History' });
  await expect(history.getByRole('alert').first()).toContainText(`Audit chain broken at entry ${rebuilt.signAt}: entry ${rebuilt.signAt} is not signed by its author’s key on the lab log`);
  await expect(history.getByText(/^Audit chain verified/)).toHaveCount(0);
  await expect(page.getByRole('alert', { name: 'Record does not verify' })).toContainText('THIS RECORD DOES NOT VERIFY.');

  const text = await pdfOf(page, testInfo);
  expect(text).toContain('THIS RECORD DOES NOT VERIFY');
  expect(text).toMatch(/Audit chain DOES NOT VERIFY — Audit chain broken at entry \d+: entry \d+ is not signed by its author’s key on the lab log/);
  expect(text).not.toContain('Audit chain verified');
});

test('7. “used in care” set from no to yes in storage on a delivered case: does not verify, do not bill, no codes, on screen and in the PDF', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const caseId = await signedImagingCase(page, 'Dmitri Billed', [{ name: MODEL, components: [{ structure: 'Mandible', colour: 'Bone white', material: 'VeroWhite' }] }]);
  await openSection(page, 'Segmenting');
  await saveStage(page, 'Segmenting', { 'Segmentation software': 'Materialise Mimics', 'Software version': '26.0', 'Segmentation time': '60' });
  await tickAll(page, ['Every listed structure segmented as its own component', 'Model (STL) overlaid on the source images and verified', 'Mesh checked and repaired']);
  await switchUser(page, RAD.name, RAD.pin);
  await signStage(page, 'Segmenting', RAD.name, RAD.pin);
  await switchUser(page, TECH.name, TECH.pin);
  await openSection(page, 'Printing');
  await saveStage(page, 'Printing', {
    Printer: 'Lab 1 · Formlabs Form 3B',
    Technology: { select: 'Vat photopolymerization (SLA/DLP)' },
    Scale: '100',
    'Print time': '6',
    'Post-processing': 'IPA wash, UV cure',
  });
  await recordPartQa(page, `${MODEL} – Mandible`, { what: 'Largest dimension', nominal: '90', measured: '90.2', tolerance: '0.5' });
  await tickAll(page, ['Printed, supports removed, cured', 'QA measurement taken against a reference on the images', 'Labelled with case number']);
  await openSection(page, 'Delivery');
  await saveStage(page, 'Delivery', { 'Delivered to': 'Dr. Anna Nowak, OR 2', 'Delivered at': '2025-06-02T10:30', [`${MODEL}: Used in this patient's care`]: { select: 'No' } });
  await tickAll(page, ['Handed over and receipt confirmed']);
  // Not used in care: complete, with nothing to bill (never "Ready for billing").
  await expect(caseHeader(page)).toContainText('Nothing to bill');

  const changed = await page.evaluate(async (caseId) => {
    const k = window.attack;
    const row = await k.get<CaseRow>('cases', caseId);
    const per = row.clear.stages.delivery.perDeliverable;
    const before = Object.values(per).map((d) => d.usedInCare);
    for (const d of Object.values(per)) d.usedInCare = 'yes';
    await k.write('cases', [row]);
    return before;
  }, caseId);
  expect(changed).toEqual(['no']);

  await reloadAndSignIn(page, TECH, caseId);
  await screenSaysNotVerified(page);
  await expect(page.getByRole('region', { name: 'Suggested CPT codes' }).getByRole('alert')).toContainText('changed outside Printpath');

  const text = await pdfOf(page, testInfo);
  pdfSaysNotVerified(text);
  expect(text).toContain('changed outside Printpath');
});
