// DICOM import in a real browser: the technician picks DICOM files (written by the
// test) in the imaging stage. A file of this patient fills the imaging record; a
// file of another patient shows a plain warning and fills nothing until accepted.
import type { Page } from '@playwright/test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dcmtk, dcmtkFromDump } from '../support/dicom-oracle';
import { dicomFile, IMPLICIT, type StudyAttributes } from '../support/dicom-writer';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { createCase, openSection, setUpLab, stageRecord } from './support/app';
import { expect, test } from './support/fixtures';

const TECH = { name: 'Marta Kowalska', roles: ['Lab technician' as const], pin: '530217' };
const PATIENT = 'Łukasz Żółć';
const MRN = 'MRN-20931';

const STUDY: StudyAttributes = {
  patientName: 'ZOLC^LUKASZ',
  patientId: MRN,
  modality: 'CT',
  studyDate: '20250520',
  accessionNumber: 'ACC-2025-88123',
  studyDescription: 'CT PELVIS WITHOUT CONTRAST',
  seriesDescription: 'Bone 0.6 mm',
  sliceThickness: '0.6',
  studyInstanceUid: '1.2.826.0.1.3680043.10.543.2025.1',
  seriesInstanceUid: '1.2.826.0.1.3680043.10.543.2025.1.3',
};

let dir = '';
test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'printpath-dicom-'));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeDicom(name: string, attrs: StudyAttributes, options: Parameters<typeof dicomFile>[1] = {}) {
  const path = join(dir, name);
  await writeFile(path, dicomFile(attrs, { pixelBytes: 256 * 1024, ...options }));
  return path;
}

async function openImagingOfNewCase(page: Page) {
  await setUpLab(page, [TECH], TECH);
  await createCase(page, { patientName: PATIENT, mrn: MRN, models: [{ name: 'Pelvis model', components: [{ structure: 'Right hemipelvis', colour: 'White', material: 'VeroWhite' }] }] });
  await openSection(page, 'Imaging');
  const card = page.getByRole('region', { name: 'Fill from DICOM' });
  return { card, picker: card.getByLabel('DICOM file or files') };
}

test('a DICOM file of this patient fills the imaging record', async ({ page }) => {
  const slice1 = await writeDicom('IM0001', STUDY);
  const slice2 = await writeDicom('IM0002', STUDY, { transferSyntax: IMPLICIT });
  const { card, picker } = await openImagingOfNewCase(page);

  await picker.setInputFiles([slice1, slice2]);
  await expect(card.getByRole('status')).toContainText('Filled from 2 DICOM files: Modality, Study date, Slice thickness, Accession number, Study description, Series description, Study instance UID.');
  const form = stageRecord(page, 'Imaging');
  await expect(form.getByLabel('Modality', { exact: true })).toHaveValue('CT');
  await expect(form.getByLabel('Study date', { exact: true })).toHaveValue('2025-05-20');
  await expect(form.getByLabel('Accession number', { exact: true })).toHaveValue('ACC-2025-88123');
  await expect(form.getByLabel('Slice thickness', { exact: true })).toHaveValue('0.6');
  await expect(form.getByLabel('Study description (optional)')).toHaveValue('CT PELVIS WITHOUT CONTRAST');
  await expect(form.getByLabel('Series description (optional)')).toHaveValue('Bone 0.6 mm');
  await expect(form.getByLabel('Study instance UID (optional)')).toHaveValue('1.2.826.0.1.3680043.10.543.2025.1');
  // Saved, not a draft: the case history records it.
  await openSection(page, 'History');
  await expect(page.getByText(/Imaging: Modality, Study date/).first()).toBeVisible();
});

test('files dcmtk wrote, deflated and big endian, fill the imaging record (inflated in the browser)', async ({ page }) => {
  const dump = [
    '(0008,0005) CS [ISO_IR 192]',
    '(0008,0016) UI =CTImageStorage',
    '(0008,0018) UI [1.2.826.0.1.3680043.10.543.2025.1.3.1]',
    '(0008,0020) DA [20250520]',
    '(0008,0050) SH [ACC-2025-88123]',
    '(0008,0060) CS [CT]',
    `(0010,0010) PN [Żółć^Łukasz]`,
    `(0010,0020) LO [${MRN}]`,
    '(0018,0050) DS [0.6]',
    '(0020,000d) UI [1.2.826.0.1.3680043.10.543.2025.1]',
    '(0020,000e) UI [1.2.826.0.1.3680043.10.543.2025.1.3]',
  ].join('\n');
  const study = dcmtkFromDump(dump, 'e2e-study.dcm');
  const deflated = dcmtk('dcmconv', ['+td'], study, 'e2e-deflated.dcm');
  const bigEndian = dcmtk('dcmconv', ['+tb'], study, 'e2e-big-endian.dcm');
  const { card, picker } = await openImagingOfNewCase(page);

  await picker.setInputFiles([deflated, bigEndian]);
  await expect(card.getByRole('status')).toContainText('Filled from 2 DICOM files: Modality, Study date, Slice thickness, Accession number, Study instance UID.');
  const form = stageRecord(page, 'Imaging');
  await expect(form.getByLabel('Accession number', { exact: true })).toHaveValue('ACC-2025-88123');
  await expect(form.getByLabel('Study date', { exact: true })).toHaveValue('2025-05-20');
});

test('a DICOM file of another patient is flagged, and fills nothing until “Use anyway”', async ({ page }) => {
  const other = await writeDicom('OTHER.dcm', { ...STUDY, patientName: 'DOE^JANE', patientId: 'MRN-55555' });
  const notDicom = join(dir, 'notes.txt');
  await writeFile(notDicom, 'Not an image, just notes.');
  const { card, picker } = await openImagingOfNewCase(page);
  const accession = stageRecord(page, 'Imaging').getByLabel('Accession number', { exact: true });

  await picker.setInputFiles(notDicom);
  await expect(card.getByRole('alert')).toContainText('Nothing was filled. This is not a DICOM');
  await expect(accession).toHaveValue('');

  await picker.setInputFiles(other);
  const check = card.getByRole('group', { name: 'Check before filling' });
  await expect(check).toContainText('This file may be of another patient. Nothing has been filled in.');
  await expect(check).toContainText(`The file’s patient ID is MRN-55555; this case’s MRN is ${MRN}.`);
  await expect(check).toContainText(`The file’s patient name is JANE DOE; this case’s patient is ${PATIENT}.`);
  await expect(accession).toHaveValue('');
  await expectNoAxeViolations(page, 'DICOM wrong-patient warning');
  await expectTouchTargets(page, 'DICOM wrong-patient warning');
  await check.getByRole('button', { name: 'Cancel' }).click();
  await expect(check).toBeHidden();
  await expect(accession).toHaveValue('');

  await picker.setInputFiles(other);
  await expect(accession).toHaveValue('');
  await check.getByRole('button', { name: 'Use anyway' }).click();
  await expect(card.getByRole('status')).toContainText('Filled from the DICOM file');
  await expect(accession).toHaveValue('ACC-2025-88123');
});
