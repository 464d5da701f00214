// Sign-off and PHI protection on a shared tablet (issue 3), through the UI:
// who may sign and with what; wrong PINs and the lock-out; the idle lock and the
// unsaved input it keeps for the same person only; no plaintext PHI in IndexedDB;
// the Content Security Policy. (An edit voiding a signature is in
// full-workflow.spec.ts, and so is "no request leaves the app's origin during a
// full case workflow"; the traffic guard in support/fixtures.ts applies it to
// every test here too.)
import type { Page } from '@playwright/test';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import {
  ADMIN,
  ADMIN_PIN,
  createCase,
  enterPin,
  goHome,
  lockScreen,
  lockTablet,
  openAdmin,
  openNewCase,
  openSection,
  personRow,
  saveStage,
  setUpLab,
  signIn,
  signoffPanel,
  signStage,
  stageRecord,
  submitSignature,
  switchUser,
  tickAll,
  type Person,
} from './support/app';
import { expect, test } from './support/fixtures';

// Every test starts from an empty tablet in its own browser context, so they may share out over the workers.
test.describe.configure({ mode: 'parallel' });

const TECH: Person = { name: 'Kofi Mensah', roles: ['Lab technician'], pin: '418265' };
const RAD: Person = { name: 'Dr. Ines Carvalho', roles: ['Radiologist'], pin: '907134' };
const MEANING = 'Imaging adequate for segmentation';

/** A lab with a technician and a radiologist, and a case whose imaging waits only for the sign-off; the technician is signed in. */
async function caseReadyForImagingSignoff(page: Page) {
  await setUpLab(page, [TECH, RAD], TECH);
  await createCase(page, { patientName: 'Amara Okonkwo', mrn: 'SEC-31337' });
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2025-05-20', 'Accession number': 'ACC-SEC-1', 'Slice thickness': '0.6' });
  await tickAll(page, ['Study retrieved from PACS', 'Image quality adequate for segmentation']);
  await expect(page.getByLabel('What imaging still needs')).toContainText('Needs radiologist sign-off');
}

const notSigned = async (page: Page) => {
  await expect(signoffPanel(page).getByText(/^Not signed yet/)).toBeVisible();
  await expect(signoffPanel(page).getByLabel('Signature', { exact: true })).toHaveCount(0);
  await expect(page.getByText('Imaging is complete.')).toBeHidden();
};

test.describe('signing a stage', () => {
  test.beforeEach(async ({ page }) => caseReadyForImagingSignoff(page));

  test('a technician cannot sign: the button is disabled and says only a radiologist can', async ({ page }) => {
    const panel = signoffPanel(page);
    await expect(panel.getByText('Only a radiologist can sign this stage.')).toBeVisible();
    await expect(panel.getByRole('button', { name: 'Sign off imaging' })).toBeDisabled();
    await expect(panel.getByRole('form', { name: 'Confirm signature' })).toHaveCount(0);
    await notSigned(page);
  });

  test('a radiologist signs with their PIN, entered at that moment', async ({ page }) => {
    await switchUser(page, RAD.name, RAD.pin);
    const panel = signoffPanel(page);
    await panel.getByRole('button', { name: 'Sign off imaging' }).click();
    const confirm = panel.getByRole('form', { name: 'Confirm signature' });
    // Being signed in is not enough: the PIN is asked again, and the button waits for it.
    await expect(confirm).toContainText(`You are signing as ${RAD.name}`);
    await expect(confirm.getByLabel('Your PIN, to sign')).toHaveValue('');
    await expect(confirm.getByRole('button', { name: `Sign as ${RAD.name}` })).toBeDisabled();
    await expectNoAxeViolations(page, 'the signing form');
    await expectTouchTargets(page, 'the signing form');

    await signStage(page, 'Imaging', RAD.name, RAD.pin);
    const signature = panel.getByLabel('Signature', { exact: true });
    await expect(signature).toContainText(`${RAD.name} (Radiologist)`);
    await expect(signature).toContainText(`Meaning: “${MEANING}”`);
    await expect(signature).toContainText(/Signed content SHA-256 [0-9a-f]{16}…/);
    await expect(page.getByText('Imaging is complete.')).toBeVisible();

    // The history records the signature.
    await openSection(page, 'History');
    await expect(page.getByRole('region', { name: 'History' }).getByRole('status')).toContainText('Audit chain verified');
    await expect(page.getByRole('region', { name: 'History' }).getByRole('listitem').filter({ hasText: RAD.name }).first()).toBeVisible();
  });

  test('a wrong PIN is refused with a message, and nothing is signed', async ({ page }) => {
    await switchUser(page, RAD.name, RAD.pin);
    await submitSignature(page, 'Imaging', RAD.name, '111111');
    const confirm = signoffPanel(page).getByRole('form', { name: 'Confirm signature' });
    await expect(confirm.getByRole('alert')).toHaveText(/^Wrong secret\. 4 more wrong tries and the account locks for 5 minutes\./);
    await expect(confirm.getByLabel('Your PIN, to sign')).toHaveAttribute('aria-invalid', 'true');
    await expect(confirm.getByLabel('Your PIN, to sign')).toHaveValue('');
    await notSigned(page);
    await expectNoAxeViolations(page, 'the signing form with a wrong PIN');

    // Another person's PIN does not sign either, even the technician's own.
    await submitSignature(page, 'Imaging', RAD.name, TECH.pin);
    await expect(confirm.getByRole('alert')).toHaveText(/^Wrong secret\. 3 more wrong tries/);
    await notSigned(page);

    // Nothing was signed behind the screen: after a reload and sign-in the stage is still unsigned.
    await page.reload();
    await signIn(page, RAD.name, RAD.pin);
    await openSection(page, 'Imaging');
    await notSigned(page);
  });
});

