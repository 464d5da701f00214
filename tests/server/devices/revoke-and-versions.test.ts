// A lost device revoked, and an event from a newer version of Printpath: what each
// device does, through the real server.
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
const caseId = asCaseId('5a0c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d');

beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  serveFrom(server.url);
  tablet = await newDevice();
  await tablet.accounts.setUpTablet({ name: 'Ada Admin', roles: ['admin', 'technician'], secret: PIN });
  await tablet.commands.runCommand(null, { type: 'create', id: caseId, input: orderInput() });
  await tablet.labServer.connectLab(await issueSetupCode(store), 'Bench tablet', PIN);
  await tablet.sync();
  workstation = await newDevice();
  const joining = await workstation.labServer.askToJoin('Lost laptop');
  await tablet.labServer.approveDevice(joining.enrolmentId, PIN);
  await workstation.labServer.finishJoining(joining);
  await workstation.signInAs('Ada Admin');
});
afterAll(() => server.close());

describe('revoking a lost device', () => {
  it('stops its access at once; what it had not pushed stays on it, counted as waiting', async () => {
    const devices = await tablet.labServer.labDevices();
    const lost = devices.find((d) => d.name === 'Lost laptop')!;
    await expect(tablet.labServer.revokeDevice(lost.deviceId, lost.name, 'not-my-pin')).rejects.toThrow();
    await tablet.labServer.revokeDevice(lost.deviceId, lost.name, PIN);
    expect((await tablet.labServer.labDevices()).find((d) => d.deviceId === lost.deviceId)?.revokedAt).toEqual(expect.any(String));

    await workstation.commands.runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
    const refused = await workstation.sync().catch((e: Error & { status?: number }) => e);
    expect(refused).toMatchObject({ status: 401 });
    expect(await workstation.database.db.outbox.count()).toBeGreaterThan(0);
    // Nothing of it reached the lab.
    await tablet.sync();
    expect((await tablet.caseView.getCaseView(caseId))?.case.stages.imaging.checklist.studyRetrieved).toBeUndefined();
  });
});

describe('an event of a kind this version does not know', () => {
  it('is kept, counted as needing a newer version, and never dropped or rewritten', async () => {
    const { sealEnvelope } = await import('../../../src/sync/envelope');
    const { deviceApi } = await import('../../../src/sync/server-api');
    const state = (await tablet.syncState.readSyncState())!;
    const eventId = crypto.randomUUID();
    const payload = { type: 'model-file-chunk', file: 'abc', chunk: 0 } as never;
    const envelope = await sealEnvelope(payload, tablet.vault.requireUnlock().dataKey.key, state.labId, eventId);
    await deviceApi(state.labId, state.credential).push([{ eventId, deviceSeq: 9_000_000, hlc: '000001765000000-00000-future', parents: [], sig: 'none', envelope, size: Buffer.from(envelope, 'base64').length }]);
    const applied = await tablet.sync();
    expect(applied.newer).toBe(1);
    const kept = await tablet.database.db.inbox.toArray();
    expect(kept.map((r) => (r.event as { eventId: string }).eventId)).toEqual([eventId]);
    expect((await tablet.sync()).newer).toBe(1);
    expect(await tablet.database.db.inbox.count()).toBe(1);
  });

});

describe('a device that has not finished joining', () => {
  it('lets nobody sign in (the lab log that vouches for its people may not be there yet), and says what to do', async () => {
    const ada = (await workstation.database.db.users.toArray()).find((u) => u.name === 'Ada Admin')!;
    expect(await workstation.database.db.settings.get('joining')).toBeUndefined();
    // As a join interrupted between taking the people and taking the lab log leaves it.
    await workstation.database.durableDb.settings.put({ key: 'joining', value: true });
    await workstation.vault.lock();
    await expect(workstation.accounts.signIn(ada.id, PIN)).rejects.toThrow('This device is still receiving the lab’s records');
    expect(workstation.vault.currentUnlock()).toBeNull();
    // The lock screen lists nobody yet (the join screen stays, with its progress); a join cut short says what to do.
    const { listUsers } = await import('../../../src/db/user-repo');
    expect(await listUsers()).toEqual([]);
    await expect(workstation.labServer.askToJoin('Again')).rejects.toThrow('Joining the lab was interrupted on this device. Clear this site’s data');
    await expect(workstation.accounts.setUpTablet({ name: 'Someone', roles: ['admin'], secret: PIN })).rejects.toThrow('Joining the lab was interrupted');
  });
});

describe('a device that joins after such an event', () => {
  // Last: a new device's modules are the ones a later dynamic import would get.
  it('keeps it too: a join applies its pages from memory, and what it cannot apply goes to its inbox', async () => {
    const [kept] = await tablet.database.db.inbox.toArray();
    const late = await newDevice();
    const joining = await late.labServer.askToJoin('Late workstation');
    await tablet.labServer.approveDevice(joining.enrolmentId, PIN);
    await late.labServer.finishJoining(joining);
    expect(await late.database.db.inbox.toArray()).toEqual([kept]);
    await late.signInAs('Ada Admin');
    expect((await late.sync()).newer).toBe(1);
    expect(await late.database.db.inbox.count()).toBe(1);
    expect((await late.caseView.getCaseView(caseId))?.case.id).toBe(caseId);
  });
});
