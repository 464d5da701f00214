// A second tablet with people and cases of its own joins the lab already on the server:
// its cases and people merged, nothing lost, nothing re-encrypted or re-signed. Real app
// code on each simulated device, the real server and its database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/db/store';
import { issueSetupCode } from '../../../server/routes/setup';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { IMAGING_VALUES, orderInput } from '../../support/case-builder';
import { newDevice, PIN, serveFrom, type Device } from './device';
import { startServer, type TestServer } from '../support/server';
import { resetStore } from '../support/store';

let store: Store;
let server: TestServer;
let first: Device;
let second: Device;
const labCase = asCaseId('1d2e3f40-5162-4738-8495-a6b7c8d9e0f1');
const broughtCase = asCaseId('2e3f4051-6273-4849-95a6-b7c8d9e0f1a2');

async function readyForSignoff(d: Device, id: CaseId, patientName: string, mrn: string) {
  await d.commands.runCommand(null, { type: 'create', id, input: orderInput({ patientName, mrn }) });
  await d.commands.runCommand(id, { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
  await d.commands.runCommand(id, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
  await d.commands.runCommand(id, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
}

const patientOf = async (d: Device, id: CaseId) => (await d.caseView.getCaseView(id))?.case.phi.patientName;
const found = async (d: Device, query: string) => [...((await d.caseRepo.searchCaseIds(query)) ?? [])];

beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  serveFrom(server.url);
  first = await newDevice();
  await first.accounts.setUpTablet({ name: 'Ada Admin', roles: ['admin', 'technician'], secret: PIN });
  await first.accounts.addUser({ name: 'Dr. Rae Reader', roles: ['radiologist'], secret: PIN }, PIN);
  await first.signInAs('Ada Admin');
  await readyForSignoff(first, labCase, 'Alma Labcase', 'MRN-100001');
  await first.labServer.connectLab(await issueSetupCode(store), 'Bench tablet 1', PIN);
  await first.sync();

  // The second tablet was set up on its own, months ago: its own people, key, search key and lab log.
  second = await newDevice();
  await second.accounts.setUpTablet({ name: 'Bea Bench', roles: ['admin', 'technician'], secret: PIN });
  await second.accounts.addUser({ name: 'Dr. Omar Other', roles: ['radiologist'], secret: PIN }, PIN);
  await second.signInAs('Bea Bench');
  await readyForSignoff(second, broughtCase, 'Bruno Brought', 'MRN-200002');
  await second.signInAs('Dr. Omar Other');
  await second.signing.signStage(broughtCase, 'imaging', PIN);
});
afterAll(() => server.close());

describe('a second tablet with its own records joins the lab', () => {
  it('refuses to join as a new device, with a sentence, and changes nothing', async () => {
    await expect(second.labServer.askToJoin('Bench tablet 2')).rejects.toThrow(/already has people or cases of its own: a lab admin signs in and joins from the Lab server page/);
    expect(await second.database.db.cases.count()).toBe(1);
  });

  it('a server that alters what the tablet says it brings changes the key code the approving admin compares', async () => {
    await second.signInAs('Bea Bench');
    const joining = await second.merge.askToJoinWithRecords('Bench tablet 2');
    const [row] = await store.query<{ public_key: string }>('SELECT public_key FROM enrolments WHERE id = $1', [joining.enrolmentId]);
    const forged = JSON.parse(row!.public_key) as { brings: { head: string } };
    forged.brings.head = 'f'.repeat(64);
    await store.query('UPDATE enrolments SET public_key = $1 WHERE id = $2', [JSON.stringify(forged), joining.enrolmentId]);
    await first.signInAs('Ada Admin');
    const waiting = (await first.labServer.waitingDevices()).find((w) => w.enrolmentId === joining.enrolmentId)!;
    expect(waiting.code).toBe(joining.code);
    expect(waiting.keyCode).not.toBe(joining.keyCode);
    await first.labServer.rejectDevice(joining.enrolmentId);
  });

  it('a network that drops while the lab’s records arrive leaves the tablet as it was, with a sentence', async () => {
    await second.signInAs('Bea Bench');
    const joining = await second.merge.askToJoinWithRecords('Bench tablet 2');
    await first.signInAs('Ada Admin');
    await first.labServer.approveDevice(joining.enrolmentId, PIN);
    const before = await second.database.db.audit.count();
    const platform = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => (String(input).includes('/events?') ? Promise.reject(new TypeError('Failed to fetch')) : platform(input, init))) as typeof fetch;
    try {
      await expect(second.merge.finishJoiningWithRecords(joining)).rejects.toThrow(/^The lab’s records stopped arriving: .+ Nothing of this tablet’s was changed: ask to join again\.$/);
    } finally {
      globalThis.fetch = platform;
    }
    expect(await second.syncState.readSyncState()).toBeNull();
    expect(await second.database.db.audit.count()).toBe(before);
    expect(await second.database.db.inbox.count()).toBe(0);
    expect(await second.syncState.isJoining()).toBe(false);
    expect(second.labLog.labProblem(await second.labLog.readLabTrust({ all: true }))).toBeNull();
  });

  it('merges both ways after an admin approves it: cases, people, signatures, search and PINs work on both tablets', async () => {
    const history = async (d: Device) => (await d.database.db.audit.where('[chain+seq]').between([broughtCase, 0], [broughtCase, Infinity]).toArray()).map((e) => [e.hash, e.sig]);
    const before = { history: await history(second), sealed: (await second.database.db.cases.get(broughtCase))!.sealed };
    await second.signInAs('Bea Bench');
    const joining = await second.merge.askToJoinWithRecords('Bench tablet 2');

    // The admin on the first tablet sees what it brings, under the same codes it shows.
    await first.signInAs('Ada Admin');
    const [waiting] = await first.labServer.waitingDevices();
    expect(waiting).toMatchObject({ deviceName: 'Bench tablet 2', code: joining.code, keyCode: joining.keyCode, brings: { people: 2, cases: 1 } });
    await first.labServer.approveDevice(joining.enrolmentId, PIN);

    const merged = await second.merge.finishJoiningWithRecords(joining);
    expect(merged).toEqual({ people: 2, cases: 1, withoutKeys: [] });
    // Its own case, as it was, and the lab's, on the second tablet.
    expect(await patientOf(second, broughtCase)).toBe('Bruno Brought');
    expect(await patientOf(second, labCase)).toBe('Alma Labcase');
    expect(await found(second, 'MRN-100001')).toEqual([labCase]);
    expect(await found(second, 'MRN-200002')).toEqual([broughtCase]);
    await second.sync();

    // The first tablet receives the merged records: the admin reads them once the grant opens.
    await first.sync();
    expect(await patientOf(first, broughtCase)).toBe('Bruno Brought');
    const view = (await first.caseView.getCaseView(broughtCase))!;
    expect(view.signatures.imaging, view.verdicts.imaging?.text).toBe('verified');
    expect(view.record.state).toBe('verified');
    expect((await first.caseView.getCaseHistory(broughtCase)).history.ok).toBe(true);
    expect(await found(first, 'MRN-200002')).toEqual([broughtCase]);
    // Not re-signed, not re-encrypted: the same entries and the same sealed record, under the tablet's key kept as an older epoch.
    expect(await history(first)).toEqual(before.history);
    expect((await first.database.db.cases.get(broughtCase))!.sealed).toEqual(before.sealed);
    expect([...first.vault.requireUnlock().dataKey.keys.keys()].some((e) => e.startsWith('0-'))).toBe(true);
    expect((await first.database.db.users.toArray()).map((u) => u.name).sort()).toEqual(['Ada Admin', 'Bea Bench', 'Dr. Omar Other', 'Dr. Rae Reader']);

    // Each person's own PIN works on the other tablet, reading both tablets' cases.
    await first.signInAs('Dr. Omar Other');
    expect(await patientOf(first, labCase)).toBe('Alma Labcase');
    expect(await patientOf(first, broughtCase)).toBe('Bruno Brought');
    await first.signing.signStage(labCase, 'imaging', PIN);
    await first.sync();
    await second.signInAs('Dr. Rae Reader');
    await second.sync();
    expect(await patientOf(second, broughtCase)).toBe('Bruno Brought');
    const signed = (await second.caseView.getCaseView(labCase))!;
    expect(signed.signatures.imaging, signed.verdicts.imaging?.text).toBe('verified');

    // Both tablets' lab logs verify, and nothing was pushed twice.
    for (const d of [first, second]) {
      expect(await d.database.db.settings.where('key').startsWith('mergedLog:').count()).toBeGreaterThan(0);
      expect(d.labLog.labProblem(await d.labLog.readLabTrust({ all: true }))).toBeNull();
    }
    expect(await store.query('SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1')).toEqual([]);
  });
});
