// What the header shows about the lab server: a small store the sync engine writes
// (src/sync/engine.ts, loaded only on a connected device) and the header reads.
export type SyncStatus = {
  state: 'syncing' | 'synced' | 'offline' | 'revoked' | 'problem';
  deviceName: string;
  lastSyncedAt: string | null;
  /** Entries made here that the server does not have yet. */
  waiting: number;
  /** This device's changes overtaken by another device's, waiting for a person to resolve. */
  conflicts: number;
  /** Events from a newer version of Printpath, kept until this device is updated. */
  newer: number;
  message: string | null;
};

let status: SyncStatus | null = null;
const listeners = new Set<() => void>();

export const getSyncStatus = (): SyncStatus | null => status;

export function setSyncStatus(next: SyncStatus | null): void {
  status = next;
  listeners.forEach((l) => l());
}

export function subscribeSyncStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
