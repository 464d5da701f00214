import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { runCommand } from '../../../src/db/case-commands';
import { attachModelFile } from '../../../src/db/model-file-repo';
import { signStage } from '../../../src/db/signing';
import { getCase } from '../../../src/db/case-view-repo';
import type { NewCaseInput } from '../../../src/domain/case-input';
import { parseDicomHeader } from '../../../src/domain/dicom';
import { asCaseId, asDeliverableId, type CaseId } from '../../../src/domain/ids';
import { captureDownloads } from '../../support/downloads';
import { order } from '../../support/orders';
import { renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';
import { asciiStl, binaryStl, multiPart } from '../../support/stl-generator';

const CT_STUDY_UID = '1.2.826.0.1.3680043.10.543.77';
const input: NewCaseInput = order({
  deliverables: [{ id: asDeliverableId('m1'), kind: 'model', name: 'Kidney model', copies: 1, components: [{ id: asDeliverableId('c1'), structure: 'Kidney', colour: 'clear', material: 'VeroClear' }] }],
});

let caseId: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Technician', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input });
  await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-20', accessionNumber: 'ACC1', sliceThicknessMm: 0.625, studyInstanceUid: CT_STUDY_UID } });
  for (const item of ['studyRetrieved', 'qualityAdequate']) await runCommand(caseId, { type: 'tick', stage: 'imaging', item, done: true });
  await signIn('Dr. Rita Radiologist', ['radiologist']);
  await signStage(caseId, 'imaging', TEST_PIN);
  await signIn('Tess Technician', ['technician']);
});

const attach = (bytes: Uint8Array | string, name: string) => attachModelFile(caseId, { deliverableId: asDeliverableId('m1'), stage: 'segmenting', file: new File([bytes as BlobPart], name) });

describe('a model file as DICOM (Encapsulated STL)', () => {
  it('says the file holds patient data, then saves case-<number>-model-<n>.dcm with the STL in it, filed with the imaging study', { timeout: 20_000 }, async () => {
    const first = asciiStl(multiPart());
    const second = binaryStl(multiPart());
    await attach(first, 'kidney-ascii.stl');
    await attach(second, 'kidney.stl');
    const c = (await getCase(caseId))!.case;
    const files = captureDownloads();
    const { user } = renderApp(<CasePage />, { route: `/cases/${caseId}`, path: '/cases/:caseId' });
    const section = await screen.findByRole('region', { name: 'Model and guide files' });
    await user.click(await within(section).findByRole('button', { name: 'Export kidney.stl as DICOM' }));
    const warning = within(section).getByRole('group', { name: 'Patient data in the DICOM file of kidney.stl' });
    expect(warning).toHaveTextContent('The DICOM file holds patient data in the clear');
    expect(files).toEqual([]);
    await user.click(within(warning).getByRole('button', { name: 'Save DICOM file with patient data' }));
    expect(await within(section).findByRole('status', {}, { timeout: 15_000 })).toHaveTextContent('DICOM file downloaded');
    expect(within(section).getByText('It files with the imaging study recorded at imaging.')).toBeInTheDocument();

    // The second file of the case; the name carries the case number, not the file's own name.
    expect(files.map((f) => f.name)).toEqual([`case-${c.caseNumber}-model-2.dcm`]);
    const bytes = new Uint8Array(await files[0]!.blob.arrayBuffer());
    expect(parseDicomHeader(bytes)).toMatchObject({ ok: true, header: { modality: 'M3D', studyInstanceUid: CT_STUDY_UID, patientId: c.phi.mrn } });
    // The STL itself, whole, as the encapsulated document (what dcmtk reads of it: tests/domain/dicom-export-dcmtk.test.ts).
    expect(Buffer.from(bytes).includes(Buffer.from(second))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from(first))).toBe(false);
  });

  it('an OBJ file says DICOM export is for STL files, with no button', async () => {
    await attach('o Kidney\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n', 'kidney.obj');
    renderApp(<CasePage />, { route: `/cases/${caseId}`, path: '/cases/:caseId' });
    const section = await screen.findByRole('region', { name: 'Model and guide files' });
    expect(await within(section).findByText('DICOM export is for STL files (Encapsulated STL); this file is OBJ.')).toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: /as DICOM/ })).not.toBeInTheDocument();
  });
});
