import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import type { PulledEvent } from '../../src/domain/sync-wire';
import { call, makeEvent, setupLab, startServer, type Lab, type TestServer } from './support/server';
import { resetStore } from './support/store';

let store: Store;
let server: TestServer;
let lab: Lab;
let other: Lab;
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  lab = await setupLab(server, store);
  other = await setupLab(server, store, 'Other lab');
});
afterAll(() => server.close());

type Page = { events: PulledEvent[]; next: number; more: boolean };
const poll = (target: Lab, after: number, wait: number, signal?: AbortSignal) =>
  call<Page>(server.url, 'GET', `/api/labs/${target.labId}/events?after=${after}&wait=${wait}`, { token: target.credential, ...(signal ? { signal } : {}) });
const push = (target: Lab) => call(server.url, 'POST', `/api/labs/${target.labId}/events`, { token: target.credential, body: { events: [makeEvent()] } });

describe('the live endpoint (long-poll)', () => {
  const waitingPulls = (target: Lab) => expect.poll(() => server.signals.waiting(target.labId));

  // A pull waits up to 20 s: an answer in under 10 s was woken by the push, not by the wait running out.
  it('answers a waiting pull when a push commits, not when its wait runs out', async () => {
    const waiting = poll(lab, 0, 20);
    await waitingPulls(lab).toBe(1);
    const pushedAt = Date.now();
    await push(lab);
    const reply = await waiting;
    expect(Date.now() - pushedAt).toBeLessThan(10_000);
    expect(reply.body.events).toHaveLength(1);
    expect(reply.body.next).toBe(1);
  });

  it('answers at once when there is already something newer', async () => {
    const started = Date.now();
    const reply = await poll(lab, 0, 20);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(reply.body.events).toHaveLength(1);
  });

  it('is not woken by another lab, and answers empty when the wait runs out', async () => {
    const started = Date.now();
    const waiting = poll(lab, 1, 1);
    await waitingPulls(lab).toBe(1);
    await push(other);
    const reply = await waiting;
    expect(reply.body).toEqual({ events: [], next: 1, more: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('forgets a waiting pull whose client went away', async () => {
    const controller = new AbortController();
    const waiting = poll(lab, 1, 20, controller.signal).catch(() => 'aborted');
    await waitingPulls(lab).toBe(1);
    controller.abort();
    expect(await waiting).toBe('aborted');
    await waitingPulls(lab).toBe(0);
  });
});
