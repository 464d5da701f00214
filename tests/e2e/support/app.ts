// Shared steps for the end-to-end specs: they drive the UI the way a lab does,
// by role and label (no CSS classes), so they also check the labels exist.
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export type RoleLabel = 'Lab technician' | 'Radiologist' | 'Lab admin';

/** Who sets the tablet up in the specs; every PIN here is 6+ digits, as the default policy asks. */
export const ADMIN = 'Hanna Lindqvist';
export const ADMIN_PIN = '731902';

/** The demo people that "Load 12 demo cases" adds (src/domain/demo-people.ts). */
export const DEMO_TECH = 'Alex Morgan';
export const DEMO_RAD = 'Dr. Priya Raman';
export const DEMO_PIN = '246810';

/** A person's name as the app shows it: demo people always carry "(demo)" (src/domain/demo-people.ts). */
export const shownName = (name: string) => ([DEMO_TECH, DEMO_RAD].includes(name) ? `${name} (demo)` : name);

/** The header's "<name> · <roles>" line. */
// Not the sync status line, which also reads "… · device".
export const signedInAs = (page: Page) => page.getByRole('banner').getByText(/ · /).and(page.locator(':not([role=status])'));

export const lockScreen = (page: Page) => page.getByRole('region', { name: 'Printpath is locked' });
export const firstRunScreen = (page: Page) => page.getByRole('region', { name: 'Set up this tablet' });

/** Waits until `name` is the signed-in person shown in the header. */
export async function expectSignedIn(page: Page, name: string) {
  await expect(signedInAs(page)).toHaveText(new RegExp(`^${escapeRegExp(shownName(name))} · `));
}

/** First run on an empty tablet: the first lab admin, who is then signed in. */
export async function setUpTablet(page: Page, { name = ADMIN, pin = ADMIN_PIN, alsoTechnician = false, goto = true } = {}) {
  if (goto) await page.goto('/');
  const screen = firstRunScreen(page);
  await expect(screen).toBeVisible();
  await screen.getByLabel('Your name as printed on signatures').fill(name);
  if (alsoTechnician) await screen.getByRole('checkbox', { name: 'I also work cases as a lab technician' }).check();
  await screen.getByLabel('Choose a PIN').fill(pin);
  await screen.getByLabel('PIN again').fill(pin);
  await screen.getByRole('button', { name: 'Create lab admin' }).click();
  await expectSignedIn(page, name);
}

/** Opens People & security through its link (shown to lab admins only). */
export async function openAdmin(page: Page) {
  await page.getByRole('link', { name: 'People & security', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'People & security' })).toBeVisible();
}

/** A lab admin adds a person on People & security, confirming with their own PIN; the admin stays signed in. */
export async function addPerson(page: Page, name: string, roles: RoleLabel[], pin: string, adminPin = ADMIN_PIN) {
  if (!(await page.getByRole('heading', { level: 1, name: 'People & security' }).isVisible())) await openAdmin(page);
  const form = page.getByRole('form', { name: 'Add a person' });
  await form.getByLabel('Name as printed on signatures').fill(name);
  for (const role of roles) await form.getByRole('checkbox', { name: role, exact: true }).check();
  await form.getByLabel('Their PIN').fill(pin);
  await form.getByLabel('Your PIN, to confirm').fill(adminPin);
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(form.getByRole('status')).toHaveText(`${name} added`);
}

/** A person's row on People & security (the admin page must be open). */
export const personRow = (page: Page, name: string) =>
  page.getByRole('region', { name: 'People on this tablet' }).getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });

/** Locks the tablet from the header; resolves on the lock screen. */
export async function lockTablet(page: Page) {
  await page.getByRole('banner').getByRole('button', { name: 'Lock / switch user' }).click();
  await expect(lockScreen(page)).toBeVisible();
}

/** On the lock screen: tap a name and enter a PIN (no check of the outcome). */
export async function enterPin(page: Page, name: string, pin: string) {
  const screen = lockScreen(page);
  await screen.getByRole('list', { name: 'People on this tablet' }).getByRole('button', { name: new RegExp(`^${escapeRegExp(shownName(name))} `) }).click();
  await screen.getByLabel(`PIN for ${shownName(name)}`).fill(pin);
  await screen.getByRole('button', { name: 'Sign in' }).click();
}

/** On the lock screen: signs `name` in. */
export async function signIn(page: Page, name: string, pin: string) {
  await enterPin(page, name, pin);
  await expectSignedIn(page, name);
}

