// The sign-off queue across devices: a stage made ready on the bench tablet is in the
// reading-room workstation's queue after a sync (its keys derived again on arrival, never
// taken from the sender); sent back there, the tablet's list shows "Changes requested";
// changed on the tablet, it is back in the workstation's queue; signed there, it leaves it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/db/store';
import { issueSetupCode } from '../../../server/routes/setup';
import { asCaseId } from '../../../src/domain/ids';
import { IMAGING_VALUES, orderInput } from '../../support/case-builder';
import { newDevice, PIN, serveFrom } from './device';
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
beforeEach(async () => {
  store = await resetStore();
});

const caseId = asCaseId('5a0c9d11-2b3e-4f50-8a61-7b8c9d0e1f20');

describe('the sign-off queue on two devices', () => {
  it('a stage ready on the tablet is in the workstation’s queue; sent back, changed and signed across the server', async () => {
    const tablet = await newDevice();
    await tablet.accounts.setUpTablet({ name: 'Ada Admin', roles: ['admin'], secret: PIN });
    await tablet.accounts.addUser({ name: 'Tom Tech', roles: ['technician'], secret: PIN }, PIN);
    await tablet.accounts.addUser({ name: 'Dr. Rae Reader', roles: ['radiologist'], secret: PIN }, PIN);
    await tablet.signInAs('Ada Admin');
    await tablet.labServer.connectLab(await issueSetupCode(store), 'Bench tablet', PIN);
    await tablet.sync();
    const joining = await (async () => {
      const device = await newDevice();
      const j = await device.labServer.askToJoin('Reading room');
      return { device, j };
    })();
    await tablet.signInAs('Ada Admin');
    await tablet.labServer.approveDevice(joining.j.enrolmentId, PIN);
    const workstation = joining.device;
    await workstation.labServer.finishJoining(joining.j);

    await tablet.signInAs('Tom Tech');
    await tablet.commands.runCommand(null, { type: 'create', id: caseId, input: orderInput({ dateNeeded: '2027-02-01', priority: 'urgent' }) });
    await tablet.commands.runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES });
    await tablet.commands.runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
    await tablet.commands.runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
    await tablet.sync();

    await workstation.signInAs('Dr. Rae Reader');
    await workstation.sync();
    expect(await workstation.queue.countQueue('radiologist')).toBe(1);
    expect(await workstation.queueList.listQueue('radiologist')).toMatchObject([{ id: caseId, stage: 'imaging', meaning: 'Imaging adequate for segmentation', priority: 'urgent' }]);

    await workstation.commands.runCommand(caseId, { type: 'sendBack', stage: 'imaging', reason: 'Slices are 5 mm: retrieve the thin-slice series' });
    expect(await workstation.queue.countQueue('radiologist')).toBe(0);
    await workstation.sync();
    await tablet.signInAs('Tom Tech');
    await tablet.sync();
    const [row] = await tablet.caseRepo.listRows([caseId], '2026-12-01');
    expect(row).toMatchObject({ changesRequested: 'imaging' });
    const view = (await tablet.caseView.getCaseView(caseId))!;
    expect(view.record.state).toBe('verified');
    const history = await tablet.caseView.getCaseHistory(caseId);
    expect(history.events.at(-1)).toMatchObject({ type: 'sendBack', actorName: 'Dr. Rae Reader', changes: [{ after: 'Slices are 5 mm: retrieve the thin-slice series' }] });

    await tablet.commands.runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 0.625, seriesDescription: 'Thin 0.625' } });
    await tablet.sync();
    await workstation.signInAs('Dr. Rae Reader');
    await workstation.sync();
    expect(await workstation.queue.countQueue('radiologist')).toBe(1);
    await workstation.signing.signStage(caseId, 'imaging', PIN);
    expect(await workstation.queue.countQueue('radiologist')).toBe(0);
  });
});
