// A case from order to codes and PDF, driven through the UI by a technician and
// a radiologist whom the lab admin adds on the tablet the way a lab would: the
// admin sets the tablet up, adds both on People & security, and each signs in
// with their own PIN; the radiologist's signatures need the PIN again. The whole
// run, PDF included, makes no request to another origin and trips no CSP rule
// (the `traffic` guard in support/fixtures.ts checks that for every spec).
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import {
  createCase,
  escapeRegExp,
  exportPdf,
  openSection,
  recordPartQa,
  saveStage,
  sectionButton,
  setUpLab,
  signoffPanel,
  signStage,
  stageRecord,
  switchUser,
  tickAll,
} from './support/app';
import { expect, test } from './support/fixtures';
import { pdfText } from './support/pdf';

const TECH = 'Marta Kowalska';
const TECH_PIN = '530217';
const RAD = 'Dr. Søren Ødegaard';
const RAD_PIN = '864209';
const PATIENT = 'Łukasz Żółć';
const IMAGING_MEANING = 'Imaging adequate for segmentation';
const SEGMENTING_MEANING = 'Segmentation verified against source images';

const IMAGING_CHECKLIST = ['Study retrieved from PACS', 'Image quality adequate for segmentation'];
const SEGMENTING_CHECKLIST = ['Every listed structure segmented as its own component', 'Model (STL) overlaid on the source images and verified', 'Mesh checked and repaired'];
const PRINTING_CHECKLIST = ['Printed, supports removed, cured', 'QA measurement taken against a reference on the images', 'Labelled with case number'];
const DELIVERY_CHECKLIST = ['Guides sterilized and packed for the OR', 'Handed over and receipt confirmed'];

// Stage dates are checked against the day the case is opened (today) and the clock: a study
// from today, delivered today at midnight, is neither before the case nor in the future.
const pad = (n: number) => String(n).padStart(2, '0');
const now = new Date();
const TODAY = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;

const MODEL = 'Pelvis with fracture fragments';
const GUIDE = 'Iliac osteotomy guide';

/** The admin sets the tablet up and adds both people; the technician signs in. */
async function addPeople(page: Page) {
  await setUpLab(page, [
    { name: RAD, roles: ['Radiologist'], pin: RAD_PIN },
    { name: TECH, roles: ['Lab technician'], pin: TECH_PIN },
  ], { name: TECH, roles: ['Lab technician'], pin: TECH_PIN });
  await expect(page.getByRole('heading', { name: 'No cases on this tablet yet' })).toBeVisible();
}

async function recordImaging(page: Page) {
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', {
    Modality: { select: 'CT' },
    'Study date': TODAY,
    'Accession number': 'ACC-2025-88123',
    'Slice thickness': '0.6',
    'Contrast phase (optional)': { select: 'Arterial' },
  });
  await tickAll(page, IMAGING_CHECKLIST);
}