/** Switching user is lock, then sign in. */
export async function switchUser(page: Page, name: string, pin: string) {
  await lockTablet(page);
  await signIn(page, name, pin);
}

export type Person = { name: string; roles: RoleLabel[]; pin: string };

/** Back to the case list through the header (a page load would lock the tablet: the keys live in memory only). */
export async function goHome(page: Page) {
  await page.getByRole('banner').getByRole('link', { name: 'Printpath' }).click();
  await expect(page).toHaveURL(/\/$/);
}

/**
 * Every row of the case list as it is now, top to bottom. The list renders only
 * the rows on screen, so this scrolls the page a screenful at a time, as a person
 * would, and reads each row once (by its link).
 */
export async function readWholeList(page: Page): Promise<{ href: string; text: string; patient: string }[]> {
  const list = page.getByRole('list', { name: 'Cases' });
  const total = Number(/^(\d+) cases?/.exec((await page.getByText(/^\d+ cases?, soonest needed first$/).innerText()) ?? '')?.[1] ?? 0);
  const seen = new Map<string, { href: string; text: string; patient: string }>();
  for (let y = 0; seen.size < total; y += 400) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await expect(list.getByRole('link').first()).toBeVisible();
    for (const row of await list.getByRole('link').all()) {
      const href = (await row.getAttribute('href'))!;
      if (!seen.has(href)) seen.set(href, { href, text: await row.innerText(), patient: await row.locator('strong').innerText() });
    }
    if (y > total * 200) throw new Error(`read ${seen.size} of ${total} rows`);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  return [...seen.values()];
}

/** A fresh tablet: the admin sets it up and adds `people` through the admin page, then signs in as `first` (or stays). */
export async function setUpLab(page: Page, people: Person[], first?: Person) {
  await setUpTablet(page);
  for (const p of people) await addPerson(page, p.name, p.roles, p.pin);
  await goHome(page);
  if (first) await switchUser(page, first.name, first.pin);
}

/** The signed-in lab admin loads the demo cases (and with them the demo people, a signed change: their own PIN confirms it). */
export async function loadDemoCases(page: Page, adminPin = ADMIN_PIN) {
  await goHome(page);
  const form = page.getByRole('form', { name: 'Load demo cases' });
  await form.getByLabel('Your PIN, to confirm').fill(adminPin);
  await form.getByRole('button', { name: 'Load 12 demo cases' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cases', exact: true })).toBeVisible();
}

export type ModelSpec = { name: string; components: { structure: string; colour: string; material: string }[] };
export type GuideSpec = { name: string; type: 'Cutting guide' | 'Drilling guide'; material: string };
export type CaseSpec = {
  patientName: string;
  mrn: string;
  dateOfBirth?: string;
  indication?: string;
  models?: ModelSpec[];
  guides?: GuideSpec[];
};

/** The new-case form, reached through the case list (the empty lab's "Open a case from an order" or "New case"). */
export async function openNewCase(page: Page) {
  await goHome(page);
  await page.getByRole('main').getByRole('link', { name: /^(New case|Open a case from an order)$/ }).click();
  const form = page.getByRole('form', { name: 'New case' });
  await expect(form).toBeVisible();
  return form;
}

/** Opens a case from an order through the new-case form; resolves on the case page with its case number. */
export async function createCase(page: Page, spec: CaseSpec): Promise<{ caseNumber: string; url: string }> {
  const form = await openNewCase(page);
  const patient = form.getByRole('region', { name: 'Patient' });
  await patient.getByLabel('Patient name').fill(spec.patientName);
  await patient.getByLabel('MRN').fill(spec.mrn);
  await patient.getByLabel('Date of birth').fill(spec.dateOfBirth ?? '1971-03-14');
  await patient.getByLabel('Sex').selectOption('Male');

  const order = form.getByRole('region', { name: 'Order' });
  await order.getByLabel('Ordering physician').fill('Dr. Anna Nowak');
  await order.getByLabel('Contact', { exact: true }).fill('Pager 4471');
  await order.getByLabel('Indication').fill(spec.indication ?? 'Acetabular fracture, surgical planning');
  await order.getByLabel('ICD-10 code').fill('S32.401A');
  await order.getByLabel('Anatomic region').fill('Pelvis');
  await order.getByLabel('Structure 1').fill('Right hemipelvis');
  await order.getByLabel('Date needed').fill('2025-06-05');
  await order.getByLabel('Priority').selectOption('Urgent');

  const deliverables = form.getByRole('region', { name: 'Models and guides' });
  for (const model of spec.models ?? []) {
    await deliverables.getByRole('button', { name: 'Add anatomic model' }).click();
    const card = deliverables.getByRole('group', { name: 'Anatomic model: unnamed' });
    await card.getByLabel('Model name').fill(model.name);
    const named = deliverables.getByRole('group', { name: `Anatomic model: ${model.name}` });
    for (const [i, part] of model.components.entries()) {
      // A new model starts with one blank component.
      if (i > 0) await named.getByRole('button', { name: `Add component to ${model.name}` }).click();
      await named.getByLabel('Structure').nth(i).fill(part.structure);
      await named.getByLabel('Colour').nth(i).fill(part.colour);
      await named.getByLabel('Material').nth(i).fill(part.material);
    }
    await expect(named.getByLabel('Structure')).toHaveCount(model.components.length);
  }
  for (const guide of spec.guides ?? []) {
    await deliverables.getByRole('button', { name: 'Add guide' }).click();
    const card = deliverables.getByRole('group', { name: 'Guide: unnamed' });
    await card.getByLabel('Guide name').fill(guide.name);
    const named = deliverables.getByRole('group', { name: `Guide: ${guide.name}` });
    await named.getByLabel('Guide type').selectOption(guide.type);
    await named.getByLabel('Material').fill(guide.material);
  }

  await form.getByRole('button', { name: 'Open case' }).click();
  await expect(page).toHaveURL(/\/cases\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: spec.patientName })).toBeVisible();
  const header = await page.getByRole('article').first().innerText();
  const caseNumber = /PP-\d{4}-[A-Za-z0-9]+-\d{4}/.exec(header)?.[0];
  expect(caseNumber, 'the case page shows the case number').toBeTruthy();
  return { caseNumber: caseNumber!, url: page.url() };
}

