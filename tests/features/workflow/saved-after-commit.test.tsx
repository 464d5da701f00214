// What the case page says is saved must be in the database: a tick flips at once
// but shows as saving until its transaction has committed; "Ticked by", "Unticked
// by" and a stage form's "Saved" come only after. The writes are held at the door
// of their transaction, so the screen can be read while nothing is committed yet.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { runCommand } from '../../../src/db/case-commands';
import { getCase } from '../../../src/db/case-view-repo';
import { db, durableDb } from '../../../src/db/database';
import type { NewCaseInput } from '../../../src/domain/case-input';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { followDatabaseChanges } from '../../../src/queries/database-changes';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

const input: NewCaseInput = {
  patientName: 'Ingrid Solberg',
  mrn: 'MRN7070',
  dateOfBirth: '1968-02-11',
  sex: 'female',
  indication: 'Tibial plateau fracture',
  notes: '',
  orderingPhysician: 'Dr. K. Berg',
  physicianContact: 'pager 3310',
  icd10: 'S82.101A',
  anatomicRegion: 'Knee',
  structures: ['Tibia'],
  dateNeeded: '2026-12-20',
  priority: 'routine',
  deliverables: [],
};

let caseId: CaseId;
let release: (() => void) | undefined;

/**
 * Every read-write transaction on the database waits until `letGo()`; reads go on.
 * `atTheDoor` resolves when the first write has asked for its transaction and is held there.
 */
function holdWrites(): { letGo: () => void; atTheDoor: Promise<void> } {
  let open!: () => void;
  let arrived!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const atTheDoor = new Promise<void>((resolve) => (arrived = resolve));
  // Case writes commit on the durable connection.
  const transaction = durableDb.transaction.bind(durableDb) as (...args: unknown[]) => Promise<unknown>;
  const spy = vi.spyOn(durableDb, 'transaction').mockImplementation(((...args: unknown[]) => {
    if (args[0] !== 'rw') return transaction(...args);
    arrived();
    return gate.then(() => transaction(...args));
  }) as typeof durableDb.transaction);
  release = () => {
    open();
    spy.mockRestore();
  };
  return { letGo: release, atTheDoor };
}

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Technician', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input });
});

afterEach(() => {
  release?.(); // a failed test must not leave its writes held
  release = undefined;
});

const openCase = () => renderApp(<CasePage />, { route: `/cases/${caseId}`, path: '/cases/:caseId' });
const storedTick = async (item: string) => (await getCase(caseId))?.case.stages.imaging.checklist[item];
const itemRow = (box: HTMLElement) => box.closest('label')!;

