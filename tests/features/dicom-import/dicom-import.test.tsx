import { readFileSync } from 'node:fs';
import { configure, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { runCommand } from '../../../src/db/case-commands';
import { getCase } from '../../../src/db/case-view-repo';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { CT_STUDY_DUMP, dcmtk, dcmtkFromDump } from '../../support/dicom-oracle';
import { dicomFile, IMPLICIT, type StudyAttributes } from '../../support/dicom-writer';
import { order } from '../../support/orders';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

// Reading files and writing through the real storage path can take over a second under load.
configure({ asyncUtilTimeout: 5_000 });

const MATCHING: StudyAttributes = {
  patientName: 'ZOLC^LUKASZ',
  patientId: 'MRN123456',
  modality: 'CT',
  studyDate: '20261120',
  accessionNumber: 'ACC-55821',
  studyDescription: 'CT PELVIS',
  seriesDescription: 'Bone 0.6',
  sliceThickness: '0.6',
  studyInstanceUid: '1.2.826.0.1.3680043.10.543.77',
  seriesInstanceUid: '1.2.826.0.1.3680043.10.543.77.1',
};
const OTHER_PATIENT: StudyAttributes = { ...MATCHING, patientName: 'DOE^JANE', patientId: 'MRN999999' };

let caseId: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Technician', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input: order() }); // Łukasz Żółć, MRN123456
});

const asFile = (bytes: Uint8Array, name = 'IM0001.dcm') => new File([bytes as Uint8Array<ArrayBuffer>], name, { type: 'application/dicom' });
const imagingValues = async () => (await getCase(caseId))!.case.stages.imaging.values;

async function openImaging() {
  const view = renderApp(<CasePage />, { route: `/cases/${caseId}`, path: '/cases/:caseId' });
  await view.user.click(within(await screen.findByRole('navigation', { name: 'Case sections' })).getByRole('button', { name: /^1\. Imaging/ }));
  const card = (await screen.findByRole('heading', { name: 'Fill from DICOM' })).closest('section')!;
  return { ...view, card: within(card as HTMLElement), pickFiles: (files: File[]) => view.user.upload(within(card as HTMLElement).getByLabelText('DICOM file or files'), files) };
}

