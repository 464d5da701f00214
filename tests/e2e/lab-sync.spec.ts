// Two browsers as two devices of one lab, against the real lab server (the built server
// on its own port, PGlite in a throw-away folder): a technician's tablet connects and
// records imaging offline; the radiologist's workstation joins with an admin's approval,
// receives it and signs; the tablet shows the signature once back online; both change one
// field while apart, and the device that lost the race shows the conflict and resolves it.
import type { Page } from '@playwright/test';
import { ADMIN_PIN, createCase, openSection, saveStage, setUpLab, signIn, signStage, signoffPanel, switchUser, tickAll } from './support/app';
import { expect, test } from './support/fixtures';
import { startLabServer, type RunningServer } from './support/lab-server';

const PORT = 4391;
const BASE = `http://127.0.0.1:${PORT}`;
const TECH = { name: 'Tove Technician', roles: ['Lab technician' as const], pin: '581302' };
const RAD = { name: 'Dr. Ravi Reader', roles: ['Radiologist' as const], pin: '602714' };
const IMAGING_CHECKLIST = ['Study retrieved from PACS', 'Image quality adequate for segmentation'];

let server: RunningServer;
test.use({ baseURL: BASE });
test.beforeAll(async () => {
  server = await startLabServer(PORT);
});
test.afterAll(() => server?.stop());

const syncLine = (page: Page) => page.getByRole('banner').getByRole('status').filter({ hasText: /Synced|Offline|Sync problem|conflict/ });

