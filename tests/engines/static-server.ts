// A tiny static server over the built app (dist/), standing in for `vite preview`
// so a test can stop it (every open connection dropped, as when the network goes)
// and start it again on the same port. Like the preview it serves files as built,
// falls back to index.html for app routes, and adds no headers the app relies on:
// the Content Security Policy is a meta tag in index.html, and the service worker
// (sw.js) is served as JavaScript from the root so its scope is the whole app.
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticServer = {
  readonly origin: string;
  readonly port: number;
  /** Requests served since start (paths), for a test to look at. */
  readonly requests: string[];
  /** Stops listening and drops every open connection. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
};

export async function serveDist(root: string, port = 0): Promise<StaticServer> {
  const base = resolve(root);
  const requests: string[] = [];
  let server: Server | null = null;
  let boundPort = port;

  const handler: Parameters<typeof createServer>[1] = async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) {
      res.writeHead(403).end();
      return;
    }
    let target = file;
    const info = await stat(target).catch(() => null);
    if (!info?.isFile()) {
      // App routes (no file extension) get the app shell, as with `vite preview`.
      if (extname(path) !== '' && path !== '/') {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      target = join(base, 'index.html');
    }
    try {
      const body = await readFile(target);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(500).end();
    }
  };

  const start = () =>
    new Promise<void>((resolveStart, reject) => {
      const s = createServer(handler);
      s.once('error', reject);
      s.listen(boundPort, '127.0.0.1', () => {
        boundPort = (s.address() as AddressInfo).port;
        server = s;
        resolveStart();
      });
    });

  const stop = () =>
    new Promise<void>((resolveStop) => {
      const s = server;
      server = null;
      if (!s) return resolveStop();
      s.close(() => resolveStop());
      s.closeAllConnections();
    });

  await start();
  return {
    get origin() {
      return `http://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    requests,
    stop,
    start,
  };
}
