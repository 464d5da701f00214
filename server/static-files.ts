// Serves the built app (dist/) as docs/deploy.md section 3 asks: files as they are, hashed
// /assets/ cached for good and a 404 when missing, everything else revalidated, and any
// other path answered with index.html so the router takes over (SPA fallback).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

type Found = { path: string; size: number; mtimeMs: number };

async function fileAt(path: string): Promise<Found | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size, mtimeMs: info.mtimeMs } : null;
  } catch {
    return null;
  }
}

export function staticHandler(distDir: string) {
  const root = resolve(distDir);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    } catch {
      return reply.code(400).type('text/plain; charset=utf-8').send('This address is not valid.');
    }
    if (pathname.startsWith('/api/') || pathname === '/api') {
      return reply.code(404).send({ error: 'There is no such API route.' });
    }
    const isAsset = pathname.startsWith('/assets/');
    const candidate = resolve(join(root, pathname));
    const inside = candidate === root || candidate.startsWith(root + sep);
    let found = inside && !pathname.includes('\0') ? await fileAt(candidate) : null;
    if (!found && isAsset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    if (!found) found = await fileAt(join(root, 'index.html'));
    if (!found) return reply.code(404).type('text/plain; charset=utf-8').send('The app has not been built: run `npm run build`.');

    const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
    reply.header('cache-control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    reply.type(TYPES[extname(found.path).toLowerCase()] ?? 'application/octet-stream');
    reply.header('content-length', found.size);
    return reply.send(createReadStream(found.path));
  };
}
