import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { SYNC_LIMITS, type PulledEvent, type PushedEvent } from '../../src/domain/sync-wire';
import { call, countEvents, enrolDevice, makeEvent, setupLab, startServer, type Lab, type TestServer } from './support/server';
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

type Results = { results: { eventId: string; serverSeq: number }[] };
const push = (body: unknown, token = lab.credential) => call<Results & { error?: string }>(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token, body });
const pull = (query: string, token = lab.credential) =>
  call<{ events: PulledEvent[]; next: number; more: boolean; error?: string }>(server.url, 'GET', `/api/labs/${lab.labId}/events?${query}`, { token });
const labSeq = async () => Number((await store.query<{ seq: unknown }>('SELECT seq FROM labs WHERE id = $1', [lab.labId]))[0]!.seq);

describe('pushing and pulling events', () => {
  it('numbers a batch in order and gives it back page by page, exactly as pushed', async () => {
    const start = await labSeq();
    const events = Array.from({ length: 7 }, (_, i) => makeEvent({ deviceSeq: i + 1 }, 16 + i));
    const pushed = await push({ events });
    expect(pushed.status).toBe(200);
    expect(pushed.body.results).toEqual(events.map((e, i) => ({ eventId: e.eventId, serverSeq: start + i + 1 })));

    const page1 = await pull(`after=${start}&limit=3`);
    expect(page1.body.more).toBe(true);
    expect(page1.body.next).toBe(start + 3);
    const page2 = await pull(`after=${page1.body.next}&limit=3`);
    const page3 = await pull(`after=${page2.body.next}&limit=3`);
    expect(page3.body).toMatchObject({ more: false, next: start + 7 });
    const all = [...page1.body.events, ...page2.body.events, ...page3.body.events];
    expect(all).toEqual(events.map((e, i) => ({ ...e, serverSeq: start + i + 1, deviceId: lab.deviceId })));

    const empty = await pull(`after=${start + 7}`);
    expect(empty.body).toEqual({ events: [], next: start + 7, more: false });
  });

  it('changes nothing on a replayed push and returns the same numbers', async () => {
    const events = [makeEvent(), makeEvent(), makeEvent()];
    const first = await push({ events });
    const count = await countEvents(store);
    const seq = await labSeq();
    const again = await push({ events });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await countEvents(store)).toBe(count);
    expect(await labSeq()).toBe(seq);

    // Overlapping: two already stored, one new → the new one gets the next number.
    const fresh = makeEvent();
    const mixed = await push({ events: [events[1], fresh, events[0]] });
    expect(mixed.body.results).toEqual([
      first.body.results[1],
      { eventId: fresh.eventId, serverSeq: seq + 1 },
      first.body.results[0],
    ]);
    expect(await countEvents(store)).toBe(count + 1);
  });

  it('stores a batch sent many times at once only once, every reply with the same numbers', async () => {
    const events = Array.from({ length: 5 }, () => makeEvent());
    const count = await countEvents(store);
    const replies = await Promise.all(Array.from({ length: 10 }, () => push({ events })));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(replies[0]!.body);
    }
    expect(await countEvents(store)).toBe(count + 5);
  });

  it('refuses, whole, a push that reuses an event id with other content (409), also from another device', async () => {
    const original = makeEvent();
    await push({ events: [original] });
    const count = await countEvents(store);
    const seq = await labSeq();
    const other = await enrolDevice(server, lab);
    for (const changed of [
      { ...original, envelope: randomBytes(original.size).toString('base64') },
      { ...original, sig: 'forged' },
      { ...original, parents: [] },
      { ...original, deviceSeq: 99 },
      { ...original, chain: 'lab', hash: 'a'.repeat(64) },
    ]) {
      const reply = await push({ events: [makeEvent(), changed] }, other.credential);
      expect(reply.status).toBe(409);
      expect(reply.body.error).toBe(`Event ${original.eventId} was already pushed with different content; nothing was stored.`);
    }
    expect(await countEvents(store)).toBe(count);
    expect(await labSeq()).toBe(seq);

    const elsewhere = await setupLab(server, store, 'Another lab');
    const stolen = await call(server.url, 'POST', `/api/labs/${elsewhere.labId}/events`, { token: elsewhere.credential, body: { events: [original] } });
    expect(stolen.status).toBe(409);
    expect(await countEvents(store)).toBe(count);
  });

  const bad: [string, unknown, RegExp][] = [
    ['no events field', {}, /^The request is not valid: events — Invalid input/],
    ['an empty batch', { events: [] }, /events must hold at least one event\.$/],
    ['too many events', { events: Array.from({ length: SYNC_LIMITS.maxEventsPerPush + 1 }, () => makeEvent({}, 4)) }, /events must hold at most 200 events/],
    ['the same id twice', (() => { const e = makeEvent(); return { events: [e, e] }; })(), /must not list the same event id twice/],
    ['a bad event id', { events: [makeEvent({ eventId: 'abc' })] }, /events\[0\]\.eventId must be a lower-case UUID\.$/],
    ['an upper-case event id', { events: [makeEvent({ eventId: 'AB5C5F8A-0C4E-4A57-9E36-7E3C1A0E5B11' })] }, /eventId must be a lower-case UUID/],
    ['a fractional device seq', { events: [makeEvent({ deviceSeq: 1.5 })] }, /events\[0\]\.deviceSeq must be a whole number/],
    ['a device seq as text', { events: [makeEvent({ deviceSeq: '3' as unknown as number })] }, /deviceSeq must be a whole number/],
    ['a zero device seq', { events: [makeEvent({ deviceSeq: 0 })] }, /deviceSeq must be 1 or more/],
    ['a bad clock', { events: [makeEvent({ hlc: '2026-12-06' })] }, /hlc must be a hybrid logical clock/],
    ['a parent that is not a hash', { events: [makeEvent({ parents: ['not-a-hash'] })] }, /parents\[0\] must be a SHA-256 hash/],
    ['too many parents', { events: [makeEvent({ parents: Array.from({ length: 65 }, () => 'a'.repeat(64)) })] }, /parents must list at most 64 parents/],
    ['a signature that is not base64url', { events: [makeEvent({ sig: 'a b' })] }, /sig must be base64url/],
    ['an envelope that is not base64', { events: [makeEvent({ envelope: '%%%%', size: 3 })] }, /envelope must be standard base64/],
    ['a size that does not match', { events: [makeEvent({ size: 47 }, 48)] }, /events\[0\]\.size size must equal the number of bytes in the envelope/],
    ['an envelope over the limit', { events: [makeEvent({}, SYNC_LIMITS.maxEnvelopeBytes + 3)] }, /envelope must be at most 262144 bytes/],
    ['a chain without a hash', { events: [makeEvent({ chain: 'lab' })] }, /events\[0\]\.hash must be given when chain is: an event on a chain names both\.$/],
    ['a hash without a chain', { events: [makeEvent({ hash: 'a'.repeat(64) })] }, /events\[0\]\.chain must be given when hash is: an event on a chain names both\.$/],
    ['a hash that is not hex', { events: [makeEvent({ chain: 'lab', hash: 'z'.repeat(64) })] }, /events\[0\]\.hash must be a SHA-256 hash in lower-case hex\.$/],
    ['an upper-case hash', { events: [makeEvent({ chain: 'lab', hash: 'A'.repeat(64) })] }, /hash must be a SHA-256 hash in lower-case hex/],
    ['a short hash', { events: [makeEvent({ chain: 'lab', hash: 'a'.repeat(63) })] }, /hash must be a SHA-256 hash in lower-case hex/],
    ['a chain event with no parent', { events: [makeEvent({ chain: 'lab', hash: 'a'.repeat(64), parents: [] })] }, /events\[0\]\.parents must name the entry before it on its chain \(64 zeros for the first\)\.$/],
    ['an empty chain name', { events: [makeEvent({ chain: '', hash: 'a'.repeat(64) })] }, /events\[0\]\.chain must not be empty\.$/],
    ['a chain name with a space', { events: [makeEvent({ chain: 'case 1', hash: 'a'.repeat(64) })] }, /chain must hold only letters, digits, colons, underscores and hyphens\.$/],
    ['a chain name over 100 characters', { events: [makeEvent({ chain: 'c'.repeat(101), hash: 'a'.repeat(64) })] }, /chain must be at most 100 characters\.$/],
    ['a number for the chain', { events: [{ ...makeEvent(), chain: 7, hash: 'a'.repeat(64) }] }, /chain — Invalid input: expected string, received number/],
    ['an unknown field', { events: [{ ...makeEvent(), caseId: 'c1' }] }, /Unrecognized key: "caseId"/],
    ['a number for the envelope', { events: [{ ...makeEvent(), envelope: 12 }] }, /envelope — Invalid input: expected string, received number/],
    ['a string for the batch', { events: 'all of them' }, /events — Invalid input: expected array, received string/],
  ];

  it.each(bad)('refuses %s with 400 and a sentence, storing nothing', async (_name, body, message) => {
    const count = await countEvents(store);
    const seq = await labSeq();
    const reply = await push(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatch(/^The request is not valid: /);
    expect(reply.body.error).toMatch(message);
    expect(await countEvents(store)).toBe(count);
    expect(await labSeq()).toBe(seq);
  });

  it('refuses a body that is not JSON, or too large, with a sentence', async () => {
    const count = await countEvents(store);
    const text = await call(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token: lab.credential, rawBody: 'events', contentType: 'text/plain' });
    expect(text).toMatchObject({ status: 415, body: { error: 'The request body must be JSON (Content-Type: application/json).' } });
    const broken = await call(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token: lab.credential, rawBody: '{"events": [', contentType: 'application/json' });
    expect(broken).toMatchObject({ status: 400, body: { error: 'The request body is not valid JSON.' } });
    const huge = { events: Array.from({ length: 40 }, () => makeEvent({}, SYNC_LIMITS.maxEnvelopeBytes)) };
    const tooLarge = await push(huge);
    expect(tooLarge).toMatchObject({ status: 413, body: { error: 'The request body is too large.' } });
    expect(await countEvents(store)).toBe(count);
  });

  it('accepts an envelope of exactly the largest size', async () => {
    const event = makeEvent({}, SYNC_LIMITS.maxEnvelopeBytes);
    const reply = await push({ events: [event] });
    expect(reply.status).toBe(200);
    const back = await pull(`after=${reply.body.results[0]!.serverSeq - 1}&limit=1`);
    expect(back.body.events[0]!.envelope).toBe(event.envelope);
  });

  it('refuses bad pull parameters with a sentence', async () => {
    for (const [query, message] of [
      ['after=-1', 'The request is not valid: after must be 0 or more.'],
      ['after=x', 'The request is not valid: after must be a number.'],
      ['limit=0', 'The request is not valid: limit must be 1 or more.'],
      [`limit=${SYNC_LIMITS.maxPullLimit + 1}`, 'The request is not valid: limit must be at most 500.'],
      ['wait=31', 'The request is not valid: wait must be at most 30.'],
      ['since=3', 'The request is not valid: Unrecognized key: "since".'],
    ]) {
      expect(await pull(query!)).toMatchObject({ status: 400, body: { error: message } });
    }
  });

  it('limits the rate of pushes per device, not per address', async () => {
    const limited = await startServer(store, { rateLimits: { push: { max: 3, timeWindow: 60_000 } } });
    try {
      const other = await enrolDevice(server, lab, 'Second tablet');
      const send = (token: string) => call(limited.url, 'POST', `/api/labs/${lab.labId}/events`, { token, body: { events: [makeEvent()] } });
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await send(lab.credential)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await send(other.credential)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

export type { PushedEvent };
