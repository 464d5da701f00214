// Reads a model file's sealed chunks, a few at a time. Also runs in the 3D view's worker
// (features/model-files/mesh-worker.ts), which reads the chunks itself: turning stored rows
// back into bytes is work on the reading thread, and 50 MB of it on the page made it stutter.
import type { ModelFileRef } from '../domain/model-files';
import { chunkCount, type SealedChunk } from '../crypto/file-cipher';
import { db } from './database';

const READ_BATCH = 4;

export type ChunksHere = { state: 'here' } | { state: 'arriving'; have: number; of: number };

/** How many of the file's chunks are on this device, of how many it has. */
export async function chunksHere(ref: Pick<ModelFileRef, 'id' | 'size'>): Promise<{ have: number; of: number }> {
  const of = chunkCount(ref.size);
  return { have: await db.fileChunks.where('[fileId+index]').between([ref.id, 0], [ref.id, of], true, false).count(), of };
}

/** Hands `batch` every chunk of the file in order, still sealed, `READ_BATCH` at a time; or says how much has arrived, handing nothing. */
export async function readSealedChunks(ref: Pick<ModelFileRef, 'id' | 'size'>, batch: (chunks: SealedChunk[], from: number) => void): Promise<ChunksHere> {
  const { have, of } = await chunksHere(ref);
  if (have < of) return { state: 'arriving', have, of };
  for (let i = 0; i < of; i += READ_BATCH) {
    const rows = await db.fileChunks.where('[fileId+index]').between([ref.id, i], [ref.id, Math.min(of, i + READ_BATCH)], true, false).toArray();
    batch(rows.map(({ v, iv, ct, k }): SealedChunk => ({ v, iv, ct, ...(k === undefined ? {} : { k }) })), i);
  }
  return { state: 'here' };
}