export type StageName = 'Imaging' | 'Segmenting' | 'Printing' | 'Delivery';
const STAGE_NUMBER: Record<StageName, number> = { Imaging: 1, Segmenting: 2, Printing: 3, Delivery: 4 };

/** The case page's section button ("1. Imaging", "Codes & PDF", …). */
export const sectionButton = (page: Page, name: StageName | 'Order' | 'Codes & PDF' | 'History') =>
  page
    .getByRole('navigation', { name: 'Case sections' })
    .getByRole('button', { name: name in STAGE_NUMBER ? new RegExp(`^${STAGE_NUMBER[name as StageName]}\\. ${name}`) : new RegExp(`^${escapeRegExp(name)}`) });

export async function openSection(page: Page, name: StageName | 'Order' | 'Codes & PDF' | 'History') {
  const button = sectionButton(page, name);
  await button.click();
  await expect(button).toHaveAttribute('aria-current', 'step');
}

export const stageRecord = (page: Page, stage: StageName) => page.getByRole('form', { name: `${stage} record` });

export type FieldInput = string | { select: string };

/** Fills a stage's Record form by field label and saves it. */
export async function saveStage(page: Page, stage: StageName, fields: Record<string, FieldInput>) {
  const form = stageRecord(page, stage);
  for (const [label, value] of Object.entries(fields)) {
    const control = form.getByLabel(label, { exact: true });
    if (typeof value === 'string') await control.fill(value);
    else await control.selectOption({ label: value.select });
  }
  await form.getByRole('button', { name: `Save ${stage.toLowerCase()}` }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
}

export type QaMeasurementInput = { what: string; nominal: string; measured: string; tolerance: string };

/** Records a QA check of one printed part (one measurement) in the printing stage; waits for the part's new status. */
export async function recordPartQa(page: Page, part: string, m: QaMeasurementInput, status = 'Passed') {
  const row = page.getByRole('listitem', { name: part, exact: true });
  await row.getByRole('button', { name: `Record QA of ${part}` }).click();
  const form = page.getByRole('form', { name: `QA of ${part}` });
  await form.getByLabel('What was measured', { exact: true }).fill(m.what);
  await form.getByLabel('Nominal (mm)', { exact: true }).fill(m.nominal);
  await form.getByLabel('Measured (mm)', { exact: true }).fill(m.measured);
  await form.getByLabel('Tolerance (±) (mm)', { exact: true }).fill(m.tolerance);
  await form.getByRole('button', { name: `Save QA of ${part}` }).click();
  await expect(row.getByText(status, { exact: true })).toBeVisible();
}

/** Ticks every checklist item of the open stage, one at a time (each tick is its own saved change). */
export async function tickAll(page: Page, items: string[]) {
  const checklist = page.getByRole('group', { name: 'Checklist' });
  for (const item of items) {
    const box = checklist.getByRole('checkbox', { name: item });
    await box.click();
    await expect(box).toBeChecked();
    // Shown from the stored record, so the tick was saved.
    await expect(box).toHaveAccessibleName(/Ticked by/);
  }
}

export const signoffPanel = (page: Page) => page.getByRole('region', { name: 'Radiologist sign-off' });

/** Opens the open stage's sign-off form and enters a PIN (no check of the outcome). */
export async function submitSignature(page: Page, stage: 'Imaging' | 'Segmenting', signer: string, pin: string) {
  const panel = signoffPanel(page);
  const confirm = panel.getByRole('form', { name: 'Confirm signature' });
  if (!(await confirm.isVisible())) await panel.getByRole('button', { name: `Sign off ${stage.toLowerCase()}` }).click();
  await confirm.getByLabel('Your PIN, to sign').fill(pin);
  await confirm.getByRole('button', { name: `Sign as ${shownName(signer)}` }).click();
}

/** The signed-in radiologist signs the open stage with their PIN; resolves once the verified signature shows. */
export async function signStage(page: Page, stage: 'Imaging' | 'Segmenting', signer: string, pin: string) {
  await submitSignature(page, stage, signer, pin);
  const signature = signoffPanel(page).getByLabel('Signature', { exact: true });
  await expect(signature).toContainText(signer);
  await expect(signature).toContainText('digital signature verified with the signer’s key');
}

/** Export PDF, through the warning that the PDF holds patient data in the clear; resolves with the download. */
export async function exportPdf(page: Page) {
  await page.getByRole('button', { name: 'Export PDF' }).click();
  const warning = page.getByRole('group', { name: 'Patient data in the PDF' });
  await expect(warning).toContainText('The PDF holds patient data in the clear');
  const downloading = page.waitForEvent('download');
  await warning.getByRole('button', { name: 'Save PDF with patient data' }).click();
  const download = await downloading;
  await expect(page.getByRole('status').filter({ hasText: 'PDF downloaded' })).toBeVisible();
  return download;
}

/** The first visit installs the service worker; it controls the page from the next load on. Reloads if need be. */
export async function controlledByServiceWorker(page: Page) {
  await page.evaluate(() => {
    const activated = navigator.serviceWorker.ready.then(({ active }) =>
      active!.state === 'activated' ? undefined : new Promise<void>((resolve) => active!.addEventListener('statechange', () => active!.state === 'activated' && resolve())),
    );
    const tooLong = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('The service worker did not activate within 20 s')), 20_000));
    return Promise.race([activated, tooLong]);
  });
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 20_000 });
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** On Storage & backup: signs a backup with the admin's own PIN and saves it to `path`; returns the saved file's path. */
export async function downloadBackup(page: Page, path: string, { pin = ADMIN_PIN, cases }: { pin?: string; cases: number }): Promise<string> {
  await page.getByRole('link', { name: 'Storage & backup', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Storage & backup' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Make a backup' });
  await form.getByLabel('Your PIN, to sign this backup').fill(pin);
  const downloading = page.waitForEvent('download');
  await form.getByRole('button', { name: 'Download backup' }).click();
  await (await downloading).saveAs(path);
  await expect(page.getByRole('status').filter({ hasText: `Backup saved: ${cases} cases` })).toBeVisible();
  return path;
}

/** From the first-run screen of a wiped tablet: checks the file, then restores it as `admin` (a lab admin in the file) with their PIN. */
export async function restoreOntoWipedTablet(page: Page, file: string, { admin = ADMIN, pin = ADMIN_PIN, cases }: { admin?: string; pin?: string; cases: number }) {
  const restore = page.getByRole('region', { name: 'Restore a backup' });
  await restore.getByLabel('Backup file', { exact: true }).setInputFiles(file);
  await restore.getByRole('button', { name: 'Check the file' }).click();
  const preview = page.getByRole('region', { name: 'What the restore would do' });
  await expect(preview).toContainText(`${cases} new`);
  await expect(preview).toContainText('This tablet is empty');
  await preview.getByLabel('Lab admin restoring it').selectOption({ label: admin });
  await preview.getByLabel('Their PIN or passphrase').fill(pin);
  await preview.getByRole('button', { name: 'Restore', exact: true }).click();
  return preview;
}
