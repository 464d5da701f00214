import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { runCommand } from '../../../src/db/case-commands';
import { db } from '../../../src/db/database';
import { followDatabaseChanges } from '../../../src/queries/database-changes';
import { attachModelFile } from '../../../src/db/model-file-repo';
import { signStage } from '../../../src/db/signing';
import type { NewCaseInput } from '../../../src/domain/case-input';
import { asCaseId, asDeliverableId, type CaseId } from '../../../src/domain/ids';
import { filesOf } from '../../../src/domain/model-files';
import { renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';
import { order } from '../../support/orders';
import { asciiStl, binaryStl, multiPart, sphereOfTriangles } from '../../support/stl-generator';

const input: NewCaseInput = order({
  deliverables: [{ id: asDeliverableId('m1'), kind: 'model', name: 'Kidney model', copies: 1, components: [{ id: asDeliverableId('c1'), structure: 'Kidney', colour: 'clear', material: 'VeroClear' }] }],
});

let caseId: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Technician', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input });
  await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-20', accessionNumber: 'ACC1', sliceThicknessMm: 0.625 } });
  for (const item of ['studyRetrieved', 'qualityAdequate']) await runCommand(caseId, { type: 'tick', stage: 'imaging', item, done: true });
  await signIn('Dr. Rita Radiologist', ['radiologist']);
  await signStage(caseId, 'imaging', TEST_PIN);
  await signIn('Tess Technician', ['technician']);
});

const openCase = () => renderApp(<CasePage />, { route: `/cases/${caseId}`, path: '/cases/:caseId' });

describe('model files at segmenting', () => {
  it('the technician attaches an ASCII STL by its label: it is listed with its size and hash, and can be viewed in 3D', async () => {
    const { user } = openCase();
    const section = await screen.findByRole('region', { name: 'Model and guide files' });
    expect(within(section).getByText('No file attached.')).toBeInTheDocument();
    const stl = new File([asciiStl(multiPart())], 'kidney.stl', { type: 'model/stl' });
    await user.upload(within(section).getByLabelText('Attach a file to Kidney model'), stl);
    expect(await within(section).findByText('kidney.stl attached on Kidney model.')).toBeInTheDocument();
    expect(within(section).getByText('kidney.stl')).toBeInTheDocument();
    expect(within(section).getByText(/SHA-256 [0-9a-f]{16}… · attached at segmenting by Tess Technician/)).toBeInTheDocument();
    expect(await within(section).findByRole('button', { name: 'View kidney.stl in 3D' })).toBeInTheDocument();
    expect(within(section).getByLabelText('Replace kidney.stl')).toBeInTheDocument();
    const stored = filesOf((await import('../../../src/db/case-view-repo').then((m) => m.getCase(caseId)))!.case);
    expect(stored).toMatchObject([{ name: 'kidney.stl', size: stl.size, format: 'stl' }]);
  });

  it('a file that is not STL or OBJ is refused with a message', async () => {
    openCase();
    // The picker offers only STL and OBJ, but a person can choose "All files".
    const user = userEvent.setup({ applyAccept: false });
    const section = await screen.findByRole('region', { name: 'Model and guide files' });
    await user.upload(within(section).getByLabelText('Attach a file to Kidney model'), new File(['PK'], 'kidney.3mf'));
    expect(await within(section).findByRole('alert')).toHaveTextContent('Not saved. Attach an STL or OBJ file');
  });

  it('a file whose bytes have not all arrived shows as still arriving, with no 3D view offered', async () => {
    const after = await attachModelFile(caseId, { deliverableId: asDeliverableId('m1'), stage: 'segmenting', file: new File([binaryStl([sphereOfTriangles('Kidney', 40, 50_000)])], 'kidney.stl') });
    const ref = filesOf(after)[0]!;
    await db.fileChunks.delete([ref.id, 1]);
    openCase();
    const section = await screen.findByRole('region', { name: 'Model and guide files' });
    expect(await within(section).findByText('kidney.stl is still arriving on this device.')).toBeInTheDocument();
    expect(within(section).getByText(/2 of 3 parts received/)).toBeInTheDocument();
    expect(within(section).queryByRole('button', { name: /in 3D/ })).not.toBeInTheDocument();
  });

  it('a file that stopped arriving says why; once its last part arrives, the 3D view is offered without a reload', async () => {
    const after = await attachModelFile(caseId, { deliverableId: asDeliverableId('m1'), stage: 'segmenting', file: new File([binaryStl([sphereOfTriangles('Kidney', 40, 50_000)])], 'kidney.stl') });
    const ref = filesOf(after)[0]!;
    const part = (await db.fileChunks.get([ref.id, 1]))!;
    await db.fileChunks.delete([ref.id, 1]);
    await db.fileTransfers.put({ fileId: ref.id, caseId, chunks: 3, state: 'fetch', problem: 'Part 2 of 3 did not open with this lab’s key as it arrived (damaged or altered): it was not kept.' });
    const { client } = openCase();
    const stop = followDatabaseChanges(client);
    const section = await screen.findByRole('region', { name: 'Model and guide files' });
    expect(await within(section).findByText('kidney.stl is still arriving on this device.')).toBeInTheDocument();
    expect(within(section).getByText(/2 of 3 parts received/)).toHaveTextContent('Part 2 of 3 did not open with this lab’s key as it arrived (damaged or altered): it was not kept. It is fetched again at the next sign-in.');
    await db.fileChunks.put(part);
    expect(await within(section).findByRole('button', { name: 'View kidney.stl in 3D' })).toBeInTheDocument();
    expect(within(section).queryByText('kidney.stl is still arriving on this device.')).not.toBeInTheDocument();
    stop();
  });
});
