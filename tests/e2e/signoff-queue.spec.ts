// The radiologist's desk on one tablet with no server: the technician makes segmenting
// ready; the radiologist (after switching user) finds it in "Waiting for my sign-off",
// counted in the navigation, reviews it and sends it back with a reason; the technician
// sees "Changes requested" in the case list and on the stage, changes the stage; it is
// back in the queue and the radiologist signs it with their PIN.
// QUEUE_SHOTS=dir also saves the queue and review screens at 1180×820 and 820×1180.
import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { createCase, goHome, openSection, saveStage, setUpLab, signoffPanel, signStage, switchUser, tickAll } from './support/app';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { expect, test } from './support/fixtures';

const TECH = 'Marta Kowalska';
const TECH_PIN = '530217';
const RAD = 'Dr. Søren Ødegaard';
const RAD_PIN = '864209';
const PATIENT = 'Łukasz Żółć';
const REASON = 'The fracture fragment is merged with the hemipelvis: segment it as its own component';
const SHOTS = process.env.QUEUE_SHOTS;

const queueLink = (page: Page) => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: /^Waiting for my sign-off/ });

/** axe and 44 px touch targets, then (with QUEUE_SHOTS) screenshots at both orientations. */
async function check(page: Page, name: string) {
  await expectNoAxeViolations(page, name);
  await expectTouchTargets(page, name);
  await shoot(page, name);
}

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  for (const [w, h] of [[1180, 820], [820, 1180]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${h}.png`), fullPage: true });
    // As seen while reading down the record: the sticky header and the sign-off side in view.
    await page.evaluate(() => window.scrollTo(0, 900));
    await page.screenshot({ path: join(SHOTS, `${name}-${w}x${h}-scrolled.png`) });
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  await page.setViewportSize({ width: 820, height: 1180 });
}

test('a radiologist sends segmenting back from the queue with a reason, the technician changes it, it returns to the queue and is signed', async ({ page }) => {
  test.setTimeout(120_000);
  await setUpLab(page, [
    { name: RAD, roles: ['Radiologist'], pin: RAD_PIN },
    { name: TECH, roles: ['Lab technician'], pin: TECH_PIN },
  ], { name: TECH, roles: ['Lab technician'], pin: TECH_PIN });
  await createCase(page, {
    patientName: PATIENT,
    mrn: 'MRN-20931',
    models: [{ name: 'Pelvis with fracture fragments', components: [{ structure: 'Right hemipelvis', colour: 'Bone white', material: 'VeroWhite' }, { structure: 'Fracture fragment', colour: 'Yellow', material: 'VeroYellow' }] }],
  });
  // The technician has no queue.
  await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Cases' })).toBeVisible();
  await expect(queueLink(page)).toHaveCount(0);

  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2025-05-20', 'Accession number': 'ACC-2025-88123', 'Slice thickness': '0.6' });
  await tickAll(page, ['Study retrieved from PACS', 'Image quality adequate for segmentation']);
  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Imaging', RAD, RAD_PIN);
  await expect(queueLink(page)).toHaveAccessibleName('Waiting for my sign-off 0 waiting');

  // The technician makes segmenting ready.
  await switchUser(page, TECH, TECH_PIN);
  await openSection(page, 'Segmenting');
  await saveStage(page, 'Segmenting', { 'Segmentation software': 'Materialise Mimics', 'Software version': '26.0', 'Segmentation time': '95' });
  await tickAll(page, ['Every listed structure segmented as its own component', 'Model (STL) overlaid on the source images and verified', 'Mesh checked and repaired']);

  // The radiologist: the queue, counted in the navigation.
  await switchUser(page, RAD, RAD_PIN);
  await expect(queueLink(page)).toHaveAccessibleName('Waiting for my sign-off 1 waiting');
  await queueLink(page).click();
  const queue = page.getByRole('list', { name: 'Cases waiting for my sign-off' });
  const row = queue.getByRole('link').filter({ hasText: PATIENT });
  await expect(row).toContainText('Segmenting: “Segmentation verified against source images”');
  await expect(row).toContainText(/Waiting since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
  await expect(row).toContainText('Urgent');
  await check(page, 'queue');

  // The review screen: what will be signed; send back with a reason.
  await row.click();
  await expect(page.getByRole('heading', { level: 1, name: `Review segmenting: ${PATIENT}` })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Segmenting record' })).toContainText('Materialise Mimics');
  await expect(page.getByRole('table', { name: 'Components of Pelvis with fracture fragments' })).toContainText('Fracture fragment');
  await expect(page.getByRole('region', { name: 'Study' })).toContainText('ACC-2025-88123');
  await expect(page.getByRole('list', { name: 'Case history' })).toContainText('Imaging signed');
  await check(page, 'review');
  await page.getByRole('button', { name: 'Send back…' }).click();
  const sendBack = page.getByRole('form', { name: 'Send back to the technician' });
  await sendBack.getByRole('button', { name: 'Send back to the technician' }).click();
  await expect(sendBack.getByRole('alert')).toHaveText('Say what needs to change: a stage is sent back only with a reason.');
  await check(page, 'review-send-back-empty');
  await sendBack.getByLabel('What needs to change?').fill(REASON);
  await sendBack.getByRole('button', { name: 'Send back to the technician' }).click();
  await expect(page.getByText('Sent back to the technician.', { exact: false })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Changes requested' })).toContainText(REASON);
  await expect(queueLink(page)).toHaveAccessibleName('Waiting for my sign-off 0 waiting');

  // The technician: "Changes requested" in the case list and on the stage; they change it.
  await switchUser(page, TECH, TECH_PIN);
  await goHome(page);
  const caseRow = page.getByRole('list', { name: 'Cases' }).getByRole('link').filter({ hasText: PATIENT });
  await expect(caseRow).toContainText('Changes requested');
  await caseRow.click();
  await openSection(page, 'Segmenting');
  const notice = page.getByRole('status', { name: 'Changes requested' });
  await expect(notice).toContainText(`by ${RAD} (Radiologist)`);
  await expect(notice).toContainText(REASON);
  await saveStage(page, 'Segmenting', { 'Segmentation notes (optional)': 'Fracture fragment segmented on its own' });
  await expect(notice).toHaveCount(0);
  await goHome(page);
  await expect(caseRow).not.toContainText('Changes requested');

  // Back in the queue; the radiologist signs with their PIN.
  await switchUser(page, RAD, RAD_PIN);
  await expect(queueLink(page)).toHaveAccessibleName('Waiting for my sign-off 1 waiting');
  await queueLink(page).click();
  await queue.getByRole('link').filter({ hasText: PATIENT }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Review segmenting: ${PATIENT}` })).toBeVisible();
  await signStage(page, 'Segmenting', RAD, RAD_PIN);
  await expect(signoffPanel(page)).toContainText('Segmentation verified against source images');
  await expect(queueLink(page)).toHaveAccessibleName('Waiting for my sign-off 0 waiting');
  await queueLink(page).click();
  await expect(page.getByText('Nothing is waiting for your sign-off.')).toBeVisible();
});
