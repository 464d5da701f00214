import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { MAX_PENDING_ENROLMENTS } from '../../server/routes/enrolments';
import { call, makeEvent, publicKey, setupLab, startServer, type Lab, type TestServer } from './support/server';
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

type Asked = { enrolmentId: string; code: string; collectToken: string; error?: string };
const ask = (deviceName = 'Bench tablet 2', key = publicKey()) =>
  call<Asked>(server.url, 'POST', `/api/labs/${lab.labId}/enrolments`, { body: { deviceName, publicKey: key } });
const pending = () =>
  call<{ enrolments: { enrolmentId: string; deviceName: string; publicKey: string; code: string }[] }>(
    server.url,
    'GET',
    `/api/labs/${lab.labId}/enrolments`,
    { token: lab.credential },
  );
const collect = (asked: Asked, token = asked.collectToken) =>
  call(server.url, 'GET', `/api/labs/${lab.labId}/enrolments/${asked.enrolmentId}`, { token });

describe('enrolling a device', () => {
  it('asks, is listed with its code, is approved with a wrapped key, and collects its credential once', async () => {
    const key = publicKey();
    const asked = await ask('Radiology workstation', key);
    expect(asked.status).toBe(201);
    expect(asked.body.code).toMatch(/^\d{3}-\d{3}$/);

    expect((await collect(asked.body)).body).toEqual({ status: 'pending' });
    expect((await collect(asked.body, randomBytes(32).toString('base64url'))).status).toBe(401);

    const list = await pending();
    expect(list.body.enrolments).toEqual([
      expect.objectContaining({ enrolmentId: asked.body.enrolmentId, deviceName: 'Radiology workstation', publicKey: key, code: asked.body.code }),
    ]);

    const wrappedLabKey = randomBytes(80).toString('base64');
    const approved = await call(server.url, 'POST', `/api/labs/${lab.labId}/enrolments/${asked.body.enrolmentId}/approve`, {
      token: lab.credential,
      body: { wrappedLabKey },
    });
    expect(approved.status).toBe(200);

    const got = await collect(asked.body);
    expect(got.body).toEqual({ status: 'approved', deviceId: approved.body.deviceId, credential: expect.any(String), wrappedLabKey });
    expect((await collect(asked.body)).body).toEqual({ status: 'collected' });

    const credential = got.body.credential as string;
    const pushed = await call(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token: credential, body: { events: [makeEvent()] } });
    expect(pushed.status).toBe(200);
    expect((await pending()).body.enrolments).toEqual([]);

    // The server keeps no copy of the wrapped key once collected, and the credential only as a hash.
    const rows = await store.query<{ wrapped_lab_key: string | null }>('SELECT wrapped_lab_key FROM enrolments WHERE id = $1', [
      asked.body.enrolmentId,
    ]);
    expect(rows).toEqual([{ wrapped_lab_key: null }]);

    const twice = await call(server.url, 'POST', `/api/labs/${lab.labId}/enrolments/${asked.body.enrolmentId}/approve`, {
      token: lab.credential,
      body: { wrappedLabKey },
    });
    expect(twice).toMatchObject({ status: 409, body: { error: 'This enrolment is no longer waiting for approval.' } });
  });

  it('can be rejected: the device then learns so and gets no credential', async () => {
    const asked = await ask();
    const rejected = await call(server.url, 'POST', `/api/labs/${lab.labId}/enrolments/${asked.body.enrolmentId}/reject`, { token: lab.credential });
    expect(rejected.status).toBe(200);
    expect((await collect(asked.body)).body).toEqual({ status: 'rejected' });
  });

  it('needs an enrolled device to list, approve or reject, and refuses bad input with a sentence', async () => {
    const asked = await ask();
    const path = `/api/labs/${lab.labId}/enrolments/${asked.body.enrolmentId}`;
    expect((await call(server.url, 'GET', `/api/labs/${lab.labId}/enrolments`)).status).toBe(401);
    expect((await call(server.url, 'POST', `${path}/approve`, { body: { wrappedLabKey: 'x' } })).status).toBe(401);
    // A collect token is not a device credential.
    expect((await call(server.url, 'POST', `${path}/approve`, { token: asked.body.collectToken, body: { wrappedLabKey: 'x' } })).status).toBe(401);
    const noKey = await call(server.url, 'POST', `${path}/approve`, { token: lab.credential, body: {} });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error).toMatch(/^The request is not valid: wrappedLabKey/);
    const tooLong = await ask('x'.repeat(200));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual({ error: 'The request is not valid: deviceName must be at most 80 characters.' });
    expect((await collect(asked.body)).body).toEqual({ status: 'pending' });
  });

  it('expires after its time: no longer listed, approvable or collectable', async () => {
    const asked = await ask('Late tablet');
    await store.query("UPDATE enrolments SET expires_at = now() - interval '1 second' WHERE id = $1", [asked.body.enrolmentId]);
    expect((await pending()).body.enrolments.map((e) => e.enrolmentId)).not.toContain(asked.body.enrolmentId);
    const approve = await call(server.url, 'POST', `/api/labs/${lab.labId}/enrolments/${asked.body.enrolmentId}/approve`, {
      token: lab.credential,
      body: { wrappedLabKey: 'w' },
    });
    expect(approve.status).toBe(409);
    expect((await collect(asked.body)).body).toEqual({ status: 'expired' });
  });

  it('caps how many devices may wait, and limits the rate of attempts per client', async () => {
    const waiting = (await pending()).body.enrolments.length;
    for (let i = waiting; i < MAX_PENDING_ENROLMENTS; i++) expect((await ask()).status).toBe(201);
    const over = await ask();
    expect(over.status).toBe(429);
    expect(over.body.error).toMatch(/waiting for approval/);

    const limited = await startServer(store, { rateLimits: { enrol: { max: 2, timeWindow: 60_000 } } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await call(limited.url, 'POST', `/api/labs/${lab.labId}/enrolments`, { body: { deviceName: 'x', publicKey: 'k' } })).status);
      }
      expect(statuses.slice(2)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});
