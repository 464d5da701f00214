import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { db, durableDb } from '../../../src/db/database';
import { CasePage } from '../../../src/app/case-page';
import { runCommand } from '../../../src/db/case-commands';
import { getCase } from '../../../src/db/case-view-repo';
import type { NewCaseInput } from '../../../src/domain/case-input';
import { asCaseId, asDeliverableId, type CaseId } from '../../../src/domain/ids';
import { signIn as unlock } from '../../../src/db/accounts';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { DEMO_PIN } from '../../../src/domain/demo-people';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

const input: NewCaseInput = {
  patientName: 'Nguyễn Thị Lan',
  mrn: 'MRN4242',
  dateOfBirth: '1975-06-01',
  sex: 'female',
  indication: 'Renal mass',
  notes: '',
  orderingPhysician: 'Dr. S. Ito',
  physicianContact: 'pager 2211',
  icd10: 'C64.1',
  anatomicRegion: 'Abdomen',
  structures: ['Kidney', 'Tumour'],
  dateNeeded: '2026-12-15',
  priority: 'routine',
  deliverables: [{ id: asDeliverableId('m1'), kind: 'model', name: 'Kidney model', copies: 1, components: [{ id: asDeliverableId('c1'), structure: 'Kidney', colour: 'clear', material: 'VeroClear' }, { id: asDeliverableId('c2'), structure: 'Tumour', colour: 'yellow', material: 'VeroClear' }] }],
};

let caseId: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Technician', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input });
});

const openCase = () => renderApp(<CasePage />, { route: `/cases/${caseId}`, path: '/cases/:caseId' });

/** Records imaging as the technician, then signs in `name` (who stays signed in for the test). */
async function imagingReadyToSign(name: string, roles: ('technician' | 'radiologist')[], allTicked = false) {
  await signIn('Tess Technician', ['technician']);
  await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-20', accessionNumber: 'ACC1', sliceThicknessMm: 0.625 } });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
  if (allTicked) await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
  await signIn(name, roles);
}