test('five wrong PINs in a row lock the account for 5 minutes; the lab audit trail records them', async ({ page }) => {
  await setUpLab(page, [TECH]);
  await lockTablet(page);
  const alert = lockScreen(page).getByRole('alert');
  for (const left of [4, 3, 2, 1]) {
    await enterPin(page, TECH.name, '000000');
    await expect(alert).toHaveText(`Wrong secret. ${left} more wrong ${left === 1 ? 'try' : 'tries'} and the account locks for 5 minutes.`);
  }
  await enterPin(page, TECH.name, '000000');
  await expect(alert).toHaveText(`Wrong secret. That was 5 in a row: ${TECH.name} is locked out for 5 minutes.`);
  // Now even the right PIN is refused.
  await enterPin(page, TECH.name, TECH.pin);
  await expect(alert).toContainText(`Too many wrong secrets: ${TECH.name} is locked out until`);
  await expect(page.getByRole('banner').getByRole('button', { name: 'Lock / switch user' })).toHaveCount(0);

  // Another person is not affected; the admin sees the lock-out and every failure.
  await signIn(page, ADMIN, ADMIN_PIN);
  await openAdmin(page);
  await expect(page.getByRole('region', { name: 'People on this tablet' }).getByRole('listitem').filter({ hasText: TECH.name })).toContainText('Locked out until');
  const trail = page.getByRole('region', { name: 'Lab audit trail' });
  await expect(trail.getByRole('status')).toContainText('Lab log verified');
  for (let n = 1; n <= 5; n++) {
    const failure = trail.getByRole('listitem').filter({ hasText: `Wrong secret for ${TECH.name} (sign-in, ${n} in a row)` });
    await expect(failure).toContainText('not signed (a wrong secret opens no key)');
  }
  await expect(trail.getByText(`${TECH.name} locked out for 5 minutes after 5 wrong secrets`)).toBeVisible();
});

test('every change to people needs the admin’s own PIN, typed at that moment; the lab root key shows', async ({ page }) => {
  await setUpLab(page, [TECH]);
  await openAdmin(page);
  const root = page.getByRole('region', { name: 'Lab root key' });
  await expect(root).toContainText(/Lab root key: [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} …/);
  await expect(root.getByText(/^[0-9a-f]{64}$/)).toBeVisible();

  // Disabling is a confirm form, not one tap; another person's PIN is not the admin's.
  const tech = personRow(page, TECH.name);
  await tech.getByRole('button', { name: `Disable ${TECH.name}` }).click();
  const disable = tech.getByRole('form', { name: `Disable ${TECH.name}` });
  await disable.getByLabel('Your PIN, to confirm').fill(TECH.pin);
  await disable.getByRole('button', { name: `Disable ${TECH.name}` }).click();
  await expect(disable.getByRole('alert')).toHaveText(/^Wrong secret\. 4 more wrong tries/);
  await expect(disable.getByLabel('Your PIN, to confirm')).toHaveValue('');
  await expect(tech.getByText('Disabled', { exact: true })).toHaveCount(0);
  await disable.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await disable.getByRole('button', { name: `Disable ${TECH.name}` }).click();
  await expect(tech.getByText('Disabled', { exact: true })).toBeVisible();

  // Nobody grants themselves a role, even with the right PIN.
  const me = personRow(page, ADMIN);
  await me.getByRole('button', { name: `Change roles for ${ADMIN}` }).click();
  const roles = me.getByRole('form', { name: `Roles for ${ADMIN}` });
  await roles.getByRole('checkbox', { name: 'Radiologist' }).check();
  await roles.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(roles.getByRole('alert')).toHaveText('You cannot grant a role to yourself: another lab admin must');
  await me.getByRole('button', { name: `Change roles for ${ADMIN}` }).click();
  await expect(roles).toHaveCount(0);
  await expect(me).toContainText(`${ADMIN} — Lab admin`);
  await expect(me).not.toContainText('Radiologist');

  // The trail holds the change, signed; the failed confirmation is not signed.
  const trail = page.getByRole('region', { name: 'Lab audit trail' });
  await expect(trail.getByRole('status')).toContainText('Lab log verified');
  await expect(trail.getByRole('listitem').filter({ hasText: `${TECH.name} disabled by ${ADMIN}` })).not.toContainText('not signed');
  await expect(trail.getByRole('listitem').filter({ hasText: `Wrong secret for ${ADMIN} (authorising a change, 1 in a row)` })).toContainText('not signed (a wrong secret opens no key)');

  // The disabled technician is no longer offered on the lock screen.
  await goHome(page);
  await lockTablet(page);
  await expect(lockScreen(page).getByRole('button', { name: new RegExp(`^${TECH.name}`) })).toHaveCount(0);
});

