// What people do with the lab server: connect this tablet (an admin, with the server's
// one-time set-up code; the lab's recovery key is made then, shown once), join a lab from
// a new device or recover it onto one with the recovery key, approve or reject a device
// that asks to join, revoke a device, and resolve this device's changes that another
// device's overtook. Each admin action needs the admin's secret typed then, and is
// recorded on the signed lab log. The app shell starts the sync loop (engine.ts).
// Overtaken changes and how they are resolved: parked.ts.
import { authorise } from '../db/accounts';
import { db, durableDb } from '../db/database';
import { CommandRefused } from '../db/errors';
import { writeLab } from '../db/lab-log-repo';
import { KEY_EPOCH_PREFIX, newKeyEpoch } from '../db/key-epochs';
import { requireUnlock, setUnlocked } from '../db/vault';
import { DEVICE_KEY_ID } from '../db/signed-entries';
import { isJoining, joinInterrupted, JOINING, readSyncState, SYNC_STATE, type SyncState } from '../db/sync-state';
import { broughtBy, keyCode, newEnrolmentKeys, unwrapLabKeys, wrapLabKeys, type Bringing, type EnrolmentKeys } from './enrol-keys';
import { applyInbox, applyPage, openEvents } from './incoming';
import { deviceApi, serverApi } from './server-api';
import type { Holding } from '../domain/holding';
import { createRecoveryKey, openRecoveredRing, readPaperKey, recoveryToken, shareRecoveryGrant } from './recovery';
import type { KeyRing } from '../crypto/key-ring';

const newState = (labId: string, deviceId: string, deviceName: string, credential: string, holds: Holding = 'all'): SyncState => ({
  labId, deviceId, deviceName, credential, cursor: 0, deviceSeq: 0, lastSyncedAt: null, pushed: {}, holds,
});

async function connected(): Promise<SyncState> {
  const state = await readSyncState(db);
  if (!state) throw new CommandRefused('This device is not connected to a lab server.');
  return state;
}

/**
 * Connects this tablet: the server's set-up code creates the lab; everything on the tablet
 * then goes up, sealed. Returns the lab's recovery key to show once (null when the server
 * could not take it: the Lab server page offers to make it again).
 */
export async function connectLab(code: string, deviceName: string, adminSecret: string, now = new Date().toISOString()): Promise<{ recoveryKey: string | null }> {
  if (await readSyncState(db)) throw new CommandRefused('This tablet is already connected to a lab server.');
  if (!code.trim()) throw new CommandRefused('Type the set-up code the lab server printed when it first started.');
  if (!deviceName.trim()) throw new CommandRefused('Name this device, e.g. “Bench tablet 1”.');
  const { admin, signer } = await authorise(adminSecret, now);
  const keys = await newEnrolmentKeys();
  const res = await serverApi.setup(code.trim(), deviceName.trim(), keys.publicKey);
  await writeLab(signer, now, () => ({
    events: [{ kind: 'lab-server-connected', summary: `Connected to the lab server as “${deviceName.trim()}” by ${admin.actor.name}` }],
    write: () => durableDb.settings.put({ key: SYNC_STATE, value: newState(res.labId, res.deviceId, deviceName.trim(), res.credential) }),
  }));
  const recoveryKey = await createRecoveryKey(deviceApi(res.labId, res.credential), admin.dataKey, res.labId).catch(() => null);
  if (recoveryKey) await writeLab(signer, now, () => ({ events: [{ kind: 'recovery-key-created', summary: `Lab recovery key made and shown once to ${admin.actor.name}` }] }));
  return { recoveryKey };
}

/** Whether the lab has a recovery key on the server (labs connected before recovery keys have none). */
export async function hasRecoveryKey(): Promise<boolean> {
  const state = await connected();
  return (await deviceApi(state.labId, state.credential).recovery()).recoveryKey;
}

/** Makes the lab's recovery key where it has none; returns it, to show once. */
export async function makeRecoveryKey(adminSecret: string, now = new Date().toISOString()): Promise<string> {
  const state = await connected();
  const { admin, signer } = await authorise(adminSecret, now);
  const api = deviceApi(state.labId, state.credential);
  if ((await api.recovery()).recoveryKey) throw new CommandRefused('This lab already has a recovery key. It was shown once, when it was made.');
  const paper = await createRecoveryKey(api, admin.dataKey, state.labId);
  await writeLab(signer, now, () => ({ events: [{ kind: 'recovery-key-created', summary: `Lab recovery key made and shown once to ${admin.actor.name}` }] }));
  return paper;
}

export type Joining = { labId: string; enrolmentId: string; code: string; keyCode: string; collectToken: string; deviceName: string; holds: Holding; keys: EnrolmentKeys };

