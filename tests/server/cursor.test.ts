// The cursor trap (docs/deploy.md, "Lab server"; shared sync notes): a pull "after N" must
// never skip an event that commits late. Here with many concurrent pushers and pullers, and
// with a push held open mid-transaction while another one and a pull run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable, Store } from '../../server/db/store';
import type { PulledEvent } from '../../src/domain/sync-wire';
import { call, enrolDevice, makeEvent, setupLab, startServer, type Lab, type TestServer } from './support/server';
import { resetStore } from './support/store';

let store: Store;
let server: TestServer;
let lab: Lab;
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  lab = await setupLab(server, store);
});
afterAll(() => server.close());

type Page = { events: PulledEvent[]; next: number; more: boolean };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const storeName = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';

/** A puller that checks, as it goes, that numbers come one after another with none skipped. */
async function puller(url: string, credential: string, done: () => boolean, options: { wait?: number } = {}) {
  const received: PulledEvent[] = [];
  let after = 0;
  for (;;) {
    const finished = done(); // read before pulling: a pull that starts after the last push must see it all
    const limit = 1 + Math.floor(Math.random() * 20);
    const reply = await call<Page>(url, 'GET', `/api/labs/${lab.labId}/events?after=${after}&limit=${limit}&wait=${options.wait ?? 0}`, { token: credential });
    if (reply.status !== 200) throw new Error(`pull failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    for (const event of reply.body.events) {
      if (event.serverSeq !== after + 1) throw new Error(`puller expected ${after + 1} and got ${event.serverSeq}: an event was skipped or repeated`);
      received.push(event);
      after = event.serverSeq;
    }
    expect(reply.body.next).toBe(after);
    if (finished && !reply.body.more) return received;
    if (reply.body.events.length === 0 && !options.wait) await sleep(Math.random() * 5);
  }
}

describe(`the pull cursor (${storeName})`, () => {
  it('gives every puller every event exactly once, in order, while many devices push at once', async () => {
    const pushers = await Promise.all(Array.from({ length: 16 }, (_, i) => enrolDevice(server, lab, `Pusher ${i}`)));
    const readers = await Promise.all(Array.from({ length: 5 }, (_, i) => enrolDevice(server, lab, `Puller ${i}`)));
    const pushed = new Set<string>();
    let pushing = true;

    const pulls = readers.map((reader, i) => puller(server.url, reader.credential, () => !pushing, i === 0 ? { wait: 1 } : {}));
    const pushes = pushers.map(async (device) => {
      let deviceSeq = 0;
      for (let batch = 0; batch < 10; batch++) {
        const events = Array.from({ length: 1 + Math.floor(Math.random() * 5) }, () => makeEvent({ deviceSeq: ++deviceSeq }, 32));
        const reply = await call(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token: device.credential, body: { events } });
        if (reply.status !== 200) throw new Error(`push failed: ${reply.status} ${JSON.stringify(reply.body)}`);
        for (const event of events) pushed.add(event.eventId);
      }
    });
    await Promise.all(pushes);
    pushing = false;
    const results = await Promise.all(pulls);

    const order = (await store.query<{ event_id: string }>('SELECT event_id FROM events WHERE lab_id = $1 ORDER BY server_seq', [lab.labId])).map(
      (row) => row.event_id,
    );
    expect(order.length).toBe(pushed.size);
    expect(new Set(order)).toEqual(pushed);
    for (const received of results) {
      expect(received.map((event) => event.eventId)).toEqual(order);
    }
  });

  it('makes a push wait for one still open before it, so a pull in between skips nothing', async () => {
    // A store whose first event insert pauses inside its transaction, after the push has
    // taken its numbers: the moment an identity column would let a later push overtake it.
    let release!: () => void;
    let paused!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (paused = resolve));
    let armed = true;
    const slow: Store = {
      ...store,
      transaction: (work) =>
        store.transaction((tx) =>
          work({
            exec: (sql) => tx.exec(sql),
            query: async (sql, params) => {
              if (armed && sql.includes('INSERT INTO events')) {
                armed = false;
                paused();
                await gate;
              }
              return tx.query(sql, params);
            },
          } as Queryable),
        ),
    };
    // B goes through a server whose store says when B's push first reaches the database.
    let watching = false;
    let reached!: () => void;
    const bAsked = new Promise<void>((resolve) => (reached = resolve));
    const arrived = () => watching && reached();
    const watched: Store = {
      ...store,
      query: (sql, params) => (arrived(), store.query(sql, params)),
      transaction: (work) => (arrived(), store.transaction(work)),
    };
    const held = await startServer(slow);
    const other = await startServer(watched);
    try {
      const before = Number((await store.query<{ seq: unknown }>('SELECT seq FROM labs WHERE id = $1', [lab.labId]))[0]!.seq);
      const first = makeEvent();
      const second = makeEvent();
      const pushA = call<{ results: { serverSeq: number }[] }>(held.url, 'POST', `/api/labs/${lab.labId}/events`, { token: lab.credential, body: { events: [first] } });
      await inside;
      let bDone = false;
      watching = true;
      const pushB = call<{ results: { serverSeq: number }[] }>(other.url, 'POST', `/api/labs/${lab.labId}/events`, { token: lab.credential, body: { events: [second] } }).then(
        (reply) => ((bDone = true), reply),
      );
      await bAsked;
      if (storeName === 'PostgreSQL') {
        // B is inside its transaction, blocked on A's row lock (PostgreSQL shows it as an ungranted lock).
        await expect.poll(async () => (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted'))[0]!.n, { timeout: 10_000 }).toBeGreaterThan(0);
      }
      // (PGlite has one connection: nothing of B's runs before A's transaction ends.)
      expect(bDone).toBe(false); // B waits for A's lock instead of numbering past it
      if (storeName === 'PostgreSQL') {
        // PGlite has one connection, so a pull also waits there; on PostgreSQL it runs now and sees neither.
        const meanwhile = await call<Page>(server.url, 'GET', `/api/labs/${lab.labId}/events?after=${before}`, { token: lab.credential });
        expect(meanwhile.body.events).toEqual([]);
      }
      release();
      const [a, b] = await Promise.all([pushA, pushB]);
      expect(a.body.results[0]!.serverSeq).toBe(before + 1);
      expect(b.body.results[0]!.serverSeq).toBe(before + 2);
      const after = await call<Page>(server.url, 'GET', `/api/labs/${lab.labId}/events?after=${before}`, { token: lab.credential });
      expect(after.body.events.map((e) => e.eventId)).toEqual([first.eventId, second.eventId]);
    } finally {
      release();
      await held.close();
      await other.close();
    }
  });
});
