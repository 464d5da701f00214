// Model files travel with sync, with the app's real data and sync code and the real server:
// a file attached on the bench tablet reaches the reading-room workstation byte for byte
// (the SHA-256 the case signs), in sealed chunks the server cannot read; an upload or a
// download cut off goes on with the parts still missing only; a part that does not open is
// not kept, and the file says it is still arriving, and why.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/db/store';
import { issueSetupCode } from '../../../server/routes/setup';
import { filesOf, type ModelFileRef } from '../../../src/domain/model-files';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { IMAGING_VALUES, Lab, orderInput } from '../../support/case-builder';
import { newDevice, PIN, serveFrom, type Device } from './device';
import { startServer, type TestServer } from '../support/server';
import { resetStore } from '../support/store';

const MiB = 1024 * 1024;
const TECH = 'Tom Tech';
const RAD = 'Dr. Rae Reader';

let store: Store;
let server: TestServer;
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  serveFrom(server.url);
});
afterAll(() => server.close());

let tablet: Device;
let workstation: Device;
beforeEach(async () => {
  store = await resetStore();
  tablet = await newDevice();
  await tablet.accounts.setUpTablet({ name: 'Ada Admin', roles: ['admin'], secret: PIN });
  await tablet.accounts.addUser({ name: TECH, roles: ['technician'], secret: PIN }, PIN);
  await tablet.accounts.addUser({ name: RAD, roles: ['radiologist'], secret: PIN }, PIN);
  await tablet.signInAs('Ada Admin');
  await tablet.labServer.connectLab(await issueSetupCode(store), 'Bench tablet', PIN);
  await tablet.sync();
  workstation = await newDevice();
  const joining = await workstation.labServer.askToJoin('Reading room');
  await tablet.labServer.approveDevice(joining.enrolmentId, PIN);
  await workstation.labServer.finishJoining(joining);
  await workstation.signInAs(RAD);
});

const MARKER = Buffer.from('PLAINTEXT-MARKER solid Pelvis facet normal');

/** `size` bytes of "STL" with the marker every 64 KiB, so any stored plaintext would show it. */
function stlBytes(size: number): Buffer {
  const bytes = randomBytes(size);
  for (let at = 0; at + MARKER.length <= size; at += 64 * 1024) MARKER.copy(bytes, at);
  return bytes;
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** A case at segmenting on the tablet (`age` days ago), the technician signed in. */
async function caseAtSegmenting(id: CaseId, age = 0): Promise<void> {
  await tablet.signInAs(TECH);
  const model = new Lab().model('Pelvis model', ['Pelvis']);
  await tablet.commands.runCommand(null, { type: 'create', id, input: orderInput({ deliverables: [model] }) }, daysAgo(age));
  await tablet.commands.runCommand(id, { type: 'saveStage', stage: 'imaging', values: IMAGING_VALUES }, daysAgo(age));
  for (const item of ['studyRetrieved', 'qualityAdequate']) await tablet.commands.runCommand(id, { type: 'tick', stage: 'imaging', item, done: true }, daysAgo(age));
  await tablet.signInAs(RAD);
  await tablet.signing.signStage(id, 'imaging', PIN, daysAgo(age));
  await tablet.signInAs(TECH);
}

/** The technician attaches a file of `bytes` on the tablet. */
async function attach(id: CaseId, bytes: Buffer, age = 0): Promise<ModelFileRef> {
  const c = (await tablet.caseView.getCaseView(id))!.case;
  const file = new File([new Uint8Array(bytes)], 'pelvis-segmentation.stl');
  const after = await tablet.modelFiles.attachModelFile(id, { deliverableId: c.deliverables[0]!.id, stage: 'segmenting', file }, daysAgo(age));
  return filesOf(after)[0]!;
}

async function caseWithFile(id: CaseId, bytes: Buffer, age = 0): Promise<ModelFileRef> {
  await caseAtSegmenting(id, age);
  return attach(id, bytes, age);
}

type Fetch = typeof fetch;
/** Puts `handler` in front of the devices' fetch; returns how to take it away. */
function intercept(handler: (input: RequestInfo | URL, init: RequestInit | undefined, next: Fetch) => Promise<Response>): () => void {
  const next = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => handler(input, init, next)) as Fetch;
  return () => {
    globalThis.fetch = next;
  };
}
/** The chunk index of a PUT (upload) or GET (download) of one chunk, else null. */
const chunkCall = (method: string, input: RequestInfo | URL, init?: RequestInit) => ((init?.method ?? 'GET') === method ? /\/chunks\/(\d+)$/.exec(String(input))?.[1] : undefined) ?? null;

