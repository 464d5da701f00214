// Every audit chain on the server stays linear: a push is accepted only if each of its new
// chain events extends the chain's head (compare-and-set), and refused whole otherwise.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import type { PulledEvent, PushedEvent, StalePushResponse } from '../../src/domain/sync-wire';
import { call, countEvents, enrolDevice, makeEvent, setupLab, startServer, type Lab, type TestServer } from './support/server';
import { resetStore } from './support/store';

const GENESIS = '0'.repeat(64);

let store: Store;
let server: TestServer;
let lab: Lab;
let other: { credential: string; deviceId: string };
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  lab = await setupLab(server, store);
  other = await enrolDevice(server, lab, 'Workstation');
});
afterAll(() => server.close());

type Results = { results: { eventId: string; serverSeq: number }[] };
type Reply = Results & Partial<StalePushResponse>;
const push = (events: unknown[], token = lab.credential, labId = lab.labId) =>
  call<Reply>(server.url, 'POST', `/api/labs/${labId}/events`, { token, body: { events } });
const pullAfter = async (after: number) =>
  (await call<{ events: PulledEvent[] }>(server.url, 'GET', `/api/labs/${lab.labId}/events?after=${after}&limit=500`, { token: lab.credential })).body
    .events;
const labSeq = async () => Number((await store.query<{ seq: unknown }>('SELECT seq FROM labs WHERE id = $1', [lab.labId]))[0]!.seq);
const heads = () => store.query<{ chain: string; head: string }>('SELECT chain, head FROM chain_heads WHERE lab_id = $1 ORDER BY chain', [lab.labId]);
const headOf = async (chain: string) => (await heads()).find((row) => row.chain === chain)?.head;

/** The next entry on `chain`, written by a device that last saw `parent` there. */
const onChain = (chain: string, parent: string, overrides: Partial<PushedEvent> = {}): PushedEvent & { chain: string; hash: string } => ({
  ...makeEvent({ parents: [parent], ...overrides }),
  chain,
  hash: randomBytes(32).toString('hex'),
});

const refusal = (...stale: string[]) => ({
  error: `Another device changed ${stale.length === 1 ? '1 record' : `${stale.length} records`} first: pull, then push again.`,
  stale,
});