test('the tablet locks itself after the idle time; unsaved input comes back to the same person only', async ({ page }) => {
  await page.clock.install();
  await setUpLab(page, [TECH]);

  // The admin sets the automatic lock to 1 minute.
  await openAdmin(page);
  const policy = page.getByRole('region', { name: 'Secrets and automatic lock' });
  await policy.getByLabel('Lock after this many idle minutes').fill('1');
  await policy.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await policy.getByRole('button', { name: 'Save policy' }).click();
  await expect(policy.getByRole('status')).toHaveText('Saved');
  await goHome(page);
  await switchUser(page, TECH.name, TECH.pin);
  await createCase(page, { patientName: 'Tomasz Idle', mrn: 'IDLE-2001' });

  // 1. A stage form: typed, not saved; a minute passes.
  await openSection(page, 'Imaging');
  let imaging = stageRecord(page, 'Imaging');
  await imaging.getByLabel('Accession number').fill('ACC-UNSAVED-7');
  await imaging.getByLabel('Imaging notes (optional)').fill('Patient moved during the arterial phase');
  await expect(imaging.getByText('Unsaved changes')).toBeVisible();
  await page.clock.fastForward('00:50');
  await expect(lockScreen(page)).toHaveCount(0); // not yet
  await expect(imaging.getByLabel('Accession number')).toBeEditable();
  await page.clock.fastForward('00:15');
  await expect(lockScreen(page)).toBeVisible();
  await expect(page.getByText('ACC-UNSAVED-7')).toHaveCount(0);

  // Someone else signs in on the same case: none of it is shown to them.
  await signIn(page, ADMIN, ADMIN_PIN);
  await expect(page.getByRole('heading', { level: 1, name: 'Tomasz Idle' })).toBeVisible();
  await openSection(page, 'Imaging');
  imaging = stageRecord(page, 'Imaging');
  await expect(imaging.getByLabel('Accession number')).toHaveValue('');
  await expect(imaging.getByLabel('Imaging notes (optional)')).toHaveValue('');
  await expect(imaging.getByText(/^Unsaved/)).toHaveCount(0);
  await lockTablet(page);

  // The same person signs in again: the input is back, marked as a draft, and saves.
  await signIn(page, TECH.name, TECH.pin);
  await openSection(page, 'Imaging');
  await expect(imaging.getByLabel('Accession number')).toHaveValue('ACC-UNSAVED-7');
  await expect(imaging.getByLabel('Imaging notes (optional)')).toHaveValue('Patient moved during the arterial phase');
  await expect(imaging.getByText(/^Unsaved draft/)).toBeVisible();
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2025-05-20', 'Slice thickness': '0.6' });
  await expect(imaging.getByLabel('Accession number')).toHaveValue('ACC-UNSAVED-7');

  // 2. The new-case form, the same way.
  let form = await openNewCase(page);
  await form.getByLabel('Patient name').fill('Beatriz Unsaved');
  await form.getByLabel('MRN').fill('DRAFT-4242');
  await form.getByLabel('Indication').fill('Mandibular reconstruction, fibula free flap');
  await page.clock.fastForward('01:05');
  await expect(lockScreen(page)).toBeVisible();

  await signIn(page, ADMIN, ADMIN_PIN);
  form = page.getByRole('form', { name: 'New case' });
  await expect(form).toBeVisible();
  await expect(form.getByLabel('Patient name')).toHaveValue('');
  await expect(form.getByLabel('MRN')).toHaveValue('');
  await expect(page.getByText(/^Draft restored/)).toHaveCount(0);
  await lockTablet(page);

  await signIn(page, TECH.name, TECH.pin);
  await expect(page.getByText(/^Draft restored/)).toBeVisible();
  await expect(form.getByLabel('Patient name')).toHaveValue('Beatriz Unsaved');
  await expect(form.getByLabel('MRN')).toHaveValue('DRAFT-4242');
  await expect(form.getByLabel('Indication')).toHaveValue('Mandibular reconstruction, fibula free flap');
});

