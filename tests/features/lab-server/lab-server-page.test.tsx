// The lab server page without a lab server: what it asks for, and that every failure is
// a sentence. Approving, rejecting and revoking against a real server are in the two-device e2e.
import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { durableDb } from '../../../src/db/database';
import { readSyncState, SYNC_STATE, type SyncState } from '../../../src/db/sync-state';
import { LabServerPage } from '../../../src/features/lab-server/lab-server-page';
import { setSyncStatus } from '../../../src/session/sync-status';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

const UNREACHABLE = 'The lab server cannot be reached: changes wait on this device and go up when it can.';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
});

afterEach(() => setSyncStatus(null));

describe('lab server page', () => {
  it('is for lab admins only', async () => {
    await signIn('Tess Technician', ['technician']);
    renderApp(<LabServerPage />);
    expect(screen.getByText('Only a lab admin can connect devices to the lab server.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Connect' })).toBeNull();
  });

  it('on a tablet not connected: asks for the set-up code, a device name and the admin’s PIN, and says why connecting failed', async () => {
    const { user } = renderApp(<LabServerPage />);
    expect(screen.getByRole('heading', { name: 'Lab server', level: 1 })).toBeInTheDocument();
    const form = await screen.findByRole('form', { name: 'Connect this tablet to the lab server' });
    expect(within(screen.getByRole('region', { name: 'Connect this tablet to the lab server' })).getByText(/cannot read patient data/)).toBeInTheDocument();

    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('Type the set-up code the lab server printed when it first started.');

    await user.type(within(form).getByLabelText('Set-up code'), 'K7QP-2WXM');
    await user.type(within(form).getByLabelText('Name of this device'), 'Bench tablet 1');
    await user.type(within(form).getByLabelText('Your PIN, to confirm'), '000000');
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(/^Wrong secret\./);
    expect(within(form).getByLabelText('Your PIN, to confirm')).toHaveValue('');

    await user.type(within(form).getByLabelText('Your PIN, to confirm'), TEST_PIN);
    await user.click(within(form).getByRole('button', { name: 'Connect' }));
    expect(await within(form).findByText(UNREACHABLE)).toHaveAttribute('role', 'alert');
    expect(await readSyncState()).toBeNull();
  });

  it('on a connected device: its status with “Sync now”, and the server’s lists (here: why they cannot be read)', async () => {
    const state: SyncState = { labId: 'lab-1', deviceId: 'dev-1', deviceName: 'Bench tablet 1', credential: 'secret-credential', cursor: 0, deviceSeq: 0, lastSyncedAt: '2026-12-06T10:42:00.000Z', pushed: {} };
    await durableDb.settings.put({ key: SYNC_STATE, value: state });
    renderApp(<LabServerPage />);

    const card = await screen.findByRole('region', { name: 'This device' });
    expect(within(card).getByText('Bench tablet 1')).toBeInTheDocument();
    expect(within(card).getByText('2026-12-06 10:42 UTC')).toBeInTheDocument();
    expect(within(card).getByRole('button', { name: 'Sync now' })).toBeInTheDocument();
    act(() => setSyncStatus({ state: 'offline', deviceName: 'Bench tablet 1', lastSyncedAt: state.lastSyncedAt, waiting: 3, conflicts: 1, newer: 0, message: UNREACHABLE }));
    expect(within(card).getByText('Offline: changes wait on this tablet')).toBeInTheDocument();
    expect(within(card).getByText('Changes waiting to go up').nextElementSibling).toHaveTextContent('3');
    expect(within(card).getByText('Conflicts to resolve').nextElementSibling).toHaveTextContent(/^1 Open the cases to resolve them$/);
    expect(within(card).getByText(UNREACHABLE)).toBeInTheDocument();

    const waiting = screen.getByRole('region', { name: 'Devices waiting to join' });
    expect(await within(waiting).findByText(UNREACHABLE)).toBeInTheDocument();
    const devices = screen.getByRole('region', { name: 'Devices of this lab' });
    expect(await within(devices).findByText(UNREACHABLE)).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Connect this tablet to the lab server' })).toBeNull();
  });

  it('on a revoked device: says so, and offers neither syncing nor approving', async () => {
    await durableDb.settings.put({ key: SYNC_STATE, value: { labId: 'lab-1', deviceId: 'dev-1', deviceName: 'Bench tablet 1', credential: 'c', cursor: 0, deviceSeq: 0, lastSyncedAt: null, pushed: {}, revoked: true } satisfies SyncState });
    renderApp(<LabServerPage />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This device’s access to the lab server was revoked');
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Devices waiting to join' })).toBeNull();
  });
});
