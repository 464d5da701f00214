// DICOM for PACS in a real browser: the case summary PDF of a demo case and a model's STL
// file, each saved as DICOM after the warning that it holds PHI, then read back by dcmtk,
// dicom3tools' dciodvfy and pydicom (tests/support/dicom-toolkits.ts): the file the
// browser wrote, from the PDF it rendered with its own fonts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from '@playwright/test';
import { binaryStl, multiPart } from '../support/stl-generator';
import { dciodvfy, dcmdump, DICOMDIR_STUDY_TIME_AND_ID, isPart10, pydicomRead, runTool, sha256 } from '../support/dicom-toolkits';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { createCase, goHome, loadDemoCases, openSection, readWholeList, saveStage, setUpLab, setUpTablet, signStage, switchUser, tickAll } from './support/app';
import { expect, test } from './support/fixtures';

const CT_STUDY_UID = '1.2.826.0.1.3680043.10.543.77';

/** Through the PHI warning; resolves with the download, once the screen says it is done. */
async function saveDicom(page: Page, where: Locator, button: string, warningName: string): Promise<Download> {
  await where.getByRole('button', { name: button }).click();
  const warning = where.getByRole('group', { name: warningName });
  await expect(warning).toContainText('The DICOM file holds patient data in the clear');
  await expectNoAxeViolations(page, `${button}: the warning`);
  await expectTouchTargets(page, `${button}: the warning`);
  const downloading = page.waitForEvent('download');
  await warning.getByRole('button', { name: 'Save DICOM file with patient data' }).click();
  const download = await downloading;
  await expect(where.getByRole('status').filter({ hasText: 'DICOM file downloaded' })).toBeVisible();
  return download;
}

test('the case summary PDF of a demo case as an Encapsulated PDF that dcmtk, dciodvfy and pydicom read', async ({ page }) => {
  test.setTimeout(90_000);
  await setUpTablet(page);
  await loadDemoCases(page);
  await goHome(page);
  const [first] = await readWholeList(page);
  await page.getByRole('list', { name: 'Cases' }).getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: first!.patient })).toBeVisible();
  const caseNumber = /PP-[\w-]+/.exec(first!.text)![0];
  await openSection(page, 'Codes & PDF');
  const card = page.getByRole('region', { name: 'Case summary for PACS (DICOM)' });
  const download = await saveDicom(page, card, 'Export the PDF as DICOM', 'Patient data in the DICOM file');
  expect(download.suggestedFilename()).toBe(`case-${caseNumber}-summary.dcm`);
  // Demo cases record no study instance UID: a study of the case's own.
  await expect(card.getByText(/No study instance UID is recorded at imaging/)).toBeVisible();

  const path = (await download.path())!;
  expect(isPart10(path)).toBe(true);
  const dump = dcmdump(path);
  expect(dump.warnings).toBe('');
  expect(dump.line('0008,0016')).toMatch(/UI =EncapsulatedPDFStorage /);
  expect(dump.line('0042,0012')).toContain('LO [application/pdf]');
  expect(dump.line('0010,4000')).toContain('DEMO CASE — not a real patient.');
  expect(dciodvfy(path)).toEqual({ iod: 'EncapsulatedPDF', remarks: [], status: 0 });
  // The PDF inside is the case summary the browser rendered: dcm2pdf takes it out, pdftotext reads it.
  expect(runTool('dcm2pdf', [path, `${path}.pdf`], 'dcmtk').status).toBe(0);
  const text = execFileSync('pdftotext', ['-layout', `${path}.pdf`, '-'], { encoding: 'utf8' });
  expect(text).toContain(caseNumber);
  expect(text).toContain(first!.patient);
  expect(pydicomRead([path]).readings[path]).toMatchObject({ sop: '1.2.840.10008.5.1.4.1.1.104.1', sha: sha256(readFileSync(`${path}.pdf`)) });
});

test('an STL file as an Encapsulated STL in the imaging study typed at imaging, byte for byte', async ({ page }) => {
  test.setTimeout(90_000);
  const [rad, tech] = [{ name: 'Dr. Søren Ødegaard', pin: '864209' }, { name: 'Marta Kowalska', pin: '530217' }];
  await setUpLab(page, [{ ...rad, roles: ['Radiologist'] }, { ...tech, roles: ['Lab technician'] }], { ...tech, roles: ['Lab technician'] });
  const { caseNumber } = await createCase(page, { patientName: 'Łukasz Żółć', mrn: 'MRN-20931', models: [{ name: 'Pelvis', components: [{ structure: 'Bone', colour: 'Bone white', material: 'VeroWhite' }] }] });
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'CT' }, 'Study date': '2025-05-20', 'Accession number': 'ACC-2025-88123', 'Slice thickness': '0.6', 'Study instance UID (optional)': CT_STUDY_UID });
  await tickAll(page, ['Study retrieved from PACS', 'Image quality adequate for segmentation']);
  await switchUser(page, rad.name, rad.pin);
  await signStage(page, 'Imaging', rad.name, rad.pin);
  await switchUser(page, tech.name, tech.pin);
  await openSection(page, 'Segmenting');
  const files = page.getByRole('region', { name: 'Model and guide files' });
  const stl = binaryStl(multiPart());
  await files.getByLabel('Attach a file to Pelvis').setInputFiles({ name: 'pelvis.stl', mimeType: 'model/stl', buffer: Buffer.from(stl) });
  await expect(files.getByText('pelvis.stl attached on Pelvis.')).toBeVisible();

  const download = await saveDicom(page, files, 'Export pelvis.stl as DICOM', 'Patient data in the DICOM file of pelvis.stl');
  expect(download.suggestedFilename()).toBe(`case-${caseNumber}-model-1.dcm`);
  await expect(files.getByText('It files with the imaging study recorded at imaging.')).toBeVisible();

  const path = (await download.path())!;
  expect(isPart10(path)).toBe(true);
  const dump = dcmdump(path);
  expect(dump.warnings).toBe('');
  expect(dump.line('0008,0016')).toMatch(/UI =EncapsulatedSTLStorage /);
  expect(dump.line('0020,000d')).toContain(`UI [${CT_STUDY_UID}]`);
  expect(dump.line('0008,0050')).toContain('SH [ACC-2025-88123]');
  expect(dump.line('0010,0010')).toContain('PN [Żółć^Łukasz]');
  expect(dump.line('0042,0015')).toMatch(new RegExp(`UL ${stl.length} `));
  expect(dciodvfy(path)).toEqual({ iod: 'EncapsulatedSTL', remarks: DICOMDIR_STUDY_TIME_AND_ID, status: 0 });
  expect(pydicomRead([path]).readings[path]).toEqual({ sop: '1.2.840.10008.5.1.4.1.1.104.3', mime: 'model/stl', stored: stl.length, sha: sha256(stl) });
});
