// What the server keeps and logs: ciphertext and routing metadata only. A planted secret,
// encrypted on the "device" with a key the server never sees, must not appear in a dump of
// the database (pg_dump on PostgreSQL, every row of every table on PGlite) in any encoding,
// nor anything derived from it, nor any credential; and the logs carry no bodies or secrets.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { issueSetupCode } from '../../server/routes/setup';
import { call, makeEvent, publicKey, startServer, type Lab, type TestServer } from './support/server';
import { resetStore } from './support/store';

let store: Store;
let server: TestServer;
beforeAll(async () => {
  store = await resetStore();
  server = await startServer(store);
});
afterAll(() => server.close());

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest();

async function dumpDatabase(): Promise<string> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const dump = spawnSync('pg_dump', ['--no-owner', '--dbname', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
    return dump.stdout;
  }
  const tables = await store.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await store.query<{ row: string }>(`SELECT to_jsonb(t)::text AS row FROM ${table_name} t`);
    parts.push(`-- ${table_name}`, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

/** Every way a value might be written down in a dump. */
const encodings = (bytes: Buffer) => [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url').slice(0, 40)];

describe('what the server stores and logs', () => {
  it('keeps no plaintext, nothing derived from an envelope but its size, and no credential', async () => {
    const setupCode = await issueSetupCode(store);
    const setup = await call<Lab>(server.url, 'POST', '/api/setup', { body: { code: setupCode, deviceName: 'Bench tablet', publicKey: publicKey() } });
    const lab = setup.body;

    // The device side: a secret sealed with AES-GCM under a key only devices hold.
    const secret = `MRN 4815162342 Żółć, Jane ${randomBytes(6).toString('hex')}`;
    const key = await webcrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
    const iv = randomBytes(12);
    const sealed = new Uint8Array(await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(secret)));
    const envelopeBytes = Buffer.concat([iv, sealed]);
    // The first entry of a case's chain: the chain is the case's random id, the hash the entry's own.
    const caseId = randomUUID();
    const entryHash = randomBytes(32).toString('hex');
    const event = makeEvent({ envelope: envelopeBytes.toString('base64'), size: envelopeBytes.length, chain: caseId, hash: entryHash, parents: ['0'.repeat(64)] });
    const pushed = await call(server.url, 'POST', `/api/labs/${lab.labId}/events`, { token: lab.credential, body: { events: [event] } });
    expect(pushed.status).toBe(200);

    const asked = await call<{ enrolmentId: string; collectToken: string }>(server.url, 'POST', `/api/labs/${lab.labId}/enrolments`, {
      body: { deviceName: 'New tablet', publicKey: publicKey() },
    });

    const dump = (await dumpDatabase()).toLowerCase();
    const rawKey = Buffer.from(await webcrypto.subtle.exportKey('raw', key));
    const plaintext = Buffer.from(secret, 'utf8');
    const forbidden = [
      secret.toLowerCase(),
      '4815162342',
      ...encodings(plaintext),
      ...encodings(sha256(plaintext)),
      ...encodings(sha256(envelopeBytes)),
      ...encodings(sha256(event.envelope)),
      envelopeBytes.toString('hex'),
      ...encodings(rawKey),
      lab.credential,
      asked.body.collectToken,
      setupCode,
      setupCode.replace(/-/g, ''),
    ].map((needle) => needle.toLowerCase());
    for (const needle of forbidden) expect(dump.includes(needle), `the dump contains ${needle}`).toBe(false);

    // The dump does hold the data (so the search above could find things): the ciphertext, once.
    const stored = event.envelope.toLowerCase();
    expect(dump.split(stored).length - 1).toBe(1);

    // The event row is exactly what was pushed plus routing metadata.
    const rows = await store.query('SELECT * FROM events WHERE event_id = $1', [event.eventId]);
    const row = rows[0]!;
    expect(Object.keys(row).sort()).toEqual(
      ['chain', 'device_id', 'device_seq', 'envelope', 'event_id', 'hash', 'hlc', 'lab_id', 'parents', 'received_at', 'server_seq', 'sig', 'size'].sort(),
    );
    expect({ chain: row.chain, hash: row.hash }).toEqual({ chain: caseId, hash: entryHash });
    expect(await store.query('SELECT chain, head FROM chain_heads WHERE lab_id = $1', [lab.labId])).toEqual([{ chain: caseId, head: entryHash }]);
    expect(row.envelope).toBe(event.envelope);
    expect(Number(row.size)).toBe(envelopeBytes.length);
    expect({ hlc: row.hlc, sig: row.sig, parents: row.parents, deviceSeq: Number(row.device_seq) }).toEqual({
      hlc: event.hlc,
      sig: event.sig,
      parents: event.parents,
      deviceSeq: event.deviceSeq,
    });

    // Logs: one JSON line per request with method, route pattern, status, time and device; no secrets, bodies or ids from paths.
    const logs = server.logs.join('\n');
    for (const needle of [lab.credential, asked.body.collectToken, setupCode, event.envelope, event.sig, 'bearer', 'authorization', lab.labId]) {
      expect(logs.toLowerCase().includes(needle.toLowerCase()), `the log contains ${needle}`).toBe(false);
    }
    const requests = server.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'request');
    expect(requests).toContainEqual(
      expect.objectContaining({ method: 'POST', route: '/api/labs/:lab/events', status: 200, device: lab.deviceId, ms: expect.any(Number) }),
    );
    expect(requests).toContainEqual(expect.objectContaining({ method: 'POST', route: '/api/setup', status: 201 }));
  });

  it('logs a failure the same way, answers it with a sentence, and changes nothing', async () => {
    const broken: Store = {
      ...store,
      query: async (sql, params) => {
        if (sql.includes('FROM events e WHERE lab_id')) throw new Error('connection to the database was lost');
        return store.query(sql, params);
      },
    };
    const failing = await startServer(broken);
    try {
      const code = await issueSetupCode(store);
      const lab = (await call<Lab>(failing.url, 'POST', '/api/setup', { body: { code, deviceName: 'x', publicKey: 'k' } })).body;
      const reply = await call(failing.url, 'GET', `/api/labs/${lab.labId}/events?after=0`, { token: lab.credential });
      expect(reply).toMatchObject({ status: 500, body: { error: 'The server could not handle this request; the error has been logged.' } });
      const lines = failing.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
      const error = lines.find((line) => line.msg === 'request failed');
      expect(error).toMatchObject({
        level: 50,
        method: 'GET',
        route: '/api/labs/:lab/events',
        device: lab.deviceId,
        err: expect.objectContaining({ message: 'connection to the database was lost' }),
      });
      expect(failing.logs.join('\n')).not.toContain(lab.credential);
    } finally {
      await failing.close();
    }
  });
});