const serverChunks = (file: string) => store.query<{ idx: number; chunk: string; device_id: string }>('SELECT idx, chunk, device_id FROM file_chunks WHERE file_id = $1 ORDER BY idx', [file]);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readOn(device: Device, ref: ModelFileRef): Promise<Buffer | { have: number; of: number; problem?: string }> {
  const opened = await device.modelFiles.readModelFile(ref);
  if (opened.state === 'here') return Buffer.from(opened.bytes);
  const availability = await device.modelFiles.fileAvailability(ref);
  if (availability.state !== 'arriving') throw new Error('read as arriving, then found here');
  const { state: _state, ...arriving } = availability;
  return arriving;
}

describe('model files between devices', () => {
  it('a file attached on the tablet reaches the workstation byte for byte, after its case, as ciphertext the server cannot read', async () => {
    const id = asCaseId('6b1d0e22-3c4f-4a61-9b72-8c9d0e1f2a31');
    const bytes = stlBytes(3 * MiB + 512 * 1024);
    const ref = await caseWithFile(id, bytes);
    expect(ref.sha256).toBe(sha256(bytes));
    await tablet.sync();
    expect(await serverChunks(ref.id)).toEqual([]); // the events first: files move after them
    // The case is on the workstation before its file: it waits for it, still arriving.
    await workstation.sync();
    expect(await workstation.moveFiles()).toEqual({ sent: 0, received: 0, more: false, waiting: 1 });
    expect(await tablet.moveFiles()).toEqual({ sent: 4, received: 0, more: false, waiting: 0 });
    const stored = await serverChunks(ref.id);
    expect(stored.map((c) => c.idx)).toEqual([0, 1, 2, 3]);
    // Exactly the tablet's stored ciphertext, never opened and sealed again to travel.
    const local = await tablet.database.db.fileChunks.where('[fileId+index]').between([ref.id, 0], [ref.id, 4], true, false).toArray();
    expect(stored.map((c) => c.chunk)).toEqual(local.map((c) => Buffer.concat([c.iv, c.ct]).toString('base64')));
    // Nothing of the file in the clear on the server: not in the chunks' bytes, nor in any encoding of the whole database.
    for (const c of stored) expect(Buffer.from(c.chunk, 'base64').indexOf(MARKER)).toBe(-1);
    const dump = (await store.query<{ row: string }>('SELECT to_jsonb(t)::text AS row FROM file_chunks t')).map((r) => r.row).join('\n');
    for (const text of [MARKER.toString(), MARKER.toString('hex'), ...[0, 1, 2].map((shift) => MARKER.subarray(shift, shift + 30).toString('base64').slice(4, 32))]) expect(dump).not.toContain(text);
    // Sent once: the next round asks nothing of the server about it.
    let asked = 0;
    const restore = intercept((input, init, next) => (String(input).includes('/files/') && ++asked, next(input, init)));
    expect(await tablet.moveFiles()).toEqual({ sent: 0, received: 0, more: false, waiting: 0 });
    restore();
    expect(asked).toBe(0);

    await workstation.sync();
    const onWorkstation = filesOf((await workstation.caseView.getCaseView(id))!.case)[0]!;
    expect(onWorkstation).toMatchObject({ id: ref.id, name: 'pelvis-segmentation.stl', sha256: ref.sha256 });
    expect(await readOn(workstation, onWorkstation)).toEqual({ have: 0, of: 4 });
    expect(await workstation.moveFiles()).toEqual({ sent: 0, received: 4, more: false, waiting: 0 });
    const received = await readOn(workstation, onWorkstation);
    expect(Buffer.isBuffer(received) && received.equals(bytes)).toBe(true);
    expect(sha256(received as Buffer)).toBe(onWorkstation.sha256);
    // It came from the server: the workstation sends nothing back.
    expect(await workstation.moveFiles()).toEqual({ sent: 0, received: 0, more: false, waiting: 0 });
    expect(new Set((await serverChunks(ref.id)).map((c) => c.device_id)).size).toBe(1);
  });

  it('an upload cut off (the connection drops, then the server fails) goes on with the missing parts only; a download a few parts a round', async () => {
    const id = asCaseId('7c2e1f33-4d50-4b72-8c83-9d0e1f2a3b42');
    const bytes = stlBytes(4 * MiB + 100);
    const ref = await caseWithFile(id, bytes);
    await tablet.sync();
    const sent: number[] = [];
    let restore = intercept((input, init, next) => {
      const idx = chunkCall('PUT', input, init);
      if (idx !== null && Number(idx) === 2) throw new TypeError('fetch failed');
      if (idx !== null) sent.push(Number(idx));
      return next(input, init);
    });
    await expect(tablet.moveFiles()).rejects.toThrow('The lab server cannot be reached');
    restore();
    expect(sent).toEqual([0, 1]);
    expect((await serverChunks(ref.id)).map((c) => c.idx)).toEqual([0, 1]);

    sent.length = 0;
    restore = intercept((input, init, next) => {
      const idx = chunkCall('PUT', input, init);
      if (idx !== null && Number(idx) === 3) return Promise.resolve(Response.json({ error: 'The server is busy.' }, { status: 503 }));
      if (idx !== null) sent.push(Number(idx));
      return next(input, init);
    });
    await expect(tablet.moveFiles()).rejects.toThrow('The server is busy.');
    restore();
    expect(sent).toEqual([2]);

    sent.length = 0;
    restore = intercept((input, init, next) => {
      const idx = chunkCall('PUT', input, init);
      if (idx !== null) sent.push(Number(idx));
      return next(input, init);
    });
    expect(await tablet.moveFiles()).toEqual({ sent: 2, received: 0, more: false, waiting: 0 });
    restore();
    expect(sent).toEqual([3, 4]);
    expect((await serverChunks(ref.id)).map((c) => c.idx)).toEqual([0, 1, 2, 3, 4]);
    expect(await tablet.database.db.fileTransfers.get(ref.id)).toMatchObject({ state: 'done' });

    // Two parts a round, and a connection that drops on the way: it goes on where it stopped.
    await workstation.sync();
    expect(await workstation.moveFiles(2)).toEqual({ sent: 0, received: 2, more: true, waiting: 0 });
    expect(await readOn(workstation, ref)).toEqual({ have: 2, of: 5 });
    const fetched: number[] = [];
    restore = intercept((input, init, next) => {
      const idx = chunkCall('GET', input, init);
      if (idx !== null && Number(idx) === 3) throw new TypeError('fetch failed');
      if (idx !== null) fetched.push(Number(idx));
      return next(input, init);
    });
    await expect(workstation.moveFiles()).rejects.toThrow('The lab server cannot be reached');
    restore();
    expect(fetched).toEqual([2]);
    expect(await readOn(workstation, ref)).toEqual({ have: 3, of: 5 });
    expect(await workstation.moveFiles()).toEqual({ sent: 0, received: 2, more: false, waiting: 0 });
    const received = await readOn(workstation, ref);
    expect(Buffer.isBuffer(received) && sha256(received) === ref.sha256).toBe(true);
  });

  it('a part the server refuses stops that file on the tablet, saying why, until the next sign-in; then only the rest goes up', async () => {
    const id = asCaseId('2b736488-9205-4ac7-9b18-4c5d6e7f8097');
    const ref = await caseWithFile(id, stlBytes(2 * MiB + 5));
    await tablet.sync();
    const sent: number[] = [];
    let restore = intercept((input, init, next) => {
      const idx = chunkCall('PUT', input, init);
      if (idx !== null && Number(idx) === 1) return Promise.resolve(Response.json({ error: 'This chunk of the file is already stored with other bytes: nothing was changed.' }, { status: 409 }));
      if (idx !== null) sent.push(Number(idx));
      return next(input, init);
    });
    expect(await tablet.moveFiles()).toEqual({ sent: 1, received: 0, more: false, waiting: 0 });
    expect(await tablet.database.db.fileTransfers.get(ref.id)).toMatchObject({ state: 'send', problem: 'The lab server refused part 2 of 3 of this file: This chunk of the file is already stored with other bytes: nothing was changed.' });
    expect(await tablet.fileTransfer.filesNote()).toBe('1 model file stopped part-way (shown with the file); tried again at the next sign-in.');
    expect(await tablet.moveFiles()).toEqual({ sent: 0, received: 0, more: false, waiting: 0 });
    restore();
    expect(sent).toEqual([0]);

    sent.length = 0;
    restore = intercept((input, init, next) => {
      const idx = chunkCall('PUT', input, init);
      if (idx !== null) sent.push(Number(idx));
      return next(input, init);
    });
    await tablet.fileTransfers.reconcileFileTransfers();
    expect(await tablet.moveFiles()).toEqual({ sent: 2, received: 0, more: false, waiting: 0 });
    restore();
    expect(sent).toEqual([1, 2]);
    expect((await serverChunks(ref.id)).map((c) => c.idx)).toEqual([0, 1, 2]);
  });

  it('a part that does not open as it arrives is not kept: the file is still arriving, says why, and is fetched again at the next sign-in', async () => {
    const id = asCaseId('8d3f2044-5e61-4c83-9d94-0e1f2a3b4c53');
    const ref = await caseWithFile(id, stlBytes(2 * MiB + 10));
    await tablet.sync();
    await tablet.moveFiles();
    const [, second] = await serverChunks(ref.id);
    // Altered on the server (one byte of its ciphertext): only a device could tell.
    const altered = Buffer.from(second!.chunk, 'base64');
    altered[40]! ^= 0x01;
    await store.query('UPDATE file_chunks SET chunk = $1 WHERE file_id = $2 AND idx = 1', [altered.toString('base64'), ref.id]);

    await workstation.sync();
    expect(await workstation.moveFiles()).toEqual({ sent: 0, received: 1, more: false, waiting: 0 });
    expect(await workstation.database.db.fileChunks.get([ref.id, 1])).toBeUndefined();
    expect(await readOn(workstation, ref)).toEqual({ have: 1, of: 3, problem: 'Part 2 of 3 did not open with this lab’s key as it arrived (damaged or altered): it was not kept.' });
    // Stopped: not fetched again and again in this session.
    expect(await workstation.moveFiles()).toEqual({ sent: 0, received: 0, more: false, waiting: 0 });
    expect(await workstation.fileTransfer.filesNote()).toBe('1 model file stopped part-way (shown with the file); tried again at the next sign-in.');

    // Put right on the server; at the next sign-in it is tried again and arrives whole.
    await store.query('UPDATE file_chunks SET chunk = $1 WHERE file_id = $2 AND idx = 1', [second!.chunk, ref.id]);
    await workstation.fileTransfers.reconcileFileTransfers();
    expect(await workstation.moveFiles()).toEqual({ sent: 0, received: 2, more: false, waiting: 0 });
    const received = await readOn(workstation, ref);
    expect(Buffer.isBuffer(received) && sha256(received) === ref.sha256).toBe(true);
    expect(await workstation.fileTransfer.filesNote()).toBeNull();
  });

  it('a device holding recent cases fetches the files of the cases it holds, an older one’s when it is opened online (dropped again with its history); holding everything again, the older ones too', async () => {
    const old = asCaseId('9e403155-6f72-4d94-8ea5-1f2a3b4c5d64');
    const recent = asCaseId('0f514266-7083-4ea5-9fb6-2a3b4c5d6e75');
    const oldFile = await caseWithFile(old, stlBytes(MiB + 1), 200);
    await tablet.commands.runCommand(old, { type: 'cancel', reason: 'Surgery cancelled' }, daysAgo(199));
    const recentFile = await caseWithFile(recent, stlBytes(MiB + 2));
    await tablet.sync();
    await tablet.moveFiles();
    const bench = await newDevice();
    const joining = await bench.labServer.askToJoin('Second bench tablet', 'recent');
    await tablet.signInAs('Ada Admin');
    await tablet.labServer.approveDevice(joining.enrolmentId, PIN);
    await bench.labServer.finishJoining(joining);
    await bench.signInAs(TECH);
    await bench.sync(); // the history behind the records the join took first, then the trim

    expect(await bench.moveFiles()).toEqual({ sent: 0, received: 2, more: false, waiting: 0 });
    const here = await readOn(bench, recentFile);
    expect(Buffer.isBuffer(here) && sha256(here) === recentFile.sha256).toBe(true);
    expect(await readOn(bench, oldFile)).toEqual({ have: 0, of: 2 });

    // The older case opened online: its history comes, and its files with it; the next trim drops both again.
    const archive = await import('../../../src/sync/archive');
    await archive.fetchHistory(old);
    expect(await bench.moveFiles()).toEqual({ sent: 0, received: 2, more: false, waiting: 0 });
    const opened = await readOn(bench, oldFile);
    expect(Buffer.isBuffer(opened) && sha256(opened) === oldFile.sha256).toBe(true);
    expect(await archive.trimHistory()).toBe(1);
    expect(await readOn(bench, oldFile)).toEqual({ have: 0, of: 2 });
    expect(await bench.moveFiles()).toEqual({ sent: 0, received: 0, more: false, waiting: 0 });

    await archive.setHolding('all');
    expect(await bench.moveFiles()).toEqual({ sent: 0, received: 2, more: false, waiting: 0 });
    const older = await readOn(bench, oldFile);
    expect(Buffer.isBuffer(older) && sha256(older) === oldFile.sha256).toBe(true);
  });

  it('with both devices running the sync loop, a file attached on the tablet is soon viewable on the workstation', async () => {
    const id = asCaseId('1a625377-8194-4fb6-8a07-3b4c5d6e7f86');
    await caseAtSegmenting(id);
    tablet.engine.startSync();
    workstation.engine.startSync();
    try {
      const ref = await attach(id, stlBytes(2 * MiB + 3));
      await expect
        .poll(async () => Boolean(await workstation.database.db.cases.get(id)) && (await workstation.modelFiles.fileAvailability(ref)).state === 'here', { timeout: 15_000, message: 'the file arrives on the workstation' })
        .toBe(true);
      const received = await readOn(workstation, ref);
      expect(Buffer.isBuffer(received) && sha256(received) === ref.sha256).toBe(true);
    } finally {
      await tablet.vault.lock();
      await workstation.vault.lock();
    }
  });
});
