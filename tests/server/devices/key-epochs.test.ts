// A revoked device and what is written after it; the lab's recovery key when every device
// is lost. Real app code on each simulated device, the real server, its real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/db/store';
import { issueSetupCode } from '../../../server/routes/setup';
import { asCaseId } from '../../../src/domain/ids';
import { orderInput } from '../../support/case-builder';
import { newDevice, PIN, serveFrom, type Device } from './device';
import { startServer, type TestServer } from '../support/server';
import { resetStore } from '../support/store';

let store: Store;
let server: TestServer;
let tablet: Device;
let workstation: Device;
let lost: Device;
let recoveryKey: string;
const before = asCaseId('6b1d3e4f-5061-4b7c-8d8e-0f1a2b3c4d5e');
const after = asCaseId('7c2e4f50-6172-4c8d-9e9f-1a2b3c4d5e6f');
const LATER_NAME = 'Zebediah Quillfeather';
const LATER_MRN = 'MRN-770031';

async function joined(name: string, person: string): Promise<Device> {
  const device = await newDevice();
  const joining = await device.labServer.askToJoin(name);
  await tablet.labServer.approveDevice(joining.enrolmentId, PIN);
  await device.labServer.finishJoining(joining);
  await device.signInAs(person);
  return device;
}

const patientOf = async (d: Device, id: typeof before) => (await d.caseView.getCaseView(id))?.case.phi.patientName;

beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  serveFrom(server.url);
  tablet = await newDevice();
  await tablet.accounts.setUpTablet({ name: 'Ada Admin', roles: ['admin', 'technician'], secret: PIN });
  await tablet.accounts.addUser({ name: 'Dr. Rae Reader', roles: ['radiologist'], secret: PIN }, PIN);
  await tablet.commands.runCommand(null, { type: 'create', id: before, input: orderInput({ patientName: 'Alma Earlier' }) });
  recoveryKey = (await tablet.labServer.connectLab(await issueSetupCode(store), 'Bench tablet', PIN)).recoveryKey!;
  await tablet.sync();
  workstation = await joined('Reading room', 'Dr. Rae Reader');
  lost = await joined('Lost laptop', 'Ada Admin');
});
afterAll(() => server.close());

describe('revoking a device starts a new key epoch', () => {
  it('what is written afterwards opens on every other device, for every person, and not with anything the revoked device holds', async () => {
    // A person whose entry is from before key epochs (no key-agreement key) gets no grant, and the lab log names them.
    const oscar = await tablet.accounts.addUser({ name: 'Oscar Older', roles: ['technician'], secret: PIN }, PIN);
    await tablet.database.db.users.update(oscar.id, { agreementKey: undefined });
    const device = (await tablet.labServer.labDevices()).find((d) => d.name === 'Lost laptop')!;
    await tablet.labServer.revokeDevice(device.deviceId, device.name, PIN);
    const revoked = (await tablet.database.db.audit.where('[chain+seq]').between(['lab', 0], ['lab', Infinity]).toArray()).filter((e) => e.kind === 'device-revoked');
    expect((revoked.at(-1)!.body as { summary: string }).summary).toContain('Oscar Older must have their secret reset to read what is written from now on');
    const epoch = tablet.vault.requireUnlock().dataKey.epoch;
    expect(epoch).toMatch(/^2-[0-9a-f]{8}$/);

    await tablet.commands.runCommand(null, { type: 'create', id: after, input: orderInput({ patientName: LATER_NAME, mrn: LATER_MRN }) });
    expect((await tablet.database.db.cases.get(after))!.sealed.k).toBe(epoch);
    await tablet.sync();

    // The radiologist, signed in on the workstation all along, receives the epoch granted to them and reads the new case.
    await workstation.sync();
    expect(await patientOf(workstation, after)).toBe(LATER_NAME);
    expect(await patientOf(workstation, before)).toBe('Alma Earlier');
    // Kept under their own secret: after signing in again, and for the admin too.
    await workstation.signInAs('Dr. Rae Reader');
    expect(workstation.vault.requireUnlock().dataKey.keys.has(epoch)).toBe(true);
    expect(await patientOf(workstation, after)).toBe(LATER_NAME);
    await workstation.signInAs('Ada Admin');
    expect(await patientOf(workstation, after)).toBe(LATER_NAME);

    // The revoked device: refused by the server, and its keys (opened with a PIN) open none of what came after.
    await expect(lost.sync()).rejects.toMatchObject({ status: 401 });
    const ring = lost.vault.requireUnlock().dataKey;
    expect(ring.keys.has(epoch)).toBe(false);
    const { openEnvelope } = await import('../../../src/sync/envelope');
    const rows = await store.query<{ id: string; envelope: string; chain: string | null }>('SELECT event_id AS id, envelope, chain FROM events ORDER BY server_seq');
    const labId = (await lost.syncState.readSyncState())!.labId;
    const opened = await Promise.all(rows.map((r) => openEnvelope(r.envelope, ring, labId, r.id).then((p) => JSON.stringify(p), () => null)));
    const ofLater = rows.flatMap((r, i) => (r.chain === after ? [opened[i]] : []));
    expect(ofLater.length).toBeGreaterThan(0);
    expect(ofLater.every((o) => o === null)).toBe(true);
    for (const text of opened) expect(text ?? '').not.toContain(LATER_MRN);
    const { decryptJson } = await import('../../../src/crypto/field-cipher');
    await expect(decryptJson((await tablet.database.db.cases.get(after))!.sealed, ring, after)).rejects.toThrow('could not be opened');
  });
});

