import { act, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncStatusLine } from '../../../src/app/sync-status';
import { setSyncStatus, type SyncStatus } from '../../../src/session/sync-status';

const base: SyncStatus = { state: 'synced', deviceName: 'Bench tablet 1', lastSyncedAt: '2026-12-06T10:42:13.000Z', waiting: 0, conflicts: 0, newer: 0, message: null };

afterEach(() => setSyncStatus(null));

describe('header sync status', () => {
  it('shows nothing on a tablet that is not connected to a lab server', () => {
    render(<SyncStatusLine />);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('follows the sync engine’s reports, in words', () => {
    render(<SyncStatusLine />);
    act(() => setSyncStatus(base));
    expect(screen.getByRole('status')).toHaveTextContent(/^Synced 10:42 UTC · Bench tablet 1$/);

    act(() => setSyncStatus({ ...base, state: 'offline', waiting: 3, message: 'The lab server cannot be reached.' }));
    expect(screen.getByRole('status')).toHaveTextContent(/^Offline · 3 changes waiting$/);

    act(() => setSyncStatus({ ...base, waiting: 1, conflicts: 2 }));
    expect(screen.getByRole('status')).toHaveTextContent(/^Synced 10:42 UTC · Bench tablet 1 · 1 change waiting · 2 conflicts to resolve$/);

    act(() => setSyncStatus({ ...base, newer: 1 }));
    expect(screen.getByRole('status')).toHaveTextContent('1 event needs a newer version');

    act(() => setSyncStatus({ ...base, state: 'revoked' }));
    expect(screen.getByRole('status')).toHaveTextContent(/^This device was revoked: not syncing$/);

    act(() => setSyncStatus(null));
    expect(screen.queryByRole('status')).toBeNull();
  });
});