describe('DICOM import in the imaging stage', { timeout: 15_000 }, () => {
  it('fills the imaging record from a matching file, and the form shows the values', async () => {
    const { card, pickFiles } = await openImaging();
    await pickFiles([asFile(dicomFile(MATCHING))]);
    expect(await card.findByText(/^Filled from the DICOM file: Modality, Study date, Slice thickness, Accession number, Study description, Series description, Study instance UID\.$/)).toBeInTheDocument();
    expect(await imagingValues()).toEqual({
      modality: 'CT',
      studyDate: '2026-11-20',
      sliceThicknessMm: 0.6,
      accessionNumber: 'ACC-55821',
      studyDescription: 'CT PELVIS',
      seriesDescription: 'Bone 0.6',
      studyInstanceUid: '1.2.826.0.1.3680043.10.543.77',
    });
    await waitFor(() => expect(screen.getByLabelText('Accession number')).toHaveValue('ACC-55821'));
    expect(screen.getByLabelText('Modality')).toHaveValue('CT');
    expect(screen.getByLabelText('Study date')).toHaveValue('2026-11-20');
    expect(screen.getByLabelText('Study instance UID (optional)')).toHaveValue('1.2.826.0.1.3680043.10.543.77');
  });

  it('fills the record from a big-endian file dcmtk wrote, of this patient in UTF-8', async () => {
    const bigEndian = dcmtk('dcmconv', ['+tb'], dcmtkFromDump(CT_STUDY_DUMP, 'ui-study.dcm'), 'ui-study-big-endian.dcm');
    const { card, pickFiles } = await openImaging();
    await pickFiles([asFile(new Uint8Array(readFileSync(bigEndian)))]);
    expect(await card.findByText(/^Filled from the DICOM file: Modality, Study date, Slice thickness, Accession number, Study description, Study instance UID\.$/)).toBeInTheDocument();
    expect(card.queryByRole('group', { name: 'Check before filling' })).toBeNull();
    expect(await imagingValues()).toEqual({ modality: 'CT', studyDate: '2026-11-20', sliceThicknessMm: 0.6, accessionNumber: 'ACC-55821', studyDescription: 'CT PELVIS', studyInstanceUid: '1.2.826.0.1.3680043.10.543.77' });
  });

  it('warns about another patient before filling anything; Cancel keeps the record as it was', async () => {
    const { card, user, pickFiles } = await openImaging();
    await pickFiles([asFile(dicomFile(OTHER_PATIENT))]);
    const check = await card.findByRole('group', { name: 'Check before filling' });
    expect(check).toHaveTextContent('This file may be of another patient. Nothing has been filled in.');
    expect(check).toHaveTextContent('The file’s patient ID is MRN999999; this case’s MRN is MRN123456.');
    expect(check).toHaveTextContent('The file’s patient name is JANE DOE; this case’s patient is Łukasz Żółć.');
    expect(check).toHaveTextContent('Accession numberACC-55821');
    expect(await imagingValues()).toEqual({});
    await user.click(within(check).getByRole('button', { name: 'Cancel' }));
    expect(card.queryByRole('group', { name: 'Check before filling' })).toBeNull();
    expect(await imagingValues()).toEqual({});
  });

  it('fills a mismatching file only after “Use anyway”', async () => {
    const { card, user, pickFiles } = await openImaging();
    await pickFiles([asFile(dicomFile(OTHER_PATIENT, { transferSyntax: IMPLICIT }))]);
    const check = await card.findByRole('group', { name: 'Check before filling' });
    expect(await imagingValues()).toEqual({});
    await user.click(within(check).getByRole('button', { name: 'Use anyway' }));
    expect(await card.findByText(/^Filled from the DICOM file/)).toBeInTheDocument();
    expect((await imagingValues()).accessionNumber).toBe('ACC-55821');
    const history = (await getCase(caseId))!.events.at(-1)!;
    expect(history.summary).toMatch(/^Imaging: Modality, Study date/);
  });

  it.each([
    ['a file that is not DICOM', () => asFile(new TextEncoder().encode('just some notes about the scan'), 'notes.txt'), /Nothing was filled\. This is not a DICOM file/],
    ['a truncated file', () => asFile(dicomFile(MATCHING).subarray(0, 400)), /Nothing was filled\. The file is cut short/],
    ['an unsupported encoding', () => asFile(dicomFile(MATCHING, { transferSyntax: '1.2.3.4.5' })), /uses an encoding Printpath does not know \(transfer syntax 1\.2\.3\.4\.5\)/],
  ])('gives %s a clear message and changes nothing', async (_name, file, message) => {
    const { card, pickFiles } = await openImaging();
    await pickFiles([file()]);
    expect(await card.findByRole('alert')).toHaveTextContent(message);
    expect(await imagingValues()).toEqual({});
  });

  it('reads several files of one series, and refuses files of different patients', async () => {
    const { card, pickFiles } = await openImaging();
    await pickFiles([asFile(dicomFile(MATCHING), 'IM0001.dcm'), asFile(dicomFile(MATCHING), 'IM0002.dcm')]);
    expect(await card.findByText(/^Filled from 2 DICOM files/)).toBeInTheDocument();
    await pickFiles([asFile(dicomFile(MATCHING), 'a.dcm'), asFile(dicomFile(OTHER_PATIENT), 'b.dcm')]);
    expect(await card.findByRole('alert')).toHaveTextContent('These files are from different patients');
  });

  it('reads only the start of a large file, never its pixel data', { timeout: 20_000 }, async () => {
    const slice = vi.spyOn(Blob.prototype, 'slice');
    const big = asFile(dicomFile(MATCHING, { pixelBytes: 2_000_000 }));
    const { card, pickFiles } = await openImaging();
    await pickFiles([big]);
    expect(await card.findByText(/^Filled from the DICOM file/)).toBeInTheDocument();
    expect(slice).toHaveBeenCalledWith(0, 64 * 1024);
    expect(slice.mock.calls.every(([, end]) => (end ?? Infinity) <= 64 * 1024)).toBe(true);
  });

  it('asks before voiding the imaging sign-off', { timeout: 20_000 }, async () => {
    await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-20', accessionNumber: 'ACC-1', sliceThicknessMm: 1 } });
    await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
    await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
    await signIn('Dr. Rita Rad', ['radiologist']);
    const { signStage } = await import('../../../src/db/signing');
    await signStage(caseId, 'imaging', '135790');
    await signIn('Tess Technician', ['technician']);

    const { card, user, pickFiles } = await openImaging();
    await pickFiles([asFile(dicomFile(MATCHING))]);
    const check = await card.findByRole('group', { name: 'Check before filling' });
    expect(check).toHaveTextContent('Imaging is signed off. Filling in these values voids Dr. Rita Rad’s signature');
    expect(check).not.toHaveTextContent('another patient');
    expect((await getCase(caseId))!.case.stages.imaging.signature).not.toBeNull();
    await user.click(within(check).getByRole('button', { name: 'Fill and void the sign-off' }));
    expect(await card.findByText(/^Filled from the DICOM file/)).toBeInTheDocument();
    expect((await getCase(caseId))!.case.stages.imaging.signature).toBeNull();
  });

  it('says so when the record already has the file’s values', async () => {
    const { card, pickFiles } = await openImaging();
    await pickFiles([asFile(dicomFile(MATCHING))]);
    await card.findByText(/^Filled from the DICOM file/);
    await pickFiles([asFile(dicomFile(MATCHING))]);
    expect(await card.findByText('The imaging record already has these values.')).toBeInTheDocument();
  });
});
