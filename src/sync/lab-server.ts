// What people do with the lab server: connect this tablet (an admin, with the server's
// one-time set-up code), join a lab from a new device, approve or reject a device that
// asks to join, revoke a device, and resolve this device's changes that another
// device's overtook. Each admin action needs the admin's secret typed then, and is
// recorded on the signed lab log. The app shell starts the sync loop (engine.ts).
import { authorise } from '../db/accounts';
import { openCaseEntry } from '../db/audit-repo';
import { runCommand, type CaseCommand } from '../db/case-commands';
import { db, durableDb } from '../db/database';
import { CommandRefused } from '../db/errors';
import { LAB_CHAIN, writeLab } from '../db/lab-log-repo';
import type { LabEvent } from '../domain/lab-log';
import { DEVICE_KEY_ID, entrySigner } from '../db/signed-entries';
import { readSyncState, SYNC_STATE, type SyncState } from '../db/sync-state';
import { requireUnlock } from '../db/vault';
import type { CaseId } from '../domain/ids';
import type { CaseEvent } from '../domain/case';
import { keyCode, newEnrolmentKeys, unwrapLabKey, wrapLabKey, type EnrolmentKeys } from './enrol-keys';
import { applyInbox } from './incoming';
import { deviceApi, serverApi, ServerError } from './server-api';
import { pullOnce } from './engine';

const newState = (labId: string, deviceId: string, deviceName: string, credential: string): SyncState => ({
  labId, deviceId, deviceName, credential, cursor: 0, deviceSeq: 0, lastSyncedAt: null, pushed: {},
});

async function connected(): Promise<SyncState> {
  const state = await readSyncState(db);
  if (!state) throw new CommandRefused('This device is not connected to a lab server.');
  return state;
}

/** Connects this tablet: the server's set-up code creates the lab; everything on the tablet then goes up, sealed. */
export async function connectLab(code: string, deviceName: string, adminSecret: string, now = new Date().toISOString()): Promise<void> {
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
}

export type Joining = { labId: string; enrolmentId: string; code: string; keyCode: string; collectToken: string; deviceName: string; keys: EnrolmentKeys };

/** A new device asks to join the server's lab; it shows the code and key code until an admin approves. */
export async function askToJoin(deviceName: string): Promise<Joining> {
  if ((await db.users.count()) > 0 || (await db.cases.count()) > 0) {
    throw new CommandRefused('This device already has people or cases of its own. Joining a lab with them is not possible yet: export a backup, then join from a new browser profile.');
  }
  if (!deviceName.trim()) throw new CommandRefused('Name this device, e.g. “Reading room workstation”.');
  const { labs } = await serverApi.labs();
  if (labs.length > 1) throw new CommandRefused('This server holds several labs, and joining one of several is not possible yet: ask whoever runs the server.');
  const labId = labs[0]?.labId;
  if (!labId) throw new CommandRefused('This server has no lab yet: a lab admin connects their tablet first, with the server’s set-up code.');
  const keys = await newEnrolmentKeys();
  const asked = await serverApi.askToEnrol(labId, deviceName.trim(), keys.publicKey);
  return { labId, enrolmentId: asked.enrolmentId, code: asked.code, keyCode: await keyCode(keys.publicKey), collectToken: asked.collectToken, deviceName: deviceName.trim(), keys };
}

/**
 * Waits for an admin's approval, then takes the lab: the lab key (unwrapped with this page's
 * enrolment key, kept in memory only), every event, people and settings. The lab key is
 * dropped at the end: from then on it opens only with a person's secret.
 */