describe('the lab’s recovery key', () => {
  it('is refused with a sentence when mistyped or of another lab, and the device stays empty', async () => {
    const fresh = await newDevice();
    const typo = recoveryKey.slice(0, 5) + (recoveryKey[5] === 'A' ? 'B' : 'A') + recoveryKey.slice(6);
    await expect(fresh.labServer.recoverLab(typo, 'New tablet')).rejects.toThrow('This recovery key has a mistake in it');
    await expect(fresh.labServer.recoverLab(recoveryKey.slice(0, 20), 'New tablet')).rejects.toThrow('A recovery key has 56 characters');
    const { createRecoveryKey } = await import('../../../src/sync/recovery');
    const other = await createRecoveryKey({ setUpRecovery: async () => undefined } as never, tablet.vault.requireUnlock().dataKey, 'not-this-lab');
    await expect(fresh.labServer.recoverLab(other, 'New tablet')).rejects.toThrow('This is not the recovery key of this lab.');
    expect(await fresh.database.db.users.count()).toBe(0);
    expect(await fresh.database.db.settings.get('sync')).toBeUndefined();
  });

  it('brings the whole lab, every key epoch, back onto a new device when every device is lost; each person’s own PIN works there', async () => {
    const replacement = await newDevice();
    await replacement.labServer.recoverLab(recoveryKey.toLowerCase().replace(/-/g, ' '), 'Replacement tablet');
    await replacement.signInAs('Dr. Rae Reader');
    expect(await patientOf(replacement, before)).toBe('Alma Earlier');
    expect(await patientOf(replacement, after)).toBe(LATER_NAME);
    expect((await replacement.caseView.getCaseHistory(after)).history.ok).toBe(true);
    for (const id of [before, after]) expect((await replacement.caseView.getCaseView(id))!.record.state).toBe('verified');
    await replacement.signInAs('Ada Admin');
    expect((await replacement.labServer.labDevices()).map((d) => d.name)).toContain('Replacement tablet');
  });

  it('is kept by the server only as a public key, a token hash and grants: the paper key is nowhere in its database', async () => {
    const compact = recoveryKey.replace(/-/g, '');
    const { readPaperKey, recoveryToken } = await import('../../../src/sync/recovery');
    const scalar = await readPaperKey(recoveryKey);
    const d = Buffer.from(scalar).toString('base64url');
    const token = await recoveryToken(scalar);
    for (const table of ['recovery', 'recovery_grants', 'devices', 'events']) {
      const dump = JSON.stringify(await store.query(`SELECT * FROM ${table}`));
      expect(dump).not.toContain(compact);
      expect(dump).not.toContain(d);
      expect(dump).not.toContain(token);
    }
    expect((await store.query<{ epoch: string }>('SELECT epoch FROM recovery_grants ORDER BY epoch')).map((r) => r.epoch)).toEqual(['1', tablet.vault.requireUnlock().dataKey.epoch]);
  });
});
