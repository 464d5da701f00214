// Faults on the way between devices and the lab server, with the app's real data and sync
// code and the real server: restarts (between a push and the next pull, and in the middle
// of a long history upload), a push whose answer is lost, events delivered twice and out of
// order, device clocks an hour apart; and the server's whole database holding nothing a
// person could read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/db/store';
import type { PulledEvent, PushedEvent } from '../../../src/domain/sync-wire';
import { asCaseId, type CaseId } from '../../../src/domain/ids';
import { orderInput } from '../../support/case-builder';
import { serveFrom } from './device';
import { countEvents, startServer, type TestServer } from '../support/server';
import { reopenStore, resetStore, TABLES } from '../support/store';
import { ADMIN, caseIds, noDuplicates, sortedJson, connectedTablet, editedOrder, expectConverged, join, mulberry32, PEOPLE, RADIOLOGIST, run, seededUuid, signIn, syncUntilQuiet, TECH, type Member } from './lab';

let store: Store;
let server: TestServer;
beforeEach(async () => {
  store = await resetStore();
  server = await startServer(store);
  serveFrom(server.url);
});
afterEach(async () => {
  if (!down) await server.close();
  down = false;
});

let down = false;
/** The server process stops (its connections end). */
async function stop(): Promise<void> {
  down = true;
  await server.close();
}

/** A new server process on the same database (or PGlite data folder), at a new address. */
async function restart(): Promise<void> {
  if (!down) await server.close();
  down = false;
  store = await reopenStore();
  server = await startServer(store);
  serveFrom(server.url);
}

type Fetch = typeof fetch;
/** Puts `handler` in front of the page's fetch until serveFrom replaces it or the returned function is called. */
function intercept(handler: (input: RequestInfo | URL, init: RequestInit | undefined, next: Fetch) => Promise<Response>): () => void {
  const next = globalThis.fetch;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => handler(input, init, next)) as Fetch;
  return () => {
    globalThis.fetch = next;
  };
}
const isPush = (input: RequestInfo | URL, init?: RequestInit) => init?.method === 'POST' && String(input).endsWith('/events');

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

let edits = 0;
/** Some changes on `m` to its cases (as whoever is signed in), each recorded in `produced`. */
async function someChanges(m: Member, produced: Map<string, string>, now?: string): Promise<void> {
  for (const id of await caseIds(m)) {
    const c = (await m.device.caseView.getCaseView(id))!.case;
    expect(await run(m, produced, id, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: !(c.stages.imaging.checklist.studyRetrieved?.done ?? false) }, now)).toBe(true);
    expect(await run(m, produced, id, { type: 'editOrder', input: editedOrder(c, { notes: `Seen on ${m.name} at ${now ?? 'its own time'} (${++edits})` }) }, now)).toBe(true);
  }
}


