// Model and guide files, a chunk at a time, so an upload or download cut off resumes where it
// stopped: a device asks which chunks the server holds, sends the others; a device that
// lacks a file fetches its chunks one by one. A chunk is stored once: the same bytes again
// change nothing (a retry), other bytes for a stored chunk are refused (409).
import { base64ByteLength, chunkIndexSchema, fileChunkSchema, uuidSchema } from '../../src/domain/sync-wire';
import { authenticate, perDevice } from '../auth';
import { conflict, notFound, parseOr400 } from '../http-errors';
import type { RouteContext } from './context';

const MAX_CHUNK_BODY_BYTES = 2 * 1024 * 1024;

function params(raw: unknown): { file: string; idx?: number } {
  const p = raw as { file?: unknown; idx?: unknown };
  const file = uuidSchema.safeParse(p.file);
  if (!file.success) throw notFound('There is no such file in this lab.');
  if (p.idx === undefined) return { file: file.data };
  const idx = chunkIndexSchema.safeParse(p.idx);
  if (!idx.success) throw notFound('There is no such chunk of this file.');
  return { file: file.data, idx: idx.data };
}

export function fileRoutes({ app, store, limits }: RouteContext): void {
  app.get('/api/labs/:lab/files/:file', async (request) => {
    const device = await authenticate(store, request);
    const { file } = params(request.params);
    const rows = await store.query<{ idx: number }>('SELECT idx FROM file_chunks WHERE lab_id = $1 AND file_id = $2 ORDER BY idx', [device.labId, file]);
    return { chunks: rows.map((r) => Number(r.idx)) };
  });

  app.put(
    '/api/labs/:lab/files/:file/chunks/:idx',
    {
      bodyLimit: MAX_CHUNK_BODY_BYTES,
      config: { rateLimit: perDevice(limits.push) },
    },
    async (request) => {
      const device = await authenticate(store, request);
      const { file, idx } = params(request.params);
      const { chunk } = parseOr400(fileChunkSchema, request.body);
      const inserted = await store.query(
        `INSERT INTO file_chunks (lab_id, file_id, idx, chunk, size, device_id) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (lab_id, file_id, idx) DO NOTHING RETURNING idx`,
        [device.labId, file, idx, chunk, base64ByteLength(chunk), device.id],
      );
      if (inserted.length === 0) {
        const stored = await store.query<{ chunk: string }>('SELECT chunk FROM file_chunks WHERE lab_id = $1 AND file_id = $2 AND idx = $3', [device.labId, file, idx]);
        if (stored[0]?.chunk !== chunk) throw conflict('This chunk of the file is already stored with other bytes: nothing was changed.');
      }
      return { file, idx };
    },
  );

  app.get('/api/labs/:lab/files/:file/chunks/:idx', async (request) => {
    const device = await authenticate(store, request);
    const { file, idx } = params(request.params);
    const rows = await store.query<{ chunk: string }>('SELECT chunk FROM file_chunks WHERE lab_id = $1 AND file_id = $2 AND idx = $3', [device.labId, file, idx]);
    if (!rows[0]) throw notFound('The server does not hold this chunk of the file yet.');
    return { chunk: rows[0].chunk };
  });
}
