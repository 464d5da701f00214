// A tablet that holds only recent cases: older closed or cancelled cases stay listed and
// searchable, their history stays on the lab server and comes back when one is opened.
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
let workstation: Device;
let tablet: Device;
const old = asCaseId('8d3f5061-7283-4d9e-8fa0-2b3c4d5e6f70');
const open = asCaseId('9e406172-8394-4eaf-9b01-3c4d5e6f7081');
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const entriesOf = (d: Device, id: string) => d.database.db.audit.where('[chain+seq]').between([id, 0], [id, Infinity]).count();

beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  serveFrom(server.url);
  workstation = await newDevice();
  await workstation.accounts.setUpTablet({ name: 'Ada Admin', roles: ['admin', 'technician'], secret: PIN });
  await workstation.commands.runCommand(null, { type: 'create', id: old, input: orderInput({ patientName: 'Olga Oldcase', mrn: 'MRN-400100' }) }, daysAgo(200));
  await workstation.commands.runCommand(old, { type: 'cancel', reason: 'Surgery cancelled' }, daysAgo(199));
  await workstation.commands.runCommand(null, { type: 'create', id: open, input: orderInput({ patientName: 'Nina Nowcase', mrn: 'MRN-400200' }) });
  await workstation.labServer.connectLab(await issueSetupCode(store), 'Reading room', PIN);
  await workstation.sync();
  tablet = await newDevice();
  const joining = await tablet.labServer.askToJoin('Bench tablet', 'recent');
  await workstation.labServer.approveDevice(joining.enrolmentId, PIN);
  await tablet.labServer.finishJoining(joining);
  await tablet.signInAs('Ada Admin');
  // The join took records first; the first round brings the history, and then drops what a recent device need not keep.
  await tablet.sync();
});
afterAll(() => server.close());

describe('a device holding recent cases', () => {
  it('keeps every open or recent case whole, and of an older cancelled case only its record, listed and searchable', async () => {
    expect(await entriesOf(tablet, open)).toBeGreaterThan(0);
    expect(await entriesOf(tablet, old)).toBe(0);
    expect(await entriesOf(workstation, old)).toBe(2);
    const { searchCaseIds } = await import('../../../src/db/case-repo');
    expect((await searchCaseIds('MRN-400100'))?.has(old)).toBe(true);
    const view = (await tablet.caseView.getCaseView(old))!;
    expect(view.case.phi.patientName).toBe('Olga Oldcase');
    expect(view.historyHere).toBe(false);
    expect(view.record).toMatchObject({ state: 'legacy', text: expect.stringContaining('Its history is on the lab server') });
    expect(await tablet.caseView.getCaseHistory(old)).toMatchObject({ events: [], elsewhere: true });
  });

  it('refuses to change such a case until its history is here, with a sentence', async () => {
    await expect(tablet.commands.runCommand(old, { type: 'cancel', reason: 'again' })).rejects.toThrow('This case’s history is on the lab server, not on this device');
    expect(await entriesOf(tablet, old)).toBe(0);
  });

  it('brings the history back from the server when asked, checked like everything else, and drops it again at the next trim', async () => {
    const archive = await import('../../../src/sync/archive');
    await archive.fetchHistory(old);
    expect(await entriesOf(tablet, old)).toBe(2);
    const view = (await tablet.caseView.getCaseView(old))!;
    expect(view.historyHere).toBe(true);
    expect(view.record.state).toBe('verified');
    const history = await tablet.caseView.getCaseHistory(old);
    expect(history.history.ok).toBe(true);
    expect(history.events.map((e) => e.type)).toEqual(['create', 'cancel']);
    expect(await archive.trimHistory()).toBe(1);
    expect(await entriesOf(tablet, old)).toBe(0);
  });

  it('a backup from it leaves such cases out and says how many', async () => {
    const { exportBackup } = await import('../../../src/db/backup');
    const file = await exportBackup(null, PIN);
    expect(file.casesElsewhere).toBe(1);
    expect(file.counts.cases).toBe(1);
  });

  it('holding the whole archive again brings every history back', async () => {
    const archive = await import('../../../src/sync/archive');
    await archive.setHolding('all');
    expect(await entriesOf(tablet, old)).toBe(2);
    expect((await tablet.syncState.readSyncState())!.holds).toBe('all');
    expect(await archive.trimHistory()).toBe(0);
  });
});