describe('audit chains stay linear', () => {
  it('accepts the first of two devices appending from the same entry, refuses the second whole, then accepts it built on the first', async () => {
    const chain = randomUUID(); // a case id
    const start = await labSeq();
    const created = onChain(chain, GENESIS);
    expect((await push([created])).status).toBe(200);

    // Both devices last saw `created`; the tablet pushes first.
    const fromTablet = onChain(chain, created.hash);
    const fromWorkstation = onChain(chain, created.hash);
    expect((await push([fromTablet])).status).toBe(200);
    const count = await countEvents(store);
    const seq = await labSeq();

    const refused = await push([fromWorkstation], other.credential);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(refusal(chain));
    expect(await countEvents(store)).toBe(count);
    expect(await labSeq()).toBe(seq);
    expect(await headOf(chain)).toBe(fromTablet.hash);
    const pulled = await pullAfter(start);
    expect(pulled).toEqual([
      { ...created, serverSeq: start + 1, deviceId: lab.deviceId },
      { ...fromTablet, serverSeq: start + 2, deviceId: lab.deviceId },
    ]);

    // The workstation pulled and reconciled: the same entry, now after the tablet's.
    const rebased = { ...fromWorkstation, parents: [fromTablet.hash] };
    const accepted = await push([rebased], other.credential);
    expect(accepted.status).toBe(200);
    expect(accepted.body.results).toEqual([{ eventId: rebased.eventId, serverSeq: seq + 1 }]);
    expect(await headOf(chain)).toBe(rebased.hash);
    expect((await pullAfter(seq)).map((e) => [e.eventId, e.chain, e.hash, e.parents, e.deviceId])).toEqual([
      [rebased.eventId, chain, rebased.hash, [fromTablet.hash], other.deviceId],
    ]);
  });

  it('refuses a first entry that does not start from 64 zeros', async () => {
    const chain = `device:${randomUUID()}`;
    const reply = await push([onChain(chain, 'a'.repeat(64))]);
    expect(reply).toMatchObject({ status: 409, body: refusal(chain) });
    expect(await headOf(chain)).toBeUndefined();
  });

  it('stores nothing of a push that mixes stale chain events with good ones, naming each stale chain once', async () => {
    const [x, z, y] = [randomUUID(), randomUUID(), randomUUID()];
    const x1 = onChain(x, GENESIS);
    const z1 = onChain(z, GENESIS);
    expect((await push([x1, z1])).status).toBe(200);
    const count = await countEvents(store);
    const seq = await labSeq();
    const before = await heads();

    const good = onChain(y, GENESIS);
    const plain = makeEvent();
    const staleX = onChain(x, GENESIS);
    const staleZ = onChain(z, 'b'.repeat(64));
    const reply = await push([good, plain, staleX, onChain(x, staleX.hash), staleZ], other.credential);
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual(refusal(x, z));
    expect(await countEvents(store)).toBe(count);
    expect(await labSeq()).toBe(seq);
    expect(await heads()).toEqual(before);

    // Sent again without the stale events, the same good ones are accepted.
    const again = await push([good, plain], other.credential);
    expect(again.body.results.map((r) => r.serverSeq)).toEqual([seq + 1, seq + 2]);
    expect(await headOf(y)).toBe(good.hash);
  });

  it('accepts events chaining through each other in one push, and replays stored ones even after the head moved on', async () => {
    const chain = 'lab';
    const seq = await labSeq();
    const e1 = onChain(chain, GENESIS);
    const e2 = onChain(chain, e1.hash);
    const e3 = onChain(chain, e2.hash);
    const first = await push([e1, e2, e3]);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r) => r.serverSeq)).toEqual([seq + 1, seq + 2, seq + 3]);
    expect(await headOf(chain)).toBe(e3.hash);

    // Within one push each event must extend the one before it, not the stored head alone.
    const fork = await push([onChain(chain, e3.hash), onChain(chain, e3.hash)]);
    expect(fork).toMatchObject({ status: 409, body: refusal(chain) });

    // The head is e3 now; replaying e1 (whose parent is 64 zeros) changes nothing and is no conflict.
    const count = await countEvents(store);
    const replayed = await push([e1], other.credential);
    expect(replayed.status).toBe(200);
    expect(replayed.body.results).toEqual([first.body.results[0]]);
    expect((await push([e1, e2, e3])).body).toEqual(first.body);

    // A replay beside a fresh event that extends the head: the replay keeps its number, the fresh one gets the next.
    const e4 = onChain(chain, e3.hash);
    const mixed = await push([e2, e4]);
    expect(mixed.status).toBe(200);
    expect(mixed.body.results).toEqual([first.body.results[1], { eventId: e4.eventId, serverSeq: seq + 4 }]);
    expect(await countEvents(store)).toBe(count + 1);
    expect(await headOf(chain)).toBe(e4.hash);

    // A replay with another hash is other content, not a replay.
    const changed = await push([{ ...e1, hash: 'c'.repeat(64) }]);
    expect(changed).toMatchObject({ status: 409, body: { error: `Event ${e1.eventId} was already pushed with different content; nothing was stored.` } });
    expect(changed.body).not.toHaveProperty('stale');
  });

  it('never refuses events on no chain, whatever their parents', async () => {
    const parent = randomBytes(32).toString('hex');
    const seq = await labSeq();
    const fromTablet = [makeEvent({ parents: [parent] }), makeEvent({ parents: [] })];
    const fromWorkstation = [makeEvent({ parents: [parent] }), makeEvent({ parents: [GENESIS] })];
    expect((await push(fromTablet)).status).toBe(200);
    expect((await push(fromWorkstation, other.credential)).status).toBe(200);

    const pulled = await pullAfter(seq);
    expect(pulled.map((e) => e.eventId)).toEqual([...fromTablet, ...fromWorkstation].map((e) => e.eventId));
    for (const event of pulled) {
      expect(event).not.toHaveProperty('chain');
      expect(event).not.toHaveProperty('hash');
    }
  });

  it("keeps each lab's chains apart", async () => {
    const elsewhere = await setupLab(server, store, 'Another lab');
    const here = onChain('lab', (await headOf('lab')) ?? GENESIS);
    const there = onChain('lab', GENESIS);
    expect((await push([there], elsewhere.credential, elsewhere.labId)).status).toBe(200);
    expect((await push([here])).status).toBe(200);
    expect(await headOf('lab')).toBe(here.hash);
  });

  it('lets exactly one of 10 devices pushing onto one chain at once win; the others get 409', async () => {
    const devices = [lab.credential, other.credential];
    for (let i = devices.length; i < 10; i++) devices.push((await enrolDevice(server, lab, `Tablet ${i}`)).credential);
    const chain = randomUUID();
    let head = GENESIS;
    for (let round = 0; round < 3; round++) {
      const count = await countEvents(store);
      const events = devices.map(() => onChain(chain, head));
      const replies = await Promise.all(events.map((event, i) => push([event], devices[i])));
      const won = replies.flatMap((reply, i) => (reply.status === 200 ? [events[i]!] : []));
      expect(won).toHaveLength(1);
      for (const reply of replies.filter((r) => r.status !== 200)) expect(reply).toMatchObject({ status: 409, body: refusal(chain) });
      expect(await countEvents(store)).toBe(count + 1);
      head = won[0]!.hash;
      expect(await headOf(chain)).toBe(head);
    }
    const onThisChain = await store.query<{ hash: string; parents: string[] }>('SELECT hash, parents FROM events WHERE chain = $1 ORDER BY server_seq', [chain]);
    expect(onThisChain).toHaveLength(3);
    expect(onThisChain.map((row) => row.parents[0])).toEqual([GENESIS, onThisChain[0]!.hash, onThisChain[1]!.hash]);
  });
});