describe('sync under faults', () => {
  it('a server restart between one device’s push and another’s pull loses nothing', async () => {
    const rng = mulberry32(11);
    const { member: tablet, produced } = await connectedTablet(store, { cases: 2, rng });
    const workstation = await join(tablet, 'Reading room');
    await signIn(tablet, TECH);
    await someChanges(tablet, produced);
    await signIn(workstation, RADIOLOGIST);
    await someChanges(workstation, produced);
    await tablet.device.sync();
    const stored = await countEvents(store);

    await restart();
    expect(await countEvents(store)).toBe(stored);
    await workstation.device.sync();
    // The workstation's edits lost the race to the tablet's: parked there, not lost.
    expect(await workstation.device.database.db.parked.count()).toBeGreaterThan(0);
    await syncUntilQuiet([tablet, workstation], rng, produced);
    await expectConverged([tablet, workstation], produced);
    await noDuplicates(store);
  });

  it('a server restart in the middle of a long history upload: the upload resumes and nothing is lost', async () => {
    const rng = mulberry32(12);
    const { member: tablet, produced } = await connectedTablet(store, {
      cases: 40,
      rng,
      sync: false,
      before: async (m, made) => {
        for (const id of await caseIds(m)) {
          await run(m, made, id, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
          await run(m, made, id, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
          await run(m, made, id, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-02-27', accessionNumber: 'ACC7654321', sliceThicknessMm: 1, contrastPhase: 'arterial' } });
        }
      },
    });
    const waiting = await tablet.device.database.db.outbox.count();
    expect(waiting).toBeGreaterThan(150); // more than one batch
    let pushes = 0;
    intercept(async (input, init, next) => {
      const response = await next(input, init);
      // The server goes down right after it answered the first batch.
      if (isPush(input, init) && ++pushes === 1) await stop();
      return response;
    });
    expect((await rejection(tablet.device.sync())).name).toBe('Unreachable');
    const left = await tablet.device.database.db.outbox.count();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(waiting);
    const firstBatch = await countEvents(store);
    expect(firstBatch).toBeGreaterThan(0);

    await restart();
    expect(await countEvents(store)).toBe(firstBatch);
    await tablet.device.sync();
    expect(await tablet.device.database.db.outbox.count()).toBe(0);
    const workstation = await join(tablet, 'Reading room');
    expect(await caseIds(workstation)).toHaveLength(40);
    await syncUntilQuiet([tablet, workstation], rng, produced);
    const result = await expectConverged([tablet, workstation], produced);
    expect(result).toMatchObject({ cases: 40, parked: 0 });
    await noDuplicates(store);
  });

  it('an upload that stopped half-way through a case’s history holds back only that case on the other devices', async () => {
    const rng = mulberry32(18);
    const { member: tablet, produced } = await connectedTablet(store, { cases: 2, rng });
    const workstation = await join(tablet, 'Reading room');
    const [x, y] = await caseIds(tablet);
    await signIn(tablet, TECH);
    for (let i = 0; i < 170; i++) expect(await run(tablet, produced, x!, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: i % 2 === 0 })).toBe(true);
    // The tablet goes out of range after its first batch: the start of case x's new history is on the server without the case.
    let pushes = 0;
    const back = intercept(async (input, init, next) => {
      if (isPush(input, init) && ++pushes > 1) throw new TypeError('fetch failed');
      return next(input, init);
    });
    expect((await rejection(tablet.device.sync())).name).toBe('Unreachable');
    back();
    expect(await tablet.device.database.db.outbox.count()).toBeGreaterThan(0);

    await signIn(workstation, RADIOLOGIST);
    for (const id of [x!, y!]) {
      const c = (await workstation.device.caseView.getCaseView(id))!.case;
      expect(await run(workstation, produced, id, { type: 'editOrder', input: editedOrder(c, { notes: `Workstation on ${id}` }) })).toBe(true);
    }
    const applied = await workstation.device.sync();
    expect(applied.waiting).toBeGreaterThan(0); // the tablet's entries on x, waiting for the rest
    // Only case x waits here; everything else went up.
    expect((await workstation.device.database.db.outbox.toArray()).map((r) => r.chain)).toEqual([x]);
    const onServer = await store.query<{ n: unknown }>('SELECT count(*) AS n FROM events WHERE chain = $1', [y]);
    expect(Number(onServer[0]!.n)).toBeGreaterThan(1);

    // The tablet comes back: its history goes up, the workstation's edit of x lost the race and is parked, nothing is lost.
    await syncUntilQuiet([tablet, workstation], rng, produced);
    const result = await expectConverged([tablet, workstation], produced);
    expect(result.parked).toBeGreaterThan(0);
    expect((await tablet.device.caseView.getCaseView(y!))?.case.phi.notes).toBe(`Workstation on ${y}`);
  });

  it('a push stored by the server whose answer never reached the device is sent again with the same bytes, stored once', async () => {
    const rng = mulberry32(13);
    const { member: tablet, produced } = await connectedTablet(store, { cases: 2, rng });
    const workstation = await join(tablet, 'Reading room');
    await signIn(tablet, TECH);
    await someChanges(tablet, produced);
    const before = await countEvents(store);

    type Push = { sent: PushedEvent[]; results: { eventId: string; serverSeq: number }[] };
    const seen: { lost?: Push; retried?: Push } = {};
    const read = async (init: RequestInit | undefined, response: Response): Promise<Push> => ({
      sent: (JSON.parse(String(init!.body)) as { events: PushedEvent[] }).events,
      results: ((await response.clone().json()) as Push).results,
    });
    const restore = intercept(async (input, init, next) => {
      const response = await next(input, init);
      if (!isPush(input, init) || seen.lost) return response;
      seen.lost = await read(init, response);
      throw new TypeError('fetch failed'); // the connection dropped before the answer arrived
    });
    expect((await rejection(tablet.device.sync())).name).toBe('Unreachable');
    restore();
    const gone = seen.lost;
    expect(gone?.sent.length).toBeGreaterThan(0);
    expect(await countEvents(store)).toBe(before + gone!.sent.length); // the server has them
    expect(await tablet.device.database.db.outbox.count()).toBe(gone!.sent.length); // the device does not know

    intercept(async (input, init, next) => {
      const response = await next(input, init);
      if (isPush(input, init) && !seen.retried) seen.retried = await read(init, response);
      return response;
    });
    await tablet.device.sync();
    const again = seen.retried;
    // The same sealed bytes under the same ids, answered with the numbers the server gave the first time.
    expect(again!.sent).toEqual(gone!.sent);
    expect(again!.results).toEqual(gone!.results);
    expect(await countEvents(store)).toBe(before + gone!.sent.length);
    expect(await tablet.device.database.db.outbox.count()).toBe(0);
    await noDuplicates(store);

    await syncUntilQuiet([tablet, workstation], rng, produced);
    await expectConverged([tablet, workstation], produced);
  });

  it('events delivered twice and out of order are applied once, in order', async () => {
    const rng = mulberry32(14);
    const { member: tablet, produced } = await connectedTablet(store, { cases: 2, rng });
    const workstation = await join(tablet, 'Reading room');
    await signIn(tablet, TECH);
    await someChanges(tablet, produced);
    await someChanges(tablet, produced);
    await run(tablet, produced, null, { type: 'create', id: asCaseId(seededUuid(rng)), input: orderInput({ patientName: 'Late Arrival', mrn: 'MRN-424242' }) });
    await tablet.device.sync();

    // The workstation receives the new events without the engine: later ones first.
    const api = await workstation.device.api();
    const cursor = (await workstation.device.syncState.readSyncState())!.cursor;
    const fresh: PulledEvent[] = [];
    for (let after = cursor, more = true; more; ) {
      const page = await api.pull(after, { limit: 500 });
      fresh.push(...page.events);
      ({ next: after, more } = page);
    }
    expect(fresh.length).toBeGreaterThan(10);
    const inbox = workstation.device.database.db.inbox;
    const put = (events: PulledEvent[]) => inbox.bulkPut(events.map((event) => ({ serverSeq: event.serverSeq, event })));
    const cases = await caseIds(workstation);
    const entriesBefore = await workstation.device.database.db.audit.count();
    // One at a time, the last first: what does not follow what this device has waits in the inbox.
    let waited = 0;
    for (const event of [...fresh].reverse()) {
      await put([event]);
      const applied = await workstation.device.apply();
      expect(applied.parked).toBe(0);
      waited = Math.max(waited, await inbox.count());
      for (const id of cases) {
        expect((await workstation.device.caseView.getCaseHistory(id)).history.ok).toBe(true);
        expect((await workstation.device.caseView.getCaseView(id))?.record.state).toBe('verified');
      }
    }
    expect(waited).toBeGreaterThan(1);
    expect(await inbox.count()).toBe(0);
    const entriesAfter = await workstation.device.database.db.audit.count();
    expect(entriesAfter).toBeGreaterThan(entriesBefore);

    // Changes made here after them, then the whole log again from the start (a second pull from
    // cursor 0) and the new events once more: applied already, they change nothing here.
    await signIn(workstation, RADIOLOGIST);
    const local = new Map<string, string>();
    await someChanges(workstation, local);
    for (const [id, by] of local) produced.set(id, by);
    const mine = await Promise.all((await caseIds(workstation)).map(async (id) => sortedJson((await workstation.device.caseView.getCaseView(id))!.case)));
    let after = 0;
    for (;;) {
      const again = await api.pull(after, { limit: 500 });
      await put(again.events);
      after = again.next;
      if (!again.more) break;
    }
    await put(fresh);
    const replay = await workstation.device.apply();
    expect(replay.parked).toBe(0);
    expect(await inbox.count()).toBe(0);
    expect(await workstation.device.database.db.audit.count()).toBe(entriesAfter + local.size + 1); // and the sign-in
    expect(await workstation.device.database.db.parked.count()).toBe(0);
    for (const id of await caseIds(workstation)) {
      expect((await workstation.device.caseView.getCaseHistory(id)).history.ok).toBe(true);
      expect((await workstation.device.caseView.getCaseView(id))?.record.state).toBe('verified');
    }
    expect(await Promise.all((await caseIds(workstation)).map(async (id) => sortedJson((await workstation.device.caseView.getCaseView(id))!.case)))).toEqual(mine);

    await syncUntilQuiet([tablet, workstation], rng, produced);
    const result = await expectConverged([tablet, workstation], produced);
    expect(result).toMatchObject({ cases: 3, parked: 0 });
  });

  it('devices whose clocks are an hour apart converge, and the server’s order (not the clock) decides a race', async () => {
    const rng = mulberry32(15);
    const { member: tablet, produced } = await connectedTablet(store, { cases: 2, rng });
    const ahead = await join(tablet, 'Reading room');
    const behind = await join(tablet, 'Print room');
    const at = (m: Member, n: number) => new Date(Date.now() + (m === ahead ? 3_600_000 : m === behind ? -3_600_000 : 0) + n * 1000).toISOString();
    const [first] = await caseIds(tablet);
    const edit = async (m: Member, indication: string) => {
      const c = (await m.device.caseView.getCaseView(first!))!.case;
      expect(await run(m, produced, first!, { type: 'editOrder', input: editedOrder(c, { indication }) }, at(m, 0))).toBe(true);
    };
    for (const [n, m] of [tablet, ahead, behind].entries()) {
      await signIn(m, PEOPLE[n]!);
      await someChanges(m, produced, at(m, 1));
      await run(m, produced, null, { type: 'create', id: asCaseId(seededUuid(rng)), input: orderInput({ patientName: `Patient on ${m.name}` }) }, at(m, 2));
    }
    // The device an hour behind reaches the server first: its edit stands though the others’ clocks say later.
    await edit(ahead, 'Edited an hour ahead');
    await edit(tablet, 'Edited on time');
    await edit(behind, 'Edited an hour behind');
    await behind.device.sync();
    await syncUntilQuiet([tablet, ahead, behind], rng, produced);
    const result = await expectConverged([tablet, ahead, behind], produced);
    expect(result.cases).toBe(5);
    const history = await tablet.device.caseView.getCaseHistory(first!);
    expect(history.history.ok).toBe(true);
    const edits = history.events.filter((e) => e.type === 'editOrder' && e.changes.some((c) => c.field === 'indication'));
    expect(edits[0]?.changes).toContainEqual(expect.objectContaining({ field: 'indication', after: 'Edited an hour behind' }));
  });

  it('the server’s whole database holds none of the names, numbers, notes or secrets typed on the devices', async () => {
    const secret = '86420975';
    const rng = mulberry32(17);
    const planted = {
      tablet: { patientName: 'Wenceslas Quibblethorpe', mrn: 'MRN-Q7Z3X9K2', dateOfBirth: '1933-07-19', notes: 'Allergic to zirconium-kumquat glaze' },
      workstation: { patientName: 'Philippa Marchbanks-Oyelaran', mrn: 'MRN-W4V8T2R6', dateOfBirth: '1948-11-23', notes: 'Pacemaker, hospice liaison Yevgenia' },
    };
    const { member: tablet, produced } = await connectedTablet(store, { cases: 0, rng, secret });
    const workstation = await join(tablet, 'Reading room');
    const ids: Record<string, CaseId> = {};
    for (const m of [tablet, workstation]) {
      const p = planted[m.name === 'tablet' ? 'tablet' : 'workstation'];
      await signIn(m, TECH);
      ids[m.name] = asCaseId(seededUuid(rng));
      expect(await run(m, produced, null, { type: 'create', id: ids[m.name]!, input: orderInput(p) })).toBe(true);
      expect(await run(m, produced, ids[m.name]!, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-02-27', accessionNumber: `ACC-${p.mrn.slice(4)}`, sliceThicknessMm: 1, contrastPhase: 'arterial', imagingNotes: `${p.notes}, imaging` } })).toBe(true);
    }
    await syncUntilQuiet([tablet, workstation], rng, produced);
    await expectConverged([tablet, workstation], produced);
    expect((await workstation.device.caseView.getCaseView(ids.tablet!))?.case.phi.patientName).toBe(planted.tablet.patientName);

    const dump: string[] = [];
    for (const table of TABLES) {
      const rows = await store.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      dump.push(...rows.map((r) => r.row));
    }
    const text = dump.join('\n');
    // The dump is what it should be: the sealed events and the devices' names (the server knows devices, not people).
    expect(await countEvents(store)).toBeGreaterThan(10);
    expect(text).toContain('Bench tablet');
    expect(text).toContain('Reading room');

    const typed = [...Object.values(planted).flatMap((p) => Object.values(p)), secret, ...PEOPLE, ADMIN];
    const found = typed.filter((s) => text.toLowerCase().includes(s.toLowerCase()));
    expect(found).toEqual([]);
    const encoded = typed.filter((s) => s.length >= 8).flatMap(base64Forms);
    expect(encoded.filter((b) => text.includes(b))).toEqual([]);
  });
});

/** The base64 text a string becomes wherever it starts in a longer encoded buffer (three alignments, edges cut). */
function base64Forms(s: string): string[] {
  return [0, 1, 2].map((pad) => {
    const b64 = Buffer.concat([Buffer.alloc(pad), Buffer.from(s, 'utf8')]).toString('base64');
    return b64.slice(pad ? 4 : 0, b64.length - 4);
  });
}