describe('what the case page shows as saved is committed', () => {
  it('a tick and an untick flip at once, show "Saving…" while written, and say who only once committed', async () => {
    const { user } = openCase();
    const box = await screen.findByRole('checkbox', { name: /^Study retrieved from PACS/ });

    const { letGo, atTheDoor } = holdWrites();
    await user.click(box);
    await waitFor(() => expect(box).toBeChecked());
    expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Saving…$/);
    expect(itemRow(box)).toHaveAttribute('aria-busy', 'true');
    expect(screen.queryByText(/Ticked by/)).toBeNull();
    await atTheDoor; // the write is at its transaction, and held there
    expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Saving…$/);
    expect(await storedTick('studyRetrieved')).toBeUndefined();

    letGo();
    await waitFor(() => expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Ticked by Tess Technician, /));
    expect((await storedTick('studyRetrieved'))?.done).toBe(true); // committed when it said so
    expect(itemRow(box)).not.toHaveAttribute('aria-busy');
    expect(box).toBeChecked();

    const { letGo: letGoAgain, atTheDoor: heldAgain } = holdWrites();
    await user.click(box);
    await waitFor(() => expect(box).not.toBeChecked());
    expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Saving…$/);
    expect(screen.queryByText(/Unticked by/)).toBeNull();
    await heldAgain;
    expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Saving…$/);
    expect((await storedTick('studyRetrieved'))?.done).toBe(true);

    letGoAgain();
    await waitFor(() => expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Unticked by Tess Technician, /));
    expect((await storedTick('studyRetrieved'))?.done).toBe(false);
    expect(box).not.toBeChecked();
  });

  it('the tap itself shows the tick as saving: nothing is awaited before it renders, and the checklist takes no other tap meanwhile', async () => {
    openCase();
    const box = await screen.findByRole('checkbox', { name: /^Study retrieved from PACS/ });
    const { letGo } = holdWrites();
    fireEvent.click(box); // returns once React has rendered what the click itself set; no promise has run
    expect(box).toBeChecked();
    expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Saving…$/);
    expect(screen.getByRole('group', { name: 'Checklist' })).toBeDisabled();
    letGo();
    await waitFor(() => expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Ticked by Tess Technician, /));
    expect((await storedTick('studyRetrieved'))?.done).toBe(true);
    expect(screen.getByRole('group', { name: 'Checklist' })).toBeEnabled();
  });

  it('a checklist shown again while its tick is written still says "Saving…"', async () => {
    const { user } = openCase();
    await screen.findByRole('checkbox', { name: /^Study retrieved from PACS/ });
    const { letGo } = holdWrites();
    await user.click(screen.getByRole('checkbox', { name: /^Study retrieved from PACS/ }));
    await waitFor(() => expect(screen.getByRole('checkbox', { name: /^Study retrieved from PACS/ })).toBeChecked());
    const sections = screen.getByRole('navigation', { name: 'Case sections' });
    await user.click(within(sections).getByRole('button', { name: /^Order/ }));
    await waitFor(() => expect(screen.queryByRole('group', { name: 'Checklist' })).toBeNull());
    await user.click(within(sections).getByRole('button', { name: /^1\. Imaging/ }));
    const box = await screen.findByRole('checkbox', { name: /^Study retrieved from PACS/ });
    expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Saving…$/);
    expect(box).toBeChecked();

    letGo();
    await waitFor(() => expect(box).toHaveAccessibleName(/^Study retrieved from PACS\s*Ticked by Tess Technician, /));
    expect((await storedTick('studyRetrieved'))?.done).toBe(true);
  });

  it('a stage form says "Saved" (and drops its draft) only once the save has committed', async () => {
    const { user } = openCase();
    const form = await screen.findByRole('form', { name: 'Imaging record' });
    await user.type(within(form).getByLabelText('Accession number'), 'ACC-77');
    await waitFor(() => expect(db.drafts.count()).resolves.toBe(1));

    const { letGo, atTheDoor } = holdWrites();
    await user.click(within(form).getByRole('button', { name: 'Save imaging' }));
    await atTheDoor;
    expect(within(form).queryByRole('status')).toBeNull();
    expect(within(form).getByText('Unsaved changes')).toBeInTheDocument();
    expect(await db.drafts.count()).toBe(1); // a reload now brings the input back
    expect((await getCase(caseId))?.case.stages.imaging.values.accessionNumber).toBeUndefined();

    letGo();
    expect(await within(form).findByRole('status')).toHaveTextContent('Saved');
    expect((await getCase(caseId))?.case.stages.imaging.values.accessionNumber).toBe('ACC-77');
    expect(within(form).queryByText('Unsaved changes')).toBeNull();
  });

  it('a field saved here takes a later change made elsewhere (another tab, another device)', async () => {
    const { user, client } = openCase();
    // As the app does (app.tsx): every database change, from any tab or the sync, refreshes what is shown.
    const stop = followDatabaseChanges(client);
    const form = await screen.findByRole('form', { name: 'Imaging record' });
    const field = within(form).getByLabelText('Accession number');
    await user.type(field, 'ACC-HERE');
    await user.click(within(form).getByRole('button', { name: 'Save imaging' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('Saved');
    await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { accessionNumber: 'ACC-ELSEWHERE' } });
    await waitFor(() => expect(field).toHaveValue('ACC-ELSEWHERE'));
    stop();
  });
});