/** The lab on this server: a device joins the one lab it holds. */
export async function serverLab(deviceName: string): Promise<string> {
  if (!deviceName.trim()) throw new CommandRefused('Name this device, e.g. “Reading room workstation”.');
  const { labs } = await serverApi.labs();
  if (labs.length > 1) throw new CommandRefused('This server holds several labs, and joining one of several is not possible yet: ask whoever runs the server.');
  const labId = labs[0]?.labId;
  if (!labId) throw new CommandRefused('This server has no lab yet: a lab admin connects their tablet first, with the server’s set-up code.');
  return labId;
}

/** The server's lab, for a device with nothing of its own yet (one with its own records joins with them: merge.ts). */
async function labToTake(deviceName: string): Promise<string> {
  if (await isJoining()) throw new CommandRefused(await joinInterrupted());
  if ((await db.users.count()) > 0 || (await db.cases.count()) > 0) {
    throw new CommandRefused('This device already has people or cases of its own: a lab admin signs in and joins from the Lab server page, bringing them along.');
  }
  return serverLab(deviceName);
}

/** A new device asks to join the server's lab; it shows the code and key code until an admin approves. */
export async function askToJoin(deviceName: string, holds: Holding = 'all'): Promise<Joining> {
  const labId = await labToTake(deviceName);
  const keys = await newEnrolmentKeys();
  const asked = await serverApi.askToEnrol(labId, deviceName.trim(), keys.publicKey);
  return { labId, enrolmentId: asked.enrolmentId, code: asked.code, keyCode: await keyCode(keys.publicKey), collectToken: asked.collectToken, deviceName: deviceName.trim(), holds, keys };
}

/**
 * Waits for an admin's approval, then takes the lab: the lab key (unwrapped with this page's
 * enrolment key, kept in memory only), every event, people and settings. The lab key is
 * dropped at the end: from then on it opens only with a person's secret.
 */
export async function finishJoining(j: Joining, { signal, onProgress }: JoinOptions = {}): Promise<void> {
  const { state, ring } = await approval(j, signal);
  return takeLab(state, ring, onProgress);
}

export type JoinOptions = { signal?: AbortSignal; onProgress?: (text: string) => void };

