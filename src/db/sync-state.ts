// This device's link to its lab server: which lab, which device, its credential, how
// far it has pulled. Local only: never in a backup (backup.ts), never synced. Absent on
// a tablet that was never connected, which then works exactly as before.
import type { Holding } from '../domain/holding';
import { activeDb, db, type PrintpathDb } from './database';

export const SYNC_STATE = 'sync';
/** Set while a new device takes the lab's records: nobody signs in on a half-joined device. */
export const JOINING = 'joining';
/** What a device whose join stopped half-way (a reload drops the lab's keys from memory) says. */
export const JOIN_INTERRUPTED = 'Joining the lab was interrupted on this device. Clear this site’s data in the browser’s settings, then join again.';

/** JOINING's value while a tablet with records of its own takes the lab's (sync/merge.ts). */
export const MERGING = 'merging';
/** What such a tablet says if that stopped half-way: its own records are still only here. */
export const MERGE_INTERRUPTED = 'Joining the lab with this tablet’s records stopped half-way. Do not clear this site’s data: this tablet’s own cases are still only here. Keep the tablet as it is and ask whoever runs the lab server for help.';

export const isJoining = async (store: PrintpathDb = activeDb(db)) => Boolean((await store.settings.get(JOINING))?.value);
/** The sentence for a device whose joining stopped half-way. */
export const joinInterrupted = async (store: PrintpathDb = activeDb(db)) => ((await store.settings.get(JOINING))?.value === MERGING ? MERGE_INTERRUPTED : JOIN_INTERRUPTED);

export type SyncState = {
  labId: string;
  deviceId: string;
  deviceName: string;
  /** Bearer credential for the lab server (device-scoped, revocable). */
  credential: string;
  /** Last server sequence number pulled into the inbox. */
  cursor: number;
  /** Last device sequence number given to a pushed event. */
  deviceSeq: number;
  lastSyncedAt: string | null;
  /** Hash of what was last pushed for each person and lab setting, to push only changes. */
  pushed: Record<string, string>;
  /** Set when the server refused this device's credential (revoked). */
  revoked?: boolean;
  /** What this device keeps of the lab (domain/holding.ts); absent: everything. */
  holds?: Holding;
  /**
   * A joined device took each case's record first (engine.ts): the history follows, pulled
   * again from this server sequence number until it reaches `cursor`. Absent: all here.
   */
  backfill?: number;
};

export async function readSyncState(store: PrintpathDb = activeDb(db)): Promise<SyncState | null> {
  return ((await store.settings.get(SYNC_STATE))?.value as SyncState | undefined) ?? null;
}

/** Inside the caller's transaction when there is one. */
export async function updateSyncState(store: PrintpathDb, change: (s: SyncState) => SyncState): Promise<void> {
  const current = await readSyncState(store);
  if (current) await store.settings.put({ key: SYNC_STATE, value: change(current) });
}

/** The chain this device's own events go on (sign-ins, locks, failed attempts) once it is connected: one writer, so it never conflicts. */
export const deviceChain = (s: Pick<SyncState, 'deviceId'>) => `device:${s.deviceId}`;
