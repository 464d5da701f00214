import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { hashSecret } from '../../server/secrets';
import { call, countEvents, enrolDevice, makeEvent, setupLab, startServer, type Lab, type TestServer } from './support/server';
import { resetStore } from './support/store';

let store: Store;
let server: TestServer;
let lab: Lab;
let other: Lab;
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  lab = await setupLab(server, store);
  other = await setupLab(server, store, 'Other lab tablet');
});
afterAll(() => server.close());

const pull = (labId: string, token?: string) => call(server.url, 'GET', `/api/labs/${labId}/events?after=0`, token ? { token } : {});
const push = (labId: string, token?: string) =>
  call(server.url, 'POST', `/api/labs/${labId}/events`, { body: { events: [makeEvent()] }, ...(token ? { token } : {}) });

describe('device authentication', () => {
  it('refuses a missing, malformed or unknown credential with 401 on every lab route', async () => {
    for (const token of [undefined, 'short', randomBytes(32).toString('base64url')]) {
      for (const reply of [
        await pull(lab.labId, token),
        await push(lab.labId, token),
        await call(server.url, 'GET', `/api/labs/${lab.labId}/enrolments`, token ? { token } : {}),
        await call(server.url, 'GET', `/api/labs/${lab.labId}/devices`, token ? { token } : {}),
      ]) {
        expect(reply.status).toBe(401);
        expect(reply.body.error).toMatch(/credential/);
      }
    }
    const basic = await call(server.url, 'GET', `/api/labs/${lab.labId}/devices`, {});
    expect(basic.status).toBe(401);
    expect(await countEvents(store)).toBe(0);
  });

  it('accepts the lab’s own device, and stores its credential only as a SHA-256 hash', async () => {
    expect((await push(lab.labId, lab.credential)).status).toBe(200);
    expect((await pull(lab.labId, lab.credential)).status).toBe(200);
    const rows = await store.query<{ credential_hash: string }>('SELECT credential_hash FROM devices WHERE id = $1', [lab.deviceId]);
    expect(rows[0]!.credential_hash).toBe(hashSecret(lab.credential));
  });

  it('never lets a device of one lab read or write another lab’s events, devices or enrolments', async () => {
    await push(other.labId, other.credential);
    const before = await countEvents(store);
    expect((await pull(other.labId, lab.credential)).status).toBe(403);
    const write = await push(other.labId, lab.credential);
    expect(write).toMatchObject({ status: 403, body: { error: 'This device belongs to another lab.' } });
    expect((await call(server.url, 'GET', `/api/labs/${other.labId}/devices`, { token: lab.credential })).status).toBe(403);
    expect((await call(server.url, 'GET', `/api/labs/${other.labId}/enrolments`, { token: lab.credential })).status).toBe(403);
    // Revoking another lab's device through one's own lab path finds nothing.
    const revoke = await call(server.url, 'POST', `/api/labs/${lab.labId}/devices/${other.deviceId}/revoke`, { token: lab.credential });
    expect(revoke.status).toBe(404);
    expect((await pull(other.labId, other.credential)).status).toBe(200);
    // Its own pull shows only its own lab's events.
    const mine = await pull(lab.labId, lab.credential);
    const theirs = await pull(other.labId, other.credential);
    const ids = (reply: typeof mine) => (reply.body.events as { eventId: string }[]).map((e) => e.eventId);
    expect(ids(mine).filter((id) => ids(theirs).includes(id))).toEqual([]);
    expect(await countEvents(store)).toBe(before);
  });

  it('answers 404 for a lab id that is not a lab', async () => {
    expect((await pull('not-a-lab', lab.credential)).status).toBe(404);
    expect((await call(server.url, 'POST', `/api/labs/${randomUUID()}/enrolments`, { body: { deviceName: 'x', publicKey: 'k' } })).status).toBe(404);
  });

  it('refuses a revoked device from its very next request', async () => {
    const tablet = await enrolDevice(server, lab, 'Tablet to lose');
    expect((await pull(lab.labId, tablet.credential)).status).toBe(200);
    const revoked = await call(server.url, 'POST', `/api/labs/${lab.labId}/devices/${tablet.deviceId}/revoke`, { token: lab.credential });
    expect(revoked.status).toBe(200);
    const before = await countEvents(store);
    for (const reply of [await pull(lab.labId, tablet.credential), await push(lab.labId, tablet.credential)]) {
      expect(reply).toMatchObject({ status: 401, body: { error: 'This device credential is not valid or has been revoked.' } });
    }
    expect(await countEvents(store)).toBe(before);
    const list = await call<{ devices: { deviceId: string; revokedAt: string | null }[] }>(server.url, 'GET', `/api/labs/${lab.labId}/devices`, {
      token: lab.credential,
    });
    expect(list.body.devices.find((d) => d.deviceId === tablet.deviceId)?.revokedAt).toEqual(expect.any(String));
    expect(list.body.devices.find((d) => d.deviceId === lab.deviceId)?.revokedAt).toBeNull();
  });
});