describe('case page: imaging stage', () => {
  it('says what blocks the stage, and a tick by the technician updates it and records who ticked', async () => {
    await imagingReadyToSign('Tom Tech', ['technician']);
    const { user } = openCase();
    const needs = await screen.findByLabelText('What imaging still needs');
    expect(within(needs).getByText(/Tick “Image quality adequate/)).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: /Image quality adequate for segmentation/ }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: /Image quality adequate/ })).toBeChecked());
    expect(await screen.findByText(/Ticked by Tom Tech/)).toBeInTheDocument();
    expect(within(screen.getByLabelText('What imaging still needs')).queryByText(/Image quality adequate/)).toBeNull();
    // Who ticked shows only once stored (saved-after-commit.test.tsx holds the write to see it).
    await waitFor(async () => expect((await getCase(caseId))?.case.stages.imaging.checklist.qualityAdequate?.byName).toBe('Tom Tech'));
  });

  it('shows a tick at once; when the tablet cannot store it, the tick is taken back and the reason shown', async () => {
    await imagingReadyToSign('Tom Tech', ['technician']);
    const { user } = openCase();
    const box = await screen.findByRole('checkbox', { name: /Image quality adequate for segmentation/ });
    const full = new DOMException('quota', 'QuotaExceededError');
    const add = vi.spyOn(durableDb.audit, 'bulkAdd').mockImplementationOnce(() => { throw full; });
    await user.click(box);
    expect(await screen.findByRole('alert')).toHaveTextContent(/storage is full/i);
    await waitFor(() => expect(screen.getByRole('checkbox', { name: /Image quality adequate/ })).not.toBeChecked());
    expect((await getCase(caseId))?.case.stages.imaging.checklist.qualityAdequate).toBeUndefined();
    add.mockRestore();
  });

  it('does not let a technician sign a radiologist’s stage', async () => {
    await imagingReadyToSign('Tom Tech', ['technician'], true);
    openCase();
    expect(await screen.findByText(/Only a radiologist can sign this stage/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign off imaging' })).toBeDisabled();
  });

  it('a radiologist signs; the signature shows name, time and meaning; an edit voids it visibly', async () => {
    await imagingReadyToSign('Dr. Rita Rad', ['radiologist'], true);
    const { user } = openCase();
    await user.click(await screen.findByRole('button', { name: 'Sign off imaging' }));
    await user.type(screen.getByLabelText('Your PIN, to sign'), '000000');
    await user.click(screen.getByRole('button', { name: 'Sign as Dr. Rita Rad' }));
    expect(await screen.findByText(/Wrong secret\. 4 more wrong tries/)).toBeInTheDocument();
    expect(screen.queryByLabelText('Signature')).toBeNull();
    await user.type(screen.getByLabelText('Your PIN, to sign'), TEST_PIN);
    await user.click(screen.getByRole('button', { name: 'Sign as Dr. Rita Rad' }));
    const signature = await screen.findByLabelText('Signature');
    expect(signature).toHaveTextContent('Dr. Rita Rad');
    expect(signature).toHaveTextContent(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(signature).toHaveTextContent('Meaning: “Imaging adequate for segmentation”');
    expect(signature).toHaveTextContent('verified with the signer’s key');
    expect(screen.getByText('Imaging is complete.')).toBeInTheDocument();

    const thickness = screen.getByLabelText('Slice thickness');
    await user.clear(thickness);
    await user.type(thickness, '1.25');
    await user.click(screen.getByRole('button', { name: 'Save imaging' }));
    const voided = await screen.findByRole('heading', { name: 'Voided signatures' });
    expect(voided.parentElement).toHaveTextContent(/voided .* by Dr\. Rita Rad\. Changed: Slice thickness/);
    expect(screen.queryByLabelText('Signature')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign off imaging' })).toBeEnabled();
  });

  it('keeps typed input as a draft, and deletes the draft as soon as the input is saved', async () => {
    await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-20', accessionNumber: 'ACC-1', sliceThicknessMm: 0.625 } });
    const { user } = openCase();
    const accession = await screen.findByLabelText('Accession number');
    await waitFor(() => expect(accession).toHaveValue('ACC-1'));
    await user.clear(accession);
    await user.type(accession, 'ACC-2');
    await waitFor(() => expect(db.drafts.count()).resolves.toBe(1)); // written a moment after typing stops
    await user.click(screen.getByRole('button', { name: 'Save imaging' }));
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    // At once, not 400 ms later: a draft left behind comes back over the saved case after a reload, and over any later save.
    await waitFor(() => expect(db.drafts.count()).resolves.toBe(0), { timeout: 250 });
    expect((await getCase(caseId))?.case.stages.imaging.values.accessionNumber).toBe('ACC-2');
  });

  it('a bad value gets a message at the field and nothing is saved', async () => {
    const { user } = openCase();
    const thickness = await screen.findByLabelText('Slice thickness');
    await user.type(thickness, '55');
    await user.click(screen.getByRole('button', { name: 'Save imaging' }));
    expect(await screen.findByText('Slice thickness: at most 10 mm')).toBeInTheDocument();
    expect((await getCase(caseId))?.case.stages.imaging.values).toEqual({});
  });
});

describe('case page: demo cases and demo people', () => {
  /** Loads demo cases (and with them the demo people) as the lab admin; returns a demo case's id. */
  async function loadDemo(): Promise<CaseId> {
    await signIn(ADMIN, ['admin']);
    await loadDemoCases(1, TEST_PIN, new Date('2026-11-20T10:00:00Z'), 2019, { progress: () => 0 });
    return (await db.cases.toArray()).find((r) => r.id !== caseId)!.id as CaseId;
  }
  async function signInDemo(name: string) {
    await unlock((await db.users.where('name').equals(name).first())!.id, DEMO_PIN);
  }

  it('a demo case says so in its header (to a screen reader: not a real patient); a real one does not', async () => {
    const demoCase = await loadDemo();
    const { unmount } = renderApp(<CasePage />, { route: `/cases/${demoCase}`, path: '/cases/:caseId' });
    const header = (await screen.findByRole('heading', { level: 1 })).closest('header')!;
    expect(within(header).getByText('Demo')).toBeVisible();
    expect(within(header).getByText('Demo case — not a real patient')).toBeInTheDocument();
    unmount();

    openCase();
    const realHeader = (await screen.findByRole('heading', { level: 1, name: input.patientName })).closest('header')!;
    expect(realHeader).not.toHaveTextContent(/demo/i);
  });

  it('the demo radiologist is told they cannot sign a real case, and the sign-off is disabled', async () => {
    await imagingReadyToSign('Tom Tech', ['technician'], true);
    await loadDemo();
    await signInDemo('Dr. Priya Raman');
    openCase();
    expect(await screen.findByText(/Demo people cannot sign real cases: Dr\. Priya Raman \(demo\) is for trying Printpath on demo cases/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign off imaging' })).toBeDisabled();
    expect(screen.queryByText(/Only a radiologist can sign/)).toBeNull();
  });

  it('the demo radiologist signs a demo case, as “(demo)”', async () => {
    const demoCase = await loadDemo();
    await signInDemo('Alex Morgan');
    await runCommand(asCaseId(demoCase), { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-20', accessionNumber: 'ACC1', sliceThicknessMm: 0.625 } });
    await runCommand(asCaseId(demoCase), { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
    await runCommand(asCaseId(demoCase), { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
    await signInDemo('Dr. Priya Raman');
    const { user } = renderApp(<CasePage />, { route: `/cases/${demoCase}`, path: '/cases/:caseId' });
    await user.click(await screen.findByRole('button', { name: 'Sign off imaging' }));
    await user.type(screen.getByLabelText('Your PIN, to sign'), DEMO_PIN);
    await user.click(screen.getByRole('button', { name: 'Sign as Dr. Priya Raman (demo)' }));
    const signature = await screen.findByLabelText('Signature');
    expect(signature).toHaveTextContent('Dr. Priya Raman (demo) (Radiologist)');
    expect(signature).toHaveTextContent('verified with the signer’s key');
  });
});
