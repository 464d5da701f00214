// A guide from the order to its delivery, through the UI: imaging and segmenting signed by a
// radiologist, printing with the guide's dimensional QA, then the guide's sterilization record. A failed re-check
// after sterilization keeps the guide from being handed over; once a re-check passes it is
// delivered, and the case PDF, read back, carries the QA and the sterilization record.
import type { Page } from '@playwright/test';
import { createCase, exportPdf, openSection, recordPartQa, saveStage, setUpLab, signStage, stageRecord, switchUser, tickAll } from './support/app';
import { expect, test } from './support/fixtures';
import { pdfText } from './support/pdf';

const TECH = 'Inés Ortega';
const TECH_PIN = '482913';
const RAD = 'Dr. Kwame Mensah';
const RAD_PIN = '739164';
const GUIDE = 'Tibial cutting guide';

const pad = (n: number) => String(n).padStart(2, '0');
const now = new Date();
const TODAY = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;

/** Printing with its per-part QA, and the checklist. */
async function printWithQa(page: Page) {
  await openSection(page, 'Printing');
  await saveStage(page, 'Printing', {
    Printer: 'Lab 1 · Formlabs Form 3B+',
    Technology: { select: 'Vat photopolymerization (SLA/DLP)' },
    Scale: '100',
    'Print time': '5.5',
    'Post-processing': 'IPA wash, UV cure, support removal',
  });
  // The guide measured against its design before it leaves (per-part QA).
  await recordPartQa(page, GUIDE, { what: 'Cutting slot width', nominal: '1.2', measured: '1.25', tolerance: '0.1' });
  await tickAll(page, ['Printed, supports removed, cured', 'QA measurement taken against a reference on the images', 'Labelled with case number']);
  await expect(page.getByText('Printing is complete.')).toBeVisible();
}

test('a guide is handed over only with its sterilization record and a re-check that passed, and the PDF shows the record', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await setUpLab(page, [
    { name: RAD, roles: ['Radiologist'], pin: RAD_PIN },
    { name: TECH, roles: ['Lab technician'], pin: TECH_PIN },
  ], { name: TECH, roles: ['Lab technician'], pin: TECH_PIN });

  const { caseNumber } = await createCase(page, {
    patientName: 'Amara Okonkwo',
    mrn: 'MRN-77310',
    indication: 'Medial knee osteoarthritis, high tibial osteotomy',
    guides: [{ name: GUIDE, type: 'Cutting guide', material: 'Surgical Guide resin' }],
  });

  // Imaging and segmenting: the technician records, the radiologist signs.
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': TODAY, 'Accession number': 'ACC-7731', 'Slice thickness': '0.6' });
  await tickAll(page, ['Study retrieved from PACS', 'Image quality adequate for segmentation']);
  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Imaging', RAD, RAD_PIN);
  await switchUser(page, TECH, TECH_PIN);
  await openSection(page, 'Segmenting');
  await saveStage(page, 'Segmenting', { 'Segmentation software': '3D Slicer', 'Software version': '5.6.2', 'Segmentation time': '80' });
  await tickAll(page, ['Every listed structure segmented as its own component', 'Model (STL) overlaid on the source images and verified', 'Mesh checked and repaired']);
  await switchUser(page, RAD, RAD_PIN);
  await signStage(page, 'Segmenting', RAD, RAD_PIN);
  await switchUser(page, TECH, TECH_PIN);

  await printWithQa(page);

  // Delivery: the guide was sterilized, but its re-check after sterilization failed.
  await openSection(page, 'Delivery');
  const record = stageRecord(page, 'Delivery');
  await expect(record.getByRole('group', { name: `Sterilization record: ${GUIDE}` })).toBeVisible();
  await saveStage(page, 'Delivery', {
    'Sterilization method': { select: 'Steam autoclave' },
    'Sterilization lot': 'STM-2207',
    'Delivered to': 'Dr. Lena Berg, OR 2',
    'Delivered at': `${TODAY}T00:00`,
    [`${GUIDE}: Used in this patient's care`]: { select: 'Yes' },
    [`${GUIDE}: Cleaning before sterilization`]: 'Enzymatic wash, rinse, dried',
    [`${GUIDE}: Sterilization cycle or load id`]: 'AUTOCLAVE-3 LOAD-118',
    [`${GUIDE}: Sterilized on`]: TODAY,
    [`${GUIDE}: Sterilized by`]: 'Piotr Zielinski, SPD',
    [`${GUIDE}: Re-check after sterilization`]: { select: 'Fail' },
    [`${GUIDE}: What was re-checked`]: 'Fit on the printed tibia',
  });
  const needs = page.getByLabel('What delivery still needs');
  await expect(needs).toContainText(`${GUIDE} failed its re-check after sterilization: it cannot be delivered`);

  // Handing it over is refused, with the reason; the tick does not stay.
  await tickAll(page, ['Guides sterilized and packed for the OR']);
  const checklist = page.getByRole('group', { name: 'Checklist' });
  const handedOver = checklist.getByRole('checkbox', { name: /Handed over and receipt confirmed/ });
  await handedOver.click();
  await expect(checklist.getByRole('alert')).toContainText('Not handed over: a guide is delivered only with its sterilization record.');
  await expect(handedOver).not.toBeChecked();

  // Re-sterilized and re-checked: it fits now. Then it is handed over.
  await saveStage(page, 'Delivery', {
    [`${GUIDE}: Sterilization cycle or load id`]: 'AUTOCLAVE-3 LOAD-121',
    [`${GUIDE}: Re-check after sterilization`]: { select: 'Pass' },
    [`${GUIDE}: What was re-checked`]: 'Fit on the printed tibia, slot 1.2 mm',
  });
  await expect(needs).not.toContainText('failed its re-check');
  await tickAll(page, ['Handed over and receipt confirmed']);
  await expect(page.getByText('Delivery is complete.')).toBeVisible();

  // The case PDF, read back, carries the record.
  await openSection(page, 'Codes & PDF');
  const download = await exportPdf(page);
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  const text = pdfText(path);
  expect(text).toContain(caseNumber);
  expect(text).toContain(`Sterilization record: ${GUIDE}`);
  expect(text).toContain('Sterilization method Steam autoclave');
  expect(text).toContain('Sterilization lot STM-2207');
  expect(text).toContain('Cleaning before sterilization Enzymatic wash, rinse, dried');
  expect(text).toContain('Sterilization cycle or load id AUTOCLAVE-3 LOAD-121');
  expect(text).toContain(`Sterilized on ${TODAY}`);
  expect(text).toContain('Sterilized by Piotr Zielinski, SPD');
  expect(text).toContain('Re-check after sterilization Pass');
  expect(text).toContain('What was re-checked Fit on the printed tibia, slot 1.2 mm');
  expect(text).toMatch(/4\. Delivery — complete/);
  expect(text).toContain('Dimensional QA');
  expect(text).toContain(`${GUIDE} — Passed`);
  expect(text).toContain('Cutting slot width: 1.25 mm against 1.2 ± 0.1 mm (off by 0.05 mm) — pass');
});