export async function finishJoining(j: Joining, { signal, onProgress }: { signal?: AbortSignal; onProgress?: (text: string) => void } = {}): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw new CommandRefused('Joining was cancelled.');
    const answer = await serverApi.collect(j.labId, j.enrolmentId, j.collectToken);
    if (answer.status === 'approved') {
      const labKey = await unwrapLabKey(answer.wrappedLabKey, j.keys, j.labId, j.enrolmentId);
      await durableDb.transaction('rw', durableDb.settings, async () => {
        await durableDb.settings.put({ key: SYNC_STATE, value: newState(j.labId, answer.deviceId, j.deviceName, answer.credential) });
        await durableDb.settings.put({ key: DEVICE_KEY_ID, value: crypto.randomUUID() });
      });
      const api = deviceApi(j.labId, answer.credential);
      let pages = 0;
      while (await pullOnce(api, 0)) onProgress?.(`Receiving the lab’s records… (${++pages * 500} events)`);
      onProgress?.('Opening the lab’s records…');
      await applyInbox({ dataKey: labKey, labId: j.labId });
      return;
    }
    if (answer.status === 'rejected') throw new CommandRefused('A lab admin rejected this device.');
    if (answer.status !== 'pending') throw new CommandRefused('This request to join expired: ask again and have an admin approve it within 15 minutes.');
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export type WaitingDevice = { enrolmentId: string; deviceName: string; code: string; keyCode: string; createdAt: string };

export async function waitingDevices(): Promise<WaitingDevice[]> {
  const state = await connected();
  const { enrolments } = await deviceApi(state.labId, state.credential).enrolments();
  return Promise.all(enrolments.map(async (e) => ({ enrolmentId: e.enrolmentId, deviceName: e.deviceName, code: e.code, createdAt: e.createdAt, keyCode: await keyCode(e.publicKey) })));
}

