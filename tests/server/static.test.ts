// The server hands out the built app as docs/deploy.md asks, with its security headers.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY as SERVER_CSP, SECURITY_HEADERS } from '../../server/security-headers';
import { CONTENT_SECURITY_POLICY as APP_CSP } from '../../vite.config';
import { startServer, type TestServer } from './support/server';
import { resetStore } from './support/store';

let server: TestServer;
beforeAll(async () => {
  const dist = mkdtempSync(join(process.env.PRINTPATH_TEST_TMP ?? tmpdir(), 'printpath-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Printpath</title>');
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(dist, 'manifest.webmanifest'), '{"name":"Printpath"}');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1);');
  writeFileSync(join(dist, 'assets', 'font-x.woff2'), Buffer.from([1, 2, 3]));
  writeFileSync(join(process.env.PRINTPATH_TEST_TMP ?? tmpdir(), 'printpath-secret.txt'), 'outside the app');
  server = await startServer(await resetStore(), { distDir: dist });
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });

describe('serving the app', () => {
  it('uses the app’s Content Security Policy plus frame-ancestors', () => {
    expect(SERVER_CSP).toBe(`${APP_CSP}; frame-ancestors 'none'`);
  });

  it('serves files with their type, caches hashed assets for good and revalidates the rest', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('<title>Printpath</title>');

    const asset = await get('/assets/index-abc123.js');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    const manifest = await get('/manifest.webmanifest');
    expect(manifest.headers.get('content-type')).toBe('application/manifest+json');
    expect(manifest.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/sw.js')).headers.get('cache-control')).toBe('no-cache');
    expect((await get('/assets/font-x.woff2')).headers.get('content-type')).toBe('font/woff2');

    const etag = index.headers.get('etag')!;
    expect((await get('/', { 'if-none-match': etag })).status).toBe(304);
  });

  it('answers deep links with index.html, a missing asset with 404, an unknown API path with JSON 404', async () => {
    const deep = await get('/cases/123');
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<title>Printpath</title>');
    const missing = await get('/assets/gone-999.js');
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<title>');
    const api = await get('/api/nothing');
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: 'There is no such API route.' });
  });

  it('never serves a file outside the app folder', async () => {
    for (const path of ['/../printpath-secret.txt', '/%2e%2e/printpath-secret.txt', '/assets/..%2f..%2fprintpath-secret.txt']) {
      const reply = await get(path);
      expect(await reply.text()).not.toContain('outside the app');
    }
  });

  it('sends the security headers on pages and on the API, and no-store on the API', async () => {
    for (const path of ['/', '/cases/1', '/assets/index-abc123.js', '/api/health', '/api/labs/x/events']) {
      const reply = await get(path);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(reply.headers.get(name), `${name} on ${path}`).toBe(value);
    }
    expect((await get('/api/health')).headers.get('cache-control')).toBe('no-store');
  });
});