describe('a joining device’s first pass (heads=1)', () => {
  it('gives of each case’s chain only its newest event, and every event of the lab log, devices’ chains and records, in order and page by page', async () => {
    const seq = await labSeq();
    const caseA = randomUUID();
    const caseB = randomUUID();
    const a1 = onChain(caseA, GENESIS);
    const a2 = onChain(caseA, a1.hash);
    const b1 = onChain(caseB, GENESIS);
    const lab1 = onChain('lab', (await headOf('lab')) ?? GENESIS);
    const own = onChain(`device:${lab.deviceId}`, (await headOf(`device:${lab.deviceId}`)) ?? GENESIS);
    const record = makeEvent();
    const a3 = onChain(caseA, a2.hash);
    expect((await push([a1, a2, b1, lab1, own, record, a3])).status).toBe(200);

    const firstPage = await call<{ events: PulledEvent[]; next: number; more: boolean }>(server.url, 'GET', `/api/labs/${lab.labId}/events?after=${seq}&limit=2&heads=1`, { token: lab.credential });
    expect(firstPage.body.events.map((e) => e.eventId)).toEqual([b1.eventId, lab1.eventId]);
    expect(firstPage.body.more).toBe(true);
    const rest = await call<{ events: PulledEvent[]; more: boolean }>(server.url, 'GET', `/api/labs/${lab.labId}/events?after=${firstPage.body.next}&limit=500&heads=1`, { token: lab.credential });
    expect(rest.body.events.map((e) => e.eventId)).toEqual([own.eventId, record.eventId, a3.eventId]);
    expect(rest.body.more).toBe(false);
    // Without it, everything, as always.
    expect((await pullAfter(seq)).map((e) => e.eventId)).toEqual([a1, a2, b1, lab1, own, record, a3].map((e) => e.eventId));
    const refused = await call<{ error: string }>(server.url, 'GET', `/api/labs/${lab.labId}/events?after=0&heads=yes`, { token: lab.credential });
    expect(refused.status).toBe(400);
  });
});
