// Model files' chunks on the server: stored once, resumable, and only for the lab's devices.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { call, setupLab, startServer, type Lab, type TestServer } from './support/server';
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

const file: string = randomUUID();
const sealed = (bytes: number) => randomBytes(bytes).toString('base64');
/** As `as`'s device, on `lab`'s files. */
const put = (as: Lab, idx: number | string, chunk: unknown, f: string = file) => call(server.url, 'PUT', `/api/labs/${lab.labId}/files/${f}/chunks/${idx}`, { token: as.credential, body: { chunk } });
const get = (as: Lab, path: string) => call(server.url, 'GET', `/api/labs/${lab.labId}/files/${path}`, { token: as.credential });

describe('file chunks', () => {
  const first = sealed(1024 * 1024 + 28);
  const second = sealed(5000);

  it('are stored as sent, listed for a resumed upload, and read back', async () => {
    expect((await put(lab, 0, first)).status).toBe(200);
    expect((await get(lab, file)).body).toEqual({ chunks: [0] });
    expect((await put(lab, 1, second)).status).toBe(200);
    expect((await get(lab, file)).body).toEqual({ chunks: [0, 1] });
    expect((await get(lab, `${file}/chunks/1`)).body).toEqual({ chunk: second });
    expect((await get(lab, `${file}/chunks/0`)).body.chunk).toBe(first);
  });

  it('a retry with the same bytes changes nothing; other bytes for a stored chunk are refused', async () => {
    expect((await put(lab, 1, second)).status).toBe(200);
    const swapped = await put(lab, 1, sealed(5000));
    expect(swapped.status).toBe(409);
    expect(swapped.body.error).toBe('This chunk of the file is already stored with other bytes: nothing was changed.');
    expect((await get(lab, `${file}/chunks/1`)).body).toEqual({ chunk: second });
  });

  it('refuses what is not a sealed chunk, or too large, with a sentence, storing nothing', async () => {
    for (const chunk of ['not base64!', 'AAAA', sealed(1024 * 1024 + 29), 42]) {
      const reply = await put(lab, 7, chunk);
      expect([400, 413]).toContain(reply.status);
      expect(reply.body.error).toEqual(expect.any(String));
    }
    for (const idx of ['-1', 'x', '4096']) expect((await put(lab, idx, second)).status).toBe(404);
    expect((await put(lab, 0, second, 'not-a-uuid')).status).toBe(404);
    expect((await get(lab, file)).body).toEqual({ chunks: [0, 1] });
    expect((await get(lab, `${file}/chunks/5`)).status).toBe(404);
  });

  it('belong to their lab only: another lab’s device, or none, gets nothing and writes nothing', async () => {
    expect((await get(other, file)).status).toBe(403);
    expect((await put(other, 2, second)).status).toBe(403);
    expect((await call(server.url, 'GET', `/api/labs/${lab.labId}/files/${file}/chunks/0`, {})).status).toBe(401);
    // Under its own lab id, the same file id is another lab's (empty) file.
    expect((await call(server.url, 'GET', `/api/labs/${other.labId}/files/${file}`, { token: other.credential })).body).toEqual({ chunks: [] });
  });
});
