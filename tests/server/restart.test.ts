// A server restart (a new process on the same database or data folder) keeps labs,
// devices, credentials, events and the counter, and applies no migration twice.
import { describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../../server/migrate';
import { setupCodeAtStart } from '../../server/routes/setup';
import type { PulledEvent } from '../../src/domain/sync-wire';
import { call, enrolDevice, makeEvent, setupLab, startServer } from './support/server';
import { MIGRATIONS_DIR, reopenStore, resetStore } from './support/store';

describe(`a restart (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('keeps everything', async () => {
    let store = await resetStore();
    let server = await startServer(store);
    const lab = await setupLab(server, store);
    const tablet = await enrolDevice(server, lab);
    const events = Array.from({ length: 5 }, () => makeEvent());
    await call(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token: tablet.credential, body: { events } });
    await server.close();

    store = await reopenStore();
    expect(await migrate(store, readMigrations(MIGRATIONS_DIR))).toEqual([]);
    expect(await setupCodeAtStart(store)).toBeNull();
    server = await startServer(store);
    try {
      const pulled = await call<{ events: PulledEvent[] }>(server.url, 'GET', `/api/labs/${lab.labId}/events?after=0`, { token: lab.credential });
      expect(pulled.status).toBe(200);
      expect(pulled.body.events.map(({ serverSeq: _s, deviceId: _d, ...event }) => event)).toEqual(events);
      const next = await call<{ results: { serverSeq: number }[] }>(server.url, 'POST', `/api/labs/${lab.labId}/events`, {
        token: tablet.credential,
        body: { events: [makeEvent()] },
      });
      expect(next.body.results[0]!.serverSeq).toBe(6);
      // Replaying the pushes from before the restart still changes nothing.
      const replay = await call<{ results: { serverSeq: number }[] }>(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token: tablet.credential, body: { events } });
      expect(replay.body.results.map((r) => r.serverSeq)).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await server.close();
    }
  });
});
