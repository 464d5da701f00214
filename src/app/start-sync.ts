import { useEffect } from 'react';
import { readSyncState } from '../db/sync-state';

/**
 * Starts the sync loop when someone signs in on a connected device (the lab key opens only
 * then; the loop stops by itself at lock). The sync code loads only on such a device.
 */
export function useStartSync(signedIn: string | null): void {
  useEffect(() => {
    if (!signedIn) return;
    void readSyncState()
      .then((state) => state && import('../sync/engine').then((m) => m.startSync()))
      .catch(() => undefined);
  }, [signedIn]);
}
