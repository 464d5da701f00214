// A change made on this device that another device's overtook (the sync engine parks it):
// the case page shows it to be applied again or dismissed, only on a connected device.
// The parked entry here is a real, signed entry this device wrote; the other device's
// change is made as a later command on the same case.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CasePage } from '../../../src/app/case-page';
import { runCommand } from '../../../src/db/case-commands';
import { db, durableDb } from '../../../src/db/database';
import { deviceChain, SYNC_STATE, type SyncState } from '../../../src/db/sync-state';
import type { NewCaseInput } from '../../../src/domain/case-input';
import { asCaseId, asDeliverableId, type CaseId } from '../../../src/domain/ids';
import { syncKeys } from '../../../src/queries/sync-queries';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

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
  structures: ['Kidney'],
  dateNeeded: '2026-12-15',
  priority: 'routine',
  deliverables: [{ id: asDeliverableId('m1'), kind: 'model', name: 'Kidney model', copies: 1, components: [{ id: asDeliverableId('c1'), structure: 'Kidney', colour: 'clear', material: 'VeroClear' }] }],
};
const { deliverables: _, ...order } = input;
const TITLE = 'Changes made on this device were overtaken by another device’s';
const connected: SyncState = { labId: 'lab-1', deviceId: 'dev-1', deviceName: 'Bench tablet 1', credential: 'c', cursor: 0, deviceSeq: 0, lastSyncedAt: null, pushed: {} };

let caseId: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Technician', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input });
  // This device made it urgent; another device's later change (here: the next command) set it back.
  await runCommand(caseId, { type: 'editOrder', input: { ...order, priority: 'urgent' } });
  const mine = (await db.audit.where('[chain+seq]').between([caseId, 0], [caseId, Infinity]).last())!;
  await runCommand(caseId, { type: 'editOrder', input: { ...order, priority: 'routine' } });
  await db.parked.put({ id: 'parked-1', chain: caseId, entry: mine, parkedAt: new Date().toISOString() });
});

const openCase = () => renderApp(<CasePage />, { route: `/cases/${caseId}`, path: '/cases/:caseId' });
const panel = () => screen.findByRole('region', { name: TITLE });

describe('overtaken changes on the case page', () => {
  it('lists who, when, what and the field before → after; “Apply again” makes the change on top of the other device’s', async () => {
    await durableDb.settings.put({ key: SYNC_STATE, value: connected });
    const { user } = openCase();
    const item = within(await panel()).getByRole('listitem', { name: 'Order edited: priority' });
    expect(item).toHaveTextContent(/Tess Technician · \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(within(item).getByText('priority: routine → urgent')).toBeInTheDocument();
    expect(screen.getByText(/Needed 2026-12-15 · routine/)).toBeInTheDocument();

    await user.click(within(item).getByRole('button', { name: 'Apply again' }));
    expect(await screen.findByText(/Needed 2026-12-15 · urgent/)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('heading', { name: TITLE })).toBeNull());
    expect((await db.parked.get('parked-1'))?.resolved).toMatch(/^applied again by Tess Technician at /);
    // Recorded on this device's own chain of the lab log.
    expect((await db.audit.where('chain').equals(deviceChain(connected)).toArray()).map((e) => e.kind)).toContain('conflict-resolved');
  });

  it('“Dismiss” leaves the case as the other device left it, and records the choice', async () => {
    await durableDb.settings.put({ key: SYNC_STATE, value: connected });
    const { user } = openCase();
    await user.click(within(await panel()).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: TITLE })).toBeNull());
    expect(screen.getByText(/Needed 2026-12-15 · routine/)).toBeInTheDocument();
    expect((await db.parked.get('parked-1'))?.resolved).toMatch(/^dismissed by Tess Technician at /);
  });

  it('a tablet not connected to a lab server does not look for them', async () => {
    const { client } = openCase();
    await screen.findByRole('heading', { name: input.patientName });
    await waitFor(() => expect(client.getQueryState(syncKeys.state)?.status).toBe('success'));
    expect(client.getQueryState(syncKeys.parked(caseId))?.fetchStatus).toBe('idle');
    expect(client.getQueryState(syncKeys.parked(caseId))?.data).toBeUndefined();
    expect(screen.queryByRole('heading', { name: TITLE })).toBeNull();
  });
});
