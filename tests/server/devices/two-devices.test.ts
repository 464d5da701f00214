// Two devices of one lab, running the app's real data and sync code against the real
// server (PGlite or PostgreSQL, as the run says): a tablet with cases connects and its
// history goes up; a workstation joins with an admin's approval and the people's own
// PINs; changes travel both ways; the same field changed on both while apart is parked
// on the device that lost the race, shown, and resolved with a new audited change.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/db/store';
import { issueSetupCode } from '../../../server/routes/setup';
import { asCaseId } from '../../../src/domain/ids';
import { orderInput } from '../../support/case-builder';
import { newDevice, PIN, serveFrom, type Device } from './device';
import { startServer, type TestServer } from '../support/server';
import { resetStore } from '../support/store';

let store: Store;
let server: TestServer;
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  serveFrom(server.url);
});
afterAll(() => server.close());
// One lab per test: a new device joins the server's only lab.
beforeEach(async () => {
  store = await resetStore();
});

const caseId = asCaseId('7c1e9a52-3b7d-4c4e-9a0f-1d2e3f405060');

async function labWithOneCase(): Promise<Device> {
  const tablet = await newDevice();
  await tablet.accounts.setUpTablet({ name: 'Ada Admin', roles: ['admin'], secret: PIN });
  await tablet.accounts.addUser({ name: 'Tom Tech', roles: ['technician'], secret: PIN }, PIN);
  await tablet.accounts.addUser({ name: 'Dr. Rae Reader', roles: ['radiologist'], secret: PIN }, PIN);
  await tablet.signInAs('Tom Tech');
  await tablet.commands.runCommand(null, { type: 'create', id: caseId, input: orderInput({ patientName: 'Zofia Quillfeather', mrn: 'MRN-777999' }) });
  await tablet.commands.runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
  return tablet;
}

async function join(admin: Device, name: string): Promise<Device> {
  const device = await newDevice();
  const joining = await device.labServer.askToJoin(name);
  const waiting = await admin.labServer.waitingDevices();
  const mine = waiting.find((w) => w.enrolmentId === joining.enrolmentId)!;
  // What the admin compares with the joining screen.
  expect({ code: mine.code, keyCode: mine.keyCode }).toEqual({ code: joining.code, keyCode: joining.keyCode });
  await admin.labServer.approveDevice(joining.enrolmentId, PIN);
  await device.labServer.finishJoining(joining);
  return device;
}

/** The tablet with its case connected to the server, and a workstation joined to its lab. */
async function connectedPair(): Promise<{ tablet: Device; workstation: Device }> {
  const tablet = await labWithOneCase();
  await tablet.signInAs('Ada Admin');
  await tablet.labServer.connectLab(await issueSetupCode(store), 'Bench tablet', PIN);
  await tablet.sync();
  return { tablet, workstation: await join(tablet, 'Reading room') };
}