/** Waits for an admin's approval: this device's link to the lab and the lab's key ring (in memory only). */
export async function approval(j: Joining, signal?: AbortSignal): Promise<{ state: SyncState; ring: KeyRing }> {
  for (;;) {
    if (signal?.aborted) throw new CommandRefused('Joining was cancelled.');
    const answer = await serverApi.collect(j.labId, j.enrolmentId, j.collectToken);
    if (answer.status === 'approved') {
      const ring = await unwrapLabKeys(answer.wrappedLabKey, j.keys, j.labId, j.enrolmentId);
      return { state: newState(j.labId, answer.deviceId, j.deviceName, answer.credential, j.holds), ring };
    }
    if (answer.status === 'rejected') throw new CommandRefused('A lab admin rejected this device.');
    if (answer.status !== 'pending') throw new CommandRefused('This request to join expired: ask again and have an admin approve it within 15 minutes.');
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Every event of the lab, opened with its key ring (in memory only, dropped at the end). */
async function takeLab(state: SyncState, ring: KeyRing, onProgress?: (text: string) => void): Promise<void> {
  await durableDb.transaction('rw', durableDb.settings, async () => {
    // Each case's record first, its history behind the usable list (engine.ts backfill).
    await durableDb.settings.put({ key: SYNC_STATE, value: { ...state, backfill: 0 } });
    await durableDb.settings.put({ key: DEVICE_KEY_ID, value: crypto.randomUUID() });
    await durableDb.settings.put({ key: JOINING, value: true });
  });
  const api = deviceApi(state.labId, state.credential);
  // Each page is written while the next one is on its way and, once it is here, opened: the page's
  // thread decrypts while IndexedDB commits the last one.
  let cursor = state.cursor;
  const keys = { dataKey: ring, labId: state.labId };
  const fetchAfter = (after: number) => {
    const page = api.pull(after, { heads: true }).then((p) => ({ page: p, opened: openEvents(p.events, keys) }));
    page.catch(() => undefined); // awaited below; a failure while the last page is applied is not unhandled meanwhile
    return page;
  };
  let next = fetchAfter(cursor);
  for (let records = 0; ; ) {
    const { page, opened } = await next;
    if (page.more) next = fetchAfter(page.next);
    await applyPage(cursor, page, keys, opened);
    cursor = page.next;
    records += page.events.length;
    onProgress?.(`Receiving the lab’s records… (${records})`);
    if (!page.more) break;
  }
  // What waited for a later page (a case's record behind its entries) applies now.
  await applyInbox(keys);
  await durableDb.settings.delete(JOINING);
}

/**
 * Every device is lost: a new device takes the lab with the recovery key from paper. It
 * enrols without an admin (the paper key is the lab's authority), receives every key epoch
 * granted to the recovery key and every event; each person's own PIN then works here.
 */
export async function recoverLab(typedKey: string, deviceName: string, onProgress?: (text: string) => void): Promise<void> {
  const scalar = await readPaperKey(typedKey);
  const labId = await labToTake(deviceName);
  const res = await serverApi.recover(labId, await recoveryToken(scalar), deviceName.trim());
  const ring = await openRecoveredRing(scalar, res.publicKey, res.grants, labId).catch(() => {
    throw new CommandRefused('The server’s copy of the lab’s keys does not open with this recovery key: nothing was taken. Ask whoever runs the server.');
  });
  await takeLab(newState(labId, res.deviceId, deviceName.trim(), res.credential), ring, onProgress);
}

/** `brings`: a tablet joining with people and cases of its own (merge.ts). */
export type WaitingDevice = { enrolmentId: string; deviceName: string; code: string; keyCode: string; createdAt: string; brings: Bringing | null };

export async function waitingDevices(): Promise<WaitingDevice[]> {
  const state = await connected();
  const { enrolments } = await deviceApi(state.labId, state.credential).enrolments();
  return Promise.all(enrolments.map(async (e) => ({ enrolmentId: e.enrolmentId, deviceName: e.deviceName, code: e.code, createdAt: e.createdAt, keyCode: await keyCode(e.publicKey), brings: broughtBy(e.publicKey) })));
}

/** Approves a device: the lab key goes to it wrapped to its own key, never usable by the server. */
export async function approveDevice(enrolmentId: string, adminSecret: string, now = new Date().toISOString()): Promise<void> {
  const state = await connected();
  const { admin, signer } = await authorise(adminSecret, now);
  const api = deviceApi(state.labId, state.credential);
  const pending = (await api.enrolments()).enrolments.find((e) => e.enrolmentId === enrolmentId);
  if (!pending) throw new CommandRefused('This device is no longer waiting for approval.');
  const wrapped = await wrapLabKeys(admin.dataKey, pending.publicKey, state.labId, enrolmentId);
  const { deviceId } = await api.approve(enrolmentId, wrapped);
  const brings = broughtBy(pending.publicKey);
  await writeLab(signer, now, () => ({
    events: [
      { kind: 'device-enrolled', summary: `Device “${pending.deviceName}” (key ${pending.code}) joined the lab, approved by ${admin.actor.name}`, subjectId: deviceId },
      // The admin vouches for the lab log this tablet brings, as the key code they compared binds it.
      ...(brings ? [{ kind: 'lab-merged' as const, summary: `“${pending.deviceName}” brought ${brings.people} people and ${brings.cases} cases of its own into the lab, approved by ${admin.actor.name}`, subjectId: deviceId, merged: { id: enrolmentId, deviceName: pending.deviceName, ...brings } }] : []),
    ],
  }));
}

export async function rejectDevice(enrolmentId: string): Promise<void> {
  const state = await connected();
  await deviceApi(state.labId, state.credential).reject(enrolmentId);
}

export type LabDevice = { deviceId: string; name: string; createdAt: string; revokedAt: string | null; self: boolean };

export async function labDevices(): Promise<LabDevice[]> {
  const state = await connected();
  const { self, devices } = await deviceApi(state.labId, state.credential).devices();
  return devices.filter((d) => d.collected).map((d) => ({ deviceId: d.deviceId, name: d.name, createdAt: d.createdAt, revokedAt: d.revokedAt, self: d.deviceId === self }));
}

/**
 * Revokes a lost device: the server refuses it from its next request, and a new key epoch
 * starts, granted to every person (crypto/key-grant.ts) and never to that device: what is
 * written from now on does not open with what the lost device holds.
 */
export async function revokeDevice(deviceId: string, name: string, adminSecret: string, now = new Date().toISOString()): Promise<void> {
  const state = await connected();
  if (deviceId === state.deviceId) throw new CommandRefused('This is the device you are using: revoke it from another device.');
  const { admin, signer } = await authorise(adminSecret, now);
  const api = deviceApi(state.labId, state.credential);
  await api.revoke(deviceId);
  const { record, ring, without } = await newKeyEpoch(admin.dataKey, state.labId, `Device “${name}” revoked`, now);
  const missing = without.length ? `; ${without.join(', ')} must have their secret reset to read what is written from now on` : '';
  await writeLab(signer, now, () => ({
    events: [{ kind: 'device-revoked', summary: `Device “${name}” revoked by ${admin.actor.name}; new data key epoch ${record.epoch}${missing}`, subjectId: deviceId }],
    write: () => durableDb.settings.put({ key: `${KEY_EPOCH_PREFIX}${record.epoch}`, value: record }),
  }));
  setUnlocked({ ...requireUnlock(), dataKey: ring });
  // Out of reach now, it goes up with this device's next sync (engine.ts).
  await shareRecoveryGrant(api, record).catch(() => undefined);
}

export { parkedChanges, parkedLabChanges, resolveParked, resolveParkedLab, type ParkedChange, type ParkedLabChange } from './parked';
