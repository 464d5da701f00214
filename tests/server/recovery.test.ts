// The recovery routes as an attacker and a careless client meet them: what is kept, what a
// wrong or replayed request changes (nothing), and who may enrol with the recovery token.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { hashSecret } from '../../server/secrets';
import { call, publicKey, setupLab, startServer, type Lab, type TestServer } from './support/server';
import { resetStore } from './support/store';

let store: Store;
let server: TestServer;
let lab: Lab;
let other: Lab;
const token = randomBytes(32).toString('base64url');
const key = publicKey();
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
  lab = await setupLab(server, store);
  other = await setupLab(server, store, 'Other lab tablet');
});
afterAll(() => server.close());

const setUp = (l: Lab, body: unknown) => call(server.url, 'PUT', `/api/labs/${l.labId}/recovery`, { token: l.credential, body });
const recover = (labId: string, body: unknown) => call(server.url, 'POST', `/api/labs/${labId}/recover`, { body });
const devices = async () => Number((await store.query<{ n: unknown }>('SELECT count(*) AS n FROM devices'))[0]!.n);

describe('setting up the recovery key', () => {
  it('refuses a malformed request with a sentence and keeps nothing', async () => {
    for (const body of [{}, { publicKey: key, token: 'short', grants: [{ epoch: '1', grant: 'g' }] }, { publicKey: key, token, grants: [] }, { publicKey: key, token, grants: [{ epoch: 'one', grant: 'g' }] }]) {
      const reply = await setUp(lab, body);
      expect(reply.status).toBe(400);
      expect(reply.body.error).toEqual(expect.any(String));
    }
    expect(await store.query('SELECT 1 FROM recovery')).toHaveLength(0);
    expect((await setUp(lab, { publicKey: key, token, grants: [{ epoch: '1', grant: 'sealed-grant' }] })).status).toBe(201);
  });

  it('keeps only the token’s hash; a second set-up, even replayed, is refused and changes nothing', async () => {
    const rows = await store.query<{ token_hash: string }>('SELECT token_hash FROM recovery WHERE lab_id = $1', [lab.labId]);
    expect(rows[0]!.token_hash).toBe(hashSecret(token));
    const again = await setUp(lab, { publicKey: publicKey(), token: randomBytes(32).toString('base64url'), grants: [{ epoch: '1', grant: 'other' }] });
    expect(again.status).toBe(409);
    expect((await store.query<{ grant_blob: string }>('SELECT grant_blob FROM recovery_grants WHERE lab_id = $1', [lab.labId])).map((r) => r.grant_blob)).toEqual(['sealed-grant']);
  });

  it('adds a new epoch’s grant once: a replay or a different blob for the same epoch changes nothing', async () => {
    const add = (grant: string) => call(server.url, 'PUT', `/api/labs/${lab.labId}/recovery/grants/2-0a1b2c3d`, { token: lab.credential, body: { grant } });
    expect((await add('epoch-two')).status).toBe(200);
    expect((await add('epoch-two')).status).toBe(200);
    expect((await add('swapped')).status).toBe(200);
    expect((await store.query<{ grant_blob: string }>("SELECT grant_blob FROM recovery_grants WHERE epoch = '2-0a1b2c3d'")).map((r) => r.grant_blob)).toEqual(['epoch-two']);
    const bad = await call(server.url, 'PUT', `/api/labs/${lab.labId}/recovery/grants/x'%3B--`, { token: lab.credential, body: { grant: 'g' } });
    expect(bad.status).toBe(404);
  });

  it('needs a device of that lab', async () => {
    expect((await call(server.url, 'PUT', `/api/labs/${lab.labId}/recovery`, { body: { publicKey: key, token, grants: [{ epoch: '1', grant: 'g' }] } })).status).toBe(401);
    expect((await call(server.url, 'PUT', `/api/labs/${lab.labId}/recovery`, { token: other.credential, body: { publicKey: key, token, grants: [{ epoch: '1', grant: 'g' }] } })).status).toBe(403);
    expect((await call(server.url, 'GET', `/api/labs/${lab.labId}/recovery`, { token: other.credential })).status).toBe(403);
  });
});

describe('recovering with the token', () => {
  it('refuses a wrong token, another lab’s lab id and a malformed request, enrolling nobody', async () => {
    const count = await devices();
    for (const [labId, body] of [
      [lab.labId, { token: randomBytes(32).toString('base64url'), deviceName: 'Thief' }],
      [other.labId, { token, deviceName: 'Thief' }],
      [lab.labId, { token, deviceName: '' }],
      [lab.labId, { token }],
    ] as const) {
      const reply = await recover(labId, body);
      expect([400, 403]).toContain(reply.status);
      expect(reply.body.error).toEqual(expect.any(String));
    }
    expect(await devices()).toBe(count);
  });

  it('enrols a new device with its own credential and hands over the grants, which the server cannot open', async () => {
    const reply = await recover(lab.labId, { token, deviceName: 'Replacement tablet' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ publicKey: key, grants: [{ epoch: '1', grant: 'sealed-grant' }, { epoch: '2-0a1b2c3d', grant: 'epoch-two' }] });
    const credential = reply.body.credential as string;
    expect((await call(server.url, 'GET', `/api/labs/${lab.labId}/events?after=0`, { token: credential })).status).toBe(200);
    expect((await call(server.url, 'GET', `/api/labs/${other.labId}/events?after=0`, { token: credential })).status).toBe(403);
  });

  it('is rate-limited like set-up codes', async () => {
    const limited = await startServer(store, { rateLimits: { setup: { max: 2, timeWindow: 60_000 } } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call(limited.url, 'POST', `/api/labs/${lab.labId}/recover`, { body: { token: randomBytes(32).toString('base64url'), deviceName: 'Guess' } })).status);
      expect(statuses).toEqual([403, 403, 429, 429]);
    } finally {
      await limited.close();
    }
  });
});