describe('a lab of two devices through the real server', () => {
  it('connects a tablet with cases, enrols a workstation, and carries changes, signatures of trust and conflicts both ways', async () => {
    const tablet = await labWithOneCase();
    await tablet.signInAs('Ada Admin');
    await tablet.labServer.connectLab(await issueSetupCode(store), 'Bench tablet', PIN);
    await tablet.sync();
    expect(await tablet.database.db.outbox.count()).toBe(0);

    const workstation = await join(tablet, 'Reading room');
    // The people's own PINs work on the new device; the lab key opened only with one.
    expect((await workstation.database.db.users.toArray()).map((u) => u.name).sort()).toEqual(['Ada Admin', 'Dr. Rae Reader', 'Tom Tech']);
    await workstation.signInAs('Dr. Rae Reader');
    // The join took each case's record: listed and readable at once, its history arriving behind it.
    const first = await workstation.caseView.getCaseView(caseId);
    expect(first?.case.phi.patientName).toBe('Zofia Quillfeather');
    expect(first?.record).toMatchObject({ state: 'legacy', text: expect.stringContaining('Its history is still arriving from the lab server') });
    // Changed only once its history is here.
    await expect(workstation.commands.runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true })).rejects.toThrow('This case’s history is on the lab server, not on this device');
    await workstation.sync();
    expect(await workstation.syncState.readSyncState()).not.toHaveProperty('backfill');
    const seen = await workstation.caseView.getCaseView(caseId);
    expect(seen?.case.phi.patientName).toBe('Zofia Quillfeather');
    expect(seen?.case.stages.imaging.checklist.studyRetrieved?.done).toBe(true);
    expect(seen?.record.state).toBe('verified');
    expect(seen?.people.state).toBe('verified');
    const history = await workstation.caseView.getCaseHistory(caseId);
    expect(history.history).toMatchObject({ ok: true });

    // A change on the workstation reaches the tablet.
    await workstation.signInAs('Tom Tech');
    await workstation.commands.runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
    await workstation.sync();
    await tablet.signInAs('Tom Tech');
    await tablet.sync();
    const onTablet = await tablet.caseView.getCaseView(caseId);
    expect(onTablet?.case.stages.imaging.checklist.qualityAdequate?.done).toBe(true);
    expect(onTablet?.record.state).toBe('verified');
    expect((await tablet.caseView.getCaseHistory(caseId))?.history.ok).toBe(true);
    // The workstation's sign-ins are on its own chain, and show on the tablet's lab trail, signed.
    const trail = await tablet.auditRepo.readLabHistory();
    expect(trail.problem).toBeNull();
    expect(trail.entries).toContainEqual(expect.objectContaining({ kind: 'sign-in', actorName: 'Dr. Rae Reader', device: 'other', signed: true }));
    expect(trail.entries).toContainEqual(expect.objectContaining({ kind: 'sign-in', actorName: 'Tom Tech', device: 'this', signed: true }));

    // Both change the same field while apart: the first to reach the server wins; the other is parked, shown, resolved.
    const order = (c: NonNullable<typeof onTablet>['case'], indication: string) => ({ ...orderInput(), ...c.phi, ...c.order, structures: [...c.order.structures], deliverables: undefined, indication });
    await tablet.commands.runCommand(caseId, { type: 'editOrder', input: order(onTablet!.case, 'Left acetabulum, posterior wall') });
    const onWorkstation = (await workstation.caseView.getCaseView(caseId))!;
    await workstation.commands.runCommand(caseId, { type: 'editOrder', input: order(onWorkstation.case, 'Right acetabulum, anterior column') });
    await tablet.sync();
    await workstation.sync();
    expect((await workstation.caseView.getCaseView(caseId))?.case.phi.indication).toBe('Left acetabulum, posterior wall');
    const parked = await workstation.labServer.parkedChanges(caseId);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ actorName: 'Tom Tech', canApply: true, resolved: null });
    expect(parked[0]!.event?.changes).toContainEqual(expect.objectContaining({ field: 'indication', after: 'Right acetabulum, anterior column' }));

    await workstation.labServer.resolveParked(parked[0]!.id, 'apply');
    await workstation.sync();
    await tablet.sync();
    for (const device of [tablet, workstation]) {
      const view = await device.caseView.getCaseView(caseId);
      expect(view?.case.phi.indication).toBe('Right acetabulum, anterior column');
      expect(view?.record.state).toBe('verified');
      expect((await device.caseView.getCaseHistory(caseId))?.history.ok).toBe(true);
    }
    expect((await workstation.labServer.parkedChanges(caseId))[0]?.resolved).toMatch(/^applied again by Tom Tech/);

    // Different fields changed while apart merge without asking: the overtaken change is the signed-in person's own and touches nothing the other touched.
    const now = (await tablet.caseView.getCaseView(caseId))!.case;
    await tablet.commands.runCommand(caseId, { type: 'editOrder', input: { ...order(now, now.phi.indication), notes: 'Bring to the Tuesday conference' } });
    await workstation.commands.runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { accessionNumber: 'ACC-55120' } });
    await tablet.sync();
    await workstation.sync();
    await tablet.sync();
    const open = (await workstation.labServer.parkedChanges(caseId)).filter((p) => !p.resolved);
    expect(open).toEqual([]);
    expect((await workstation.labServer.parkedChanges(caseId)).at(-1)?.resolved).toMatch(/^applied again automatically/);
    for (const device of [tablet, workstation]) {
      const view = (await device.caseView.getCaseView(caseId))!;
      expect(view.case.phi.notes).toBe('Bring to the Tuesday conference');
      expect(view.case.stages.imaging.values.accessionNumber).toBe('ACC-55120');
      expect(view.record.state).toBe('verified');
      expect((await device.caseView.getCaseHistory(caseId))?.history.ok).toBe(true);
    }
  });

  it('two admins who add people while apart: the lab log stays one line, the overtaken change is shown to an admin and signed again', async () => {
    const { tablet, workstation } = await connectedPair();
    await workstation.signInAs('Ada Admin');

    await tablet.accounts.addUser({ name: 'Pia Printer', roles: ['technician'], secret: PIN }, PIN);
    await workstation.accounts.addUser({ name: 'Dr. Sol Second', roles: ['radiologist'], secret: PIN }, PIN);
    await tablet.sync();
    await workstation.sync();
    const parked = await workstation.labServer.parkedLabChanges();
    expect(parked).toEqual([expect.objectContaining({ actorName: 'Ada Admin', canApply: true, resolved: null, summary: expect.stringContaining('Dr. Sol Second') })]);
    // Until an admin signs it again, the person added on the losing side is not on the lab.
    const before = await workstation.accounts.signIn((await workstation.database.db.users.toArray()).find((u) => u.name === 'Dr. Sol Second')!.id, PIN).catch((e: Error) => e);
    expect(before).toBeInstanceOf(Error);

    await workstation.signInAs('Ada Admin');
    await expect(workstation.labServer.resolveParkedLab(parked[0]!.id, 'apply', 'wrong-pin')).rejects.toThrow();
    await workstation.labServer.resolveParkedLab(parked[0]!.id, 'apply', PIN);
    await workstation.sync();
    await tablet.sync();
    for (const device of [tablet, workstation]) {
      const names = (await device.database.db.users.toArray()).map((u) => u.name).sort();
      expect(names).toEqual(['Ada Admin', 'Dr. Rae Reader', 'Dr. Sol Second', 'Pia Printer', 'Tom Tech']);
      await device.signInAs('Dr. Sol Second');
      await device.signInAs('Pia Printer');
      expect(device.vault.currentUnlock()?.actor.name).toBe('Pia Printer');
    }
  });
  it('a new case whose first entry was changed after it was hashed is not taken by the other device: it waits in its inbox, unapplied', async () => {
    const { tablet, workstation } = await connectedPair();
    await workstation.signInAs('Tom Tech');
    await workstation.sync();

    const forged = asCaseId('0d9f6c1a-5e2b-4a7c-8d3e-2f1a0b9c8d7e');
    const honest = asCaseId('5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d');
    await tablet.signInAs('Tom Tech');
    await tablet.commands.runCommand(null, { type: 'create', id: forged, input: orderInput({ patientName: 'Ines Marlowe', mrn: 'MRN-424242' }) });
    await tablet.commands.runCommand(null, { type: 'create', id: honest, input: orderInput({ patientName: 'Otto Brandt', mrn: 'MRN-515151' }) });
    // Someone with the tablet's storage in hand changes who made the first case, keeping its hash: the server cannot tell.
    await tablet.database.db.audit.update([forged, 1], { actorName: 'Mallory' });
    await tablet.sync();
    await workstation.sync();

    expect(await workstation.database.db.cases.get(forged)).toBeUndefined();
    expect(await workstation.database.db.audit.where('[chain+seq]').between([forged, 0], [forged, Infinity]).count()).toBe(0);
    expect((await workstation.caseView.getCaseView(honest))?.record.state).toBe('verified');
    expect((await workstation.apply()).waiting).toBeGreaterThan(0);
  });
});