test('a tablet and a reading-room workstation share a lab through the server', async ({ page: tablet, browser }) => {
  test.setTimeout(240_000);
  await setUpLab(tablet, [TECH, RAD]);
  await tablet.getByRole('link', { name: 'Lab server' }).click();
  await tablet.getByLabel('Set-up code').fill(server.setupCode);
  await tablet.getByLabel('Name of this device').fill('Bench tablet');
  await tablet.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await tablet.getByRole('button', { name: 'Connect' }).click();
  await expect(syncLine(tablet)).toContainText(/^Synced .* · Bench tablet$/, { timeout: 20_000 });
  // The lab's recovery key, shown this once, to be written down.
  const shown = tablet.getByRole('region', { name: 'The lab’s recovery key' });
  await expect(shown).toContainText('It is shown only now');
  const recoveryKey = (await shown.getByLabel('Recovery key').innerText()).replace(/\s+/g, '-');
  expect(recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
  await tablet.screenshot({ path: 'test-results/lab-sync-recovery-key.png' });
  await shown.getByRole('button', { name: 'I have written it down' }).click();
  await expect(shown).toBeHidden();

  // The workstation asks to join; an admin on the tablet compares both codes and approves.
  const wsContext = await browser.newContext({ baseURL: BASE, viewport: { width: 1440, height: 900 } });
  const ws = await wsContext.newPage();
  await ws.goto('/');
  await ws.getByRole('button', { name: 'Join a lab server' }).click();
  await ws.getByLabel('Name of this device').fill('Reading room');
  await expect(ws.getByRole('radio', { name: /^The lab’s whole archive/ })).toBeChecked();
  await ws.screenshot({ path: 'test-results/lab-sync-join.png' });
  await ws.getByRole('button', { name: 'Ask to join' }).click();
  const code = (await ws.getByLabel('Code', { exact: true }).textContent())!;
  const keyCode = (await ws.getByLabel('Key code', { exact: true }).textContent())!;
  const waiting = tablet.getByRole('listitem', { name: 'Reading room' });
  await expect(waiting.getByLabel('Code', { exact: true })).toHaveText(code);
  await expect(waiting.getByLabel('Key code', { exact: true })).toHaveText(keyCode);
  await waiting.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await waiting.getByRole('button', { name: 'Approve' }).click();
  // The lab's people arrive with the lab; the radiologist's own PIN opens it there.
  await signIn(ws, RAD.name, RAD.pin);

  // The technician records imaging with the tablet offline.
  await switchUser(tablet, TECH.name, TECH.pin);
  const { url } = await createCase(tablet, { patientName: 'Maren Syncwell', mrn: 'SYNC-2001' });
  await tablet.context().setOffline(true);
  await openSection(tablet, 'Imaging');
  await saveStage(tablet, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2026-11-30', 'Accession number': 'ACC-TABLET-1', 'Slice thickness': '0.6' });
  await tickAll(tablet, IMAGING_CHECKLIST);
  await expect(syncLine(tablet)).toContainText('waiting', { timeout: 20_000 });
  await tablet.context().setOffline(false);

  // The workstation receives it and the radiologist signs there (a reload locks the app: sign in again).
  await ws.goto(url);
  await signIn(ws, RAD.name, RAD.pin);
  await openSection(ws, 'Imaging');
  await expect(ws.getByRole('checkbox', { name: IMAGING_CHECKLIST[1]! })).toBeChecked({ timeout: 20_000 });
  await expect(ws.getByLabel('Accession number')).toHaveValue('ACC-TABLET-1');
  await signStage(ws, 'Imaging', RAD.name, RAD.pin);

  // The tablet shows the signature, verified.
  const signature = signoffPanel(tablet).getByLabel('Signature', { exact: true });
  await expect(signature).toContainText(RAD.name, { timeout: 20_000 });
  await expect(signature).toContainText('digital signature verified with the signer’s key');

  // Both change the accession number while apart: the tablet reaches the server first.
  await ws.goto(url);
  await signIn(ws, TECH.name, TECH.pin);
  await openSection(ws, 'Imaging');
  await wsContext.setOffline(true);
  await tablet.context().setOffline(true);
  await saveStage(tablet, 'Imaging', { 'Accession number': 'ACC-FROM-TABLET' });
  await saveStage(ws, 'Imaging', { 'Accession number': 'ACC-FROM-WORKSTATION' });
  await tablet.context().setOffline(false);
  await expect(syncLine(tablet)).not.toContainText('waiting', { timeout: 20_000 });
  await wsContext.setOffline(false);

  const overtaken = ws.getByRole('region', { name: 'Changes made on this device were overtaken by another device’s' });
  await expect(overtaken).toBeVisible({ timeout: 20_000 });
  await expect(overtaken).toContainText(TECH.name);
  await expect(overtaken).toContainText('ACC-FROM-WORKSTATION');
  await expect(ws.getByRole('textbox', { name: 'Accession number' })).toHaveValue('ACC-FROM-TABLET');
  await overtaken.getByRole('button', { name: 'Apply again' }).click();
  await expect(overtaken).toBeHidden();
  await expect(ws.getByRole('textbox', { name: 'Accession number' })).toHaveValue('ACC-FROM-WORKSTATION');
  await expect(tablet.getByRole('textbox', { name: 'Accession number' })).toHaveValue('ACC-FROM-WORKSTATION', { timeout: 20_000 });
  await ws.screenshot({ path: 'test-results/lab-sync-workstation.png' });
  await wsContext.close();

  // Every device lost: a new one takes the lab back with the recovery key from paper.
  const newContext = await browser.newContext({ baseURL: BASE, viewport: { width: 820, height: 1180 } });
  const spare = await newContext.newPage();
  await spare.goto('/');
  await spare.getByRole('button', { name: 'Every device was lost? Recover the lab with its recovery key' }).click();
  const form = spare.getByRole('form', { name: 'Recover the lab' });
  await form.getByLabel('Recovery key').fill(recoveryKey.slice(0, -1));
  await form.getByLabel('Name of this device').fill('Spare tablet');
  await form.getByRole('button', { name: 'Recover the lab' }).click();
  await expect(form.getByRole('alert')).toHaveText('A recovery key has 56 characters in 14 groups of four; this has 55.');
  await spare.screenshot({ path: 'test-results/lab-sync-recover.png' });
  await form.getByLabel('Recovery key').fill(recoveryKey.toLowerCase());
  await form.getByRole('button', { name: 'Recover the lab' }).click();
  // The lab's people are back: the first-run screen gives way to the lock screen.
  await expect(spare.getByRole('list', { name: 'People on this tablet' })).toContainText(RAD.name, { timeout: 60_000 });
  await spare.goto(url);
  await signIn(spare, RAD.name, RAD.pin);
  await openSection(spare, 'Imaging');
  await expect(spare.getByRole('textbox', { name: 'Accession number' })).toHaveValue('ACC-FROM-WORKSTATION', { timeout: 20_000 });
  await newContext.close();
});