test('IndexedDB holds no plaintext patient data', async ({ page }) => {
  const patient = { first: 'Quillon', last: 'Vexbridge-Arkwright', mrn: 'QX-774512', dob: '1957-08-23' };
  const indication = 'Zygomatic fracture after a Brackenfold ladder fall';
  const note = 'Pacemaker noted, Larkspur protocol applied';
  const draftName = 'Wilhelmina Draftsworth';
  await setUpLab(page, [TECH], TECH);
  const { caseNumber } = await createCase(page, { patientName: `${patient.first} ${patient.last}`, mrn: patient.mrn, dateOfBirth: patient.dob, indication });
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'MR' }, 'Study date': '2025-05-20', 'Accession number': 'ACC-SEALED-55', 'Slice thickness': '1', 'Imaging notes (optional)': note });
  // A change to a PHI field puts its before and after on the audit trail.
  await saveStage(page, 'Imaging', { 'Imaging notes (optional)': `${note}, re-checked` });
  // Search builds whatever index the list uses.
  await goHome(page);
  await page.getByLabel('Search patient name, MRN or case number').fill(patient.mrn);
  await expect(page.getByRole('list', { name: 'Cases' }).getByRole('link')).toHaveCount(1);
  // Unsaved input of another patient in the new-case form, then the tablet locks.
  const form = await openNewCase(page);
  await form.getByLabel('Patient name').fill(draftName);
  await lockTablet(page);

  // Every object store of every IndexedDB database on this origin, as JSON (binary as text).
  const dump = await page.evaluate(async () => {
    const req = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const out: Record<string, unknown[]> = {};
    for (const { name } of await indexedDB.databases()) {
      if (!name) continue;
      const db = await req(indexedDB.open(name));
      for (const store of Array.from(db.objectStoreNames)) out[`${name}/${store}`] = await req(db.transaction(store).objectStore(store).getAll());
      db.close();
    }
    const bytes = (v: ArrayBuffer | ArrayBufferView) => new TextDecoder('utf-8').decode(v);
    const json = JSON.stringify(out, (_k, v: unknown) =>
      v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? `bytes:${bytes(v as ArrayBuffer)}` : v instanceof CryptoKey ? `CryptoKey extractable=${v.extractable}` : v);
    const counts = Object.fromEntries(Object.entries(out).map(([k, rows]) => [k, rows.length]));
    const storage = JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } });
    return { json, counts, storage };
  });

  // The dump is real: the stores are there, with rows, and non-PHI fields read in the clear.
  for (const store of ['cases', 'audit', 'users', 'settings']) expect(dump.counts[`printpath/${store}`], `printpath/${store}`).toBeGreaterThan(0);
  expect(dump.counts['printpath/cases']).toBe(1);
  expect(dump.json).toContain(caseNumber);
  expect(dump.json).toContain('"modality":"MR"');
  expect(dump.json).toContain(TECH.name);

  const lower = dump.json.toLowerCase();
  // The accession number identifies the study, and so the patient: it is sealed too.
  const phi = [patient.first, patient.last, `${patient.first} ${patient.last}`, patient.mrn, patient.dob, indication, 'Brackenfold', note, 'Larkspur', draftName, 'Draftsworth', 'ACC-SEALED-55'];
  for (const s of phi) expect(lower, `IndexedDB holds "${s}" in the clear`).not.toContain(s.toLowerCase());
  for (const s of phi) expect(dump.storage.toLowerCase(), `Web Storage holds "${s}"`).not.toContain(s.toLowerCase());
  // The date of birth in other spellings, and the MRN without its dash.
  for (const s of ['19570823', '23.08.1957', '08/23/1957', 'QX774512']) expect(lower).not.toContain(s.toLowerCase());
});

test.describe('the Content Security Policy', () => {
  test.use({ guardTraffic: false }); // this test provokes violations on purpose

  test('is in the page and refuses inline script and requests to another origin', async ({ page, traffic }) => {
    await page.goto('/');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-eval');

    const outcome = await page.evaluate(async () => {
      const fetched = await fetch('http://192.0.2.1/collect').then(() => 'sent', () => 'refused');
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return { fetched, inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true };
    });
    expect(outcome).toEqual({ fetched: 'refused', inlineRan: false });
    await expect.poll(() => traffic.cspViolations.join('\n')).toContain('connect-src');
    expect(traffic.cspViolations.join('\n')).toMatch(/script-src/);
  });
});