/** Approves a device: the lab key goes to it wrapped to its own key, never usable by the server. */
export async function approveDevice(enrolmentId: string, adminSecret: string, now = new Date().toISOString()): Promise<void> {
  const state = await connected();
  const { admin, signer } = await authorise(adminSecret, now);
  const api = deviceApi(state.labId, state.credential);
  const pending = (await api.enrolments()).enrolments.find((e) => e.enrolmentId === enrolmentId);
  if (!pending) throw new CommandRefused('This device is no longer waiting for approval.');
  const wrapped = await wrapLabKey(admin.dataKey, pending.publicKey, state.labId, enrolmentId);
  const { deviceId } = await api.approve(enrolmentId, wrapped);
  await writeLab(signer, now, () => ({
    events: [{ kind: 'device-enrolled', summary: `Device “${pending.deviceName}” (key ${pending.code}) joined the lab, approved by ${admin.actor.name}`, subjectId: deviceId }],
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

/** Revokes a lost device: the server refuses it from its next request. */
export async function revokeDevice(deviceId: string, name: string, adminSecret: string, now = new Date().toISOString()): Promise<void> {
  const state = await connected();
  if (deviceId === state.deviceId) throw new CommandRefused('This is the device you are using: revoke it from another device.');
  const { admin, signer } = await authorise(adminSecret, now);
  await deviceApi(state.labId, state.credential).revoke(deviceId);
  await writeLab(signer, now, () => ({ events: [{ kind: 'device-revoked', summary: `Device “${name}” revoked by ${admin.actor.name}`, subjectId: deviceId }] }));
}

export type ParkedChange = { id: string; caseId: string; actorName: string; at: string; summary: string; event: CaseEvent | null; canApply: boolean; resolved: string | null };

/** This device's changes to a case that another device's overtook. */
export async function parkedChanges(caseId: string): Promise<ParkedChange[]> {
  const { dataKey } = requireUnlock();
  const rows = await db.parked.where('chain').equals(caseId).toArray();
  return Promise.all(
    rows
      .sort((a, b) => a.entry.seq - b.entry.seq)
      .map(async (p) => {
        const opened = await openCaseEntry(p.entry, caseId, dataKey).catch(() => null);
        const type = opened?.command?.type;
        return { id: p.id, caseId, actorName: p.entry.actorName, at: p.entry.at, summary: opened?.event.summary ?? p.entry.kind, event: opened?.event ?? null, canApply: !!type && type !== 'create' && type !== 'sign', resolved: p.resolved ?? null };
      }),
  );
}

/** Applies an overtaken change again (a new change by whoever is signed in), or dismisses it; either is recorded. */
export async function resolveParked(id: string, how: 'apply' | 'dismiss', now = new Date().toISOString()): Promise<void> {
  const unlocked = requireUnlock();
  const parked = await db.parked.get(id);
  if (!parked || parked.resolved) throw new CommandRefused('This change was already resolved.');
  const opened = await openCaseEntry(parked.entry, parked.chain, unlocked.dataKey);
  const caseNumber = (await db.cases.get(parked.chain))?.caseNumber ?? 'a case';
  if (how === 'apply') {
    const command = opened.command;
    if (!command || command.type === 'create' || command.type === 'sign') throw new CommandRefused('This change cannot be applied again: make it again by hand (a signature needs its signer’s secret).');
    await runCommand(parked.chain as CaseId, command as CaseCommand, now);
  }
  const verdict = how === 'apply' ? `applied again by ${unlocked.actor.name}` : `dismissed by ${unlocked.actor.name}`;
  await writeLab(entrySigner(unlocked), now, () => ({
    events: [{ kind: 'conflict-resolved', summary: `A change to ${caseNumber} made here by ${parked.entry.actorName} at ${parked.entry.at} (${opened.event.type}), overtaken by another device’s, was ${verdict}` }],
    write: () => durableDb.parked.update(id, { resolved: `${verdict} at ${now}` }),
  }));
}

export type ParkedLabChange = { id: string; actorName: string; at: string; summary: string; canApply: boolean; resolved: string | null };

/** Changes to people, roles, policy or equipment made here while apart, overtaken by another device's change to the lab log. */
export async function parkedLabChanges(): Promise<ParkedLabChange[]> {
  const rows = await db.parked.where('chain').equals(LAB_CHAIN).toArray();
  return rows
    .sort((a, b) => a.entry.seq - b.entry.seq)
    .map((p) => {
      const body = p.entry.body as LabEvent;
      return { id: p.id, actorName: p.entry.actorName, at: p.entry.at, summary: body.summary, canApply: ADMIN_REDO.has(body.kind), resolved: p.resolved ?? null };
    });
}

// What an admin may sign again as it was; a person's own key changes need that person.
const ADMIN_REDO: ReadonlySet<string> = new Set(['user-added', 'roles-changed', 'user-disabled', 'user-enabled', 'secret-reset', 'policy-changed', 'printer-added', 'printer-changed', 'printer-retired', 'printer-reactivated', 'material-added', 'material-changed', 'material-retired', 'material-reactivated']);

/** An admin signs an overtaken lab change again (as it was, after the other device's), or dismisses it; either is recorded. */
export async function resolveParkedLab(id: string, how: 'apply' | 'dismiss', adminSecret: string, now = new Date().toISOString()): Promise<void> {
  const parked = await db.parked.get(id);
  if (!parked || parked.chain !== LAB_CHAIN || parked.resolved) throw new CommandRefused('This change was already resolved.');
  const body = parked.entry.body as LabEvent;
  if (how === 'apply' && !ADMIN_REDO.has(body.kind)) throw new CommandRefused('Only the person it concerns can make this change again.');
  const { admin, signer } = await authorise(adminSecret, now);
  const verdict = how === 'apply' ? `signed again by ${admin.actor.name}` : `dismissed by ${admin.actor.name}`;
  await writeLab(signer, now, () => ({
    events: [
      ...(how === 'apply' ? [body] : []),
      { kind: 'conflict-resolved', summary: `A change to the lab made here by ${parked.entry.actorName} at ${parked.entry.at} (“${body.summary}”), overtaken by another device’s, was ${verdict}` },
    ],
    write: () => durableDb.parked.update(id, { resolved: `${verdict} at ${now}` }),
  }));
}

export { ServerError };
