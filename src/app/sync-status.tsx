import { useSyncExternalStore } from 'react';
import { getSyncStatus, subscribeSyncStatus, type SyncStatus } from '../session/sync-status';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const clock = (iso: string) => `${new Date(iso).toISOString().slice(11, 16)} UTC`;

/** The header's line about the lab server, in words (never colour alone). */
export function syncStatusText(s: SyncStatus): string {
  const first = {
    synced: s.lastSyncedAt ? `Synced ${clock(s.lastSyncedAt)}` : 'Synced',
    syncing: 'Syncing…',
    offline: 'Offline',
    problem: 'Sync problem',
    revoked: 'This device was revoked: not syncing',
  }[s.state];
  const parts = [first];
  if (s.state === 'synced' || s.state === 'syncing') parts.push(s.deviceName);
  if (s.waiting > 0) parts.push(`${count(s.waiting, 'change', 'changes')} waiting`);
  if (s.conflicts > 0) parts.push(`${count(s.conflicts, 'conflict', 'conflicts')} to resolve`);
  if (s.newer > 0) parts.push(`${count(s.newer, 'event needs', 'events need')} a newer version`);
  return parts.join(' · ');
}

/** Shown only on a device connected to a lab server (the sync engine writes the store). */
export function SyncStatusLine() {
  const status = useSyncExternalStore(subscribeSyncStatus, getSyncStatus);
  if (!status) return null;
  const tone = status.state === 'revoked' || status.state === 'problem' || status.conflicts > 0 ? 'bad' : status.state === 'offline' || status.newer > 0 ? 'warn' : 'ok';
  return (
    <span className={`net sync-${tone}`} role="status" title={status.message ?? undefined}>
      {syncStatusText(status)}
    </span>
  );
}