test('a technician and a radiologist take a case from the order to suggested codes and a PDF, and nothing leaves the device', async ({ page, traffic }, testInfo) => {
  test.setTimeout(90_000);
  await addPeople(page);

  // Technician opens the case from the order.
  const { caseNumber } = await createCase(page, {
    patientName: PATIENT,
    mrn: 'MRN-20931',
    models: [{
      name: MODEL,
      components: [
        { structure: 'Right hemipelvis', colour: 'Bone white', material: 'VeroWhite' },
        { structure: 'Fracture fragment', colour: 'Yellow', material: 'VeroYellow' },
        { structure: 'Sacrum', colour: 'Grey', material: 'VeroGray' },
      ],
    }],
    guides: [{ name: GUIDE, type: 'Cutting guide', material: 'MED610' }],
  });

  // 1. Imaging: technician records, radiologist signs.
  await recordImaging(page);
  await expect(signoffPanel(page).getByText(`Only a radiologist can sign this stage`)).toBeVisible();
  await expect(signoffPanel(page).getByRole('button', { name: 'Sign off imaging' })).toBeDisabled();
  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Imaging', RAD, RAD_PIN);
  await expect(signoffPanel(page)).toContainText(IMAGING_MEANING);
  await expect(page.getByText('Imaging is complete.')).toBeVisible();

  // 2. Segmenting.
  await switchUser(page, TECH, TECH_PIN);
  await openSection(page, 'Segmenting');
  await saveStage(page, 'Segmenting', {
    'Segmentation software': 'Materialise Mimics',
    'Software version': '26.0',
    'Segmentation time': '95',
  });
  await tickAll(page, SEGMENTING_CHECKLIST);
  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Segmenting', RAD, RAD_PIN);
  await expect(signoffPanel(page)).toContainText(SEGMENTING_MEANING);
  await expect(page.getByText('Segmenting is complete.')).toBeVisible();

  // 3. Printing, QA within tolerance.
  await switchUser(page, TECH, TECH_PIN);
  await openSection(page, 'Printing');
  await saveStage(page, 'Printing', {
    Printer: 'Lab 2 · Stratasys J750',
    Technology: { select: 'Material jetting (PolyJet)' },
    Scale: '100',
    'Print time': '11.5',
    'Post-processing': 'Support removal, water jet',
  });
  // Each printed part measured against the design (the guide's slot a hair long, still within tolerance).
  for (const structure of ['Right hemipelvis', 'Fracture fragment', 'Sacrum']) await recordPartQa(page, `${MODEL} – ${structure}`, { what: 'Largest dimension', nominal: '120', measured: '120.3', tolerance: '0.5' });
  await recordPartQa(page, GUIDE, { what: 'Cutting slot length', nominal: '40', measured: '40.15', tolerance: '0.2' });
  await tickAll(page, PRINTING_CHECKLIST);
  await expect(page.getByText('Printing is complete.')).toBeVisible();

  // 4. Delivery: sterilization for the guide (its record and re-check), both deliverables used in care.
  await openSection(page, 'Delivery');
  await saveStage(page, 'Delivery', {
    'Sterilization method': { select: 'Hydrogen peroxide plasma' },
    'Sterilization lot': 'STRX-5512',
    'Delivered to': 'Dr. Anna Nowak, OR 4',
    'Delivered at': `${TODAY}T00:00`,
    [`${MODEL}: Used in this patient's care`]: { select: 'Yes' },
    [`${GUIDE}: Used in this patient's care`]: { select: 'Yes' },
    [`${GUIDE}: Cleaning before sterilization`]: 'Enzymatic wash, rinse, dried',
    [`${GUIDE}: Sterilization cycle or load id`]: 'LOAD-5512',
    [`${GUIDE}: Sterilized on`]: TODAY,
    [`${GUIDE}: Sterilized by`]: 'Sterile processing, OR 4',
    [`${GUIDE}: Re-check after sterilization`]: { select: 'Pass' },
    [`${GUIDE}: What was re-checked`]: 'Fit on the printed pelvis',
  });
  await tickAll(page, DELIVERY_CHECKLIST);
  await expect(page.getByText('Delivery is complete.')).toBeVisible();
  await expect(page.getByRole('article').locator('header').getByText('Ready for billing', { exact: true })).toBeVisible();

  // Codes: 3 components → 0559T ×1 + 0560T ×2; one guide → 0561T ×1, no add-on.
  await openSection(page, 'Codes & PDF');
  const codes = page.getByRole('region', { name: 'Suggested CPT codes' });
  await expect(codes.getByText(/Suggested — verify with your coder/)).toBeVisible();
  await expect(codes.getByText('Ready for billing', { exact: true })).toBeVisible();
  const units = (code: string) => codes.getByRole('row').filter({ has: page.getByRole('rowheader', { name: code, exact: true }) }).getByRole('cell').first();
  await expect(units('0559T')).toHaveText('1');
  await expect(units('0560T')).toHaveText('2');
  await expect(units('0561T')).toHaveText('1');
  await expect(codes.getByRole('rowheader', { name: '0562T' })).toHaveCount(0);
  await expect(codes.getByRole('rowheader')).toHaveCount(3);

  // The PDF downloads under the case number, never the patient's name, and its text reads back.
  // Export PDF warns first that the file holds patient data in the clear.
  const download = await exportPdf(page);
  const fileName = download.suggestedFilename();
  expect(fileName).toMatch(/\.pdf$/);
  expect(fileName).toContain(caseNumber);
  for (const part of ['Łukasz', 'Żółć', 'Lukasz', 'Zolc']) expect(fileName.toLowerCase()).not.toContain(part.toLowerCase());

  const path = testInfo.outputPath(fileName);
  await download.saveAs(path);
  expect((await readFile(path)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = pdfText(path);
  expect(text).toContain(PATIENT);
  expect(text).toContain(caseNumber);
  // Each stage's signature: the radiologist's printed name, then (after the date and time) its meaning.
  for (const meaning of [IMAGING_MEANING, SEGMENTING_MEANING]) {
    expect(text).toMatch(new RegExp(`Signed by ${escapeRegExp(RAD)}, Radiologist Date and time .{1,40}? Meaning ${escapeRegExp(meaning)}`));
  }
  expect(text.split(`Signed by ${RAD}, Radiologist`).length - 1, 'one signature line per signed stage').toBe(2);
  expect(text).not.toContain('Not signed');
  expect(text).toContain(`${GUIDE} — Passed`);
  expect(text).toContain('Cutting slot length: 40.15 mm against 40 ± 0.2 mm (off by 0.15 mm) — pass');
  for (const code of ['0559T', '0560T', '0561T']) expect(text).toContain(code);
  expect(text).toMatch(/Suggested — verify with your coder/);
  // The state has the same name in the PDF as on screen.
  expect(text).toMatch(/Status Ready for billing/);
  expect(text).toMatch(/Billing state Ready for billing/);

  // No data left the device: every request of the run (pages and service worker) went
  // to the app's own origin, and the Content Security Policy blocked nothing.
  expect(traffic.urls.length, 'the run was recorded').toBeGreaterThan(10);
  expect(traffic.urls.some((u) => u.endsWith('.ttf') || /\/assets\/case-pdf/.test(u)), 'the PDF code or font loaded during the run').toBe(true);
  expect(traffic.offOrigin()).toEqual([]);
  expect(traffic.cspViolations).toEqual([]);
});

test('editing imaging after sign-off voids the signature, visibly', async ({ page }) => {
  await addPeople(page);
  await createCase(page, { patientName: 'Nguyễn Thị Hoa', mrn: 'MRN-55120' });
  await recordImaging(page);
  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Imaging', RAD, RAD_PIN);
  await expect(page.getByText('Imaging is complete.')).toBeVisible();

  // The technician corrects the accession number: the signed content changed.
  // (Signing in again opens the case where work is waiting: segmenting.)
  await switchUser(page, TECH, TECH_PIN);
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { 'Accession number': 'ACC-2025-88124' });

  const panel = signoffPanel(page);
  await expect(panel.getByRole('heading', { name: 'Voided signatures' })).toBeVisible();
  const voided = panel.getByRole('listitem').filter({ hasText: RAD });
  await expect(voided).toHaveCount(1);
  await expect(voided).toContainText(IMAGING_MEANING);
  await expect(voided).toContainText(`voided`);
  await expect(voided).toContainText(`by ${TECH}`);
  await expect(panel.getByText(/Not signed yet/)).toBeVisible();
  await expect(page.getByText('Imaging is complete.')).toBeHidden();
  await expect(page.getByLabel('What imaging still needs')).toContainText('Needs radiologist sign-off');
  await expect(sectionButton(page, 'Imaging')).toContainText('Re-sign');
  await expect(stageRecord(page, 'Imaging').getByLabel('Accession number')).toHaveValue('ACC-2025-88124');
});
