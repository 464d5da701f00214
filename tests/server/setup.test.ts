import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { issueSetupCode, setupCodeAtStart } from '../../server/routes/setup';
import { hashSecret } from '../../server/secrets';
import { call, publicKey, startServer, type TestServer } from './support/server';
import { resetStore } from './support/store';

let store: Store;
let server: TestServer;
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
});
afterAll(() => server.close());

const setup = (code: string) => call(server.url, 'POST', '/api/setup', { body: { code, deviceName: 'Bench tablet', publicKey: publicKey() } });
const labCount = async () => Number((await store.query<{ n: unknown }>('SELECT count(*) AS n FROM labs'))[0]!.n);

describe('the one-time set-up code', () => {
  it('is made at first start, stored only as a hash, works once, and is not made again once a lab exists', async () => {
    const code = await setupCodeAtStart(store);
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const stored = await store.query<{ code_hash: string }>('SELECT code_hash FROM setup_codes');
    expect(stored).toEqual([{ code_hash: hashSecret(code!) }]);

    const wrong = await setup('AAAA-BBBB-CCCC-DDDD');
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ error: 'This set-up code is not valid or has already been used.' });
    expect(await labCount()).toBe(0);

    // Typed loosely: lower case, no dashes.
    const first = await setup(code!.toLowerCase().replace(/-/g, ''));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ labId: expect.any(String), deviceId: expect.any(String), credential: expect.any(String) });
    expect(Buffer.from(first.body.credential as string, 'base64url').length).toBeGreaterThanOrEqual(32);
    expect(await labCount()).toBe(1);

    const again = await setup(code!);
    expect(again.status).toBe(403);
    expect(await labCount()).toBe(1);
    expect(await setupCodeAtStart(store)).toBeNull();

    const devices = await store.query<{ credential_hash: string }>('SELECT credential_hash FROM devices');
    expect(devices).toEqual([{ credential_hash: hashSecret(first.body.credential as string) }]);
  });

  it('creates exactly one lab when the code is sent many times at once', async () => {
    const before = await labCount();
    const code = await issueSetupCode(store);
    const replies = await Promise.all(Array.from({ length: 8 }, () => setup(code)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403, 403, 403, 403]);
    expect(await labCount()).toBe(before + 1);
  });

  it('stops an older unused code when a new one is issued', async () => {
    const old = await issueSetupCode(store);
    const fresh = await issueSetupCode(store);
    expect((await setup(old)).status).toBe(403);
    expect((await setup(fresh)).status).toBe(201);
  });

  it('refuses malformed requests with a sentence, creating nothing', async () => {
    const before = await labCount();
    const code = await issueSetupCode(store);
    const missing = await call(server.url, 'POST', '/api/setup', { body: { code } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/^The request is not valid: deviceName/);
    const notJson = await call(server.url, 'POST', '/api/setup', { rawBody: '{"code": ', contentType: 'application/json' });
    expect(notJson).toMatchObject({ status: 400, body: { error: 'The request body is not valid JSON.' } });
    const extra = await call(server.url, 'POST', '/api/setup', { body: { code, deviceName: 'x', publicKey: 'k', admin: true } });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatch(/admin/);
    expect(await labCount()).toBe(before);
    expect((await setup(code)).status).toBe(201); // the code still works after bad requests
  });

  it('limits the rate of set-up attempts per client', async () => {
    const limited = await startServer(store, { rateLimits: { setup: { max: 3, timeWindow: 60_000 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const reply = await call(limited.url, 'POST', '/api/setup', { body: { code: `WRONG-${i}`, deviceName: 'x', publicKey: 'k' } });
        statuses.push(reply.status);
        if (reply.status === 429) expect(reply.body.error).toMatch(/^Too many requests: try again in \d+ s\.$/);
      }
      expect(statuses).toEqual([403, 403, 403, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
