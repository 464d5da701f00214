// Model and guide files: the bytes sealed in chunks (crypto/file-cipher.ts), written in
// the same transaction as the command that puts the file's reference on the case, so a
// case never names a file this device wrote only half of. Loaded when a file is attached
// or opened, not with the case page.
import type { Case } from '../domain/case';
import type { CaseId, DeliverableId } from '../domain/ids';
import { modelFileFormat, type FileStage, type ModelFileRef } from '../domain/model-files';
import { chunkCount, openFile, sealFile, type SealedChunk } from '../crypto/file-cipher';
import type { DataKey } from '../crypto/key-ring';
import { commit } from './case-commands';
import { db, type FileChunkRow } from './database';
import { CommandRefused } from './errors';
import { requireUnlock } from './vault';

export type AttachRequest = { deliverableId: DeliverableId; stage: FileStage; file: Blob & { name: string }; replaces?: string };

/** Seals the file, then attaches (or replaces) it on the case with its chunks, atomically. */
export async function attachModelFile(caseId: CaseId, req: AttachRequest, now: string = new Date().toISOString()): Promise<Case> {
  const { dataKey } = requireUnlock();
  const format = modelFileFormat(req.file.name);
  if (!format) throw new CommandRefused('Attach an STL or OBJ file');
  const id = crypto.randomUUID();
  const bytes = new Uint8Array(await req.file.arrayBuffer());
  const { sha256, chunks } = await sealFile(bytes, dataKey, id);
  const rows: FileChunkRow[] = chunks.map((chunk, index) => ({ ...chunk, fileId: id, index, caseId }));
  return commit(caseId, () => ({
    command: {
      type: 'attachFile',
      stage: req.stage,
      file: { id, deliverableId: req.deliverableId, name: req.file.name, size: bytes.length, sha256, format },
      ...(req.replaces ? { replaces: req.replaces } : {}),
    },
    fileChunks: rows,
  }), now);
}

/** `problem`: why it stopped coming from the lab server (sync/file-transfer.ts), if it did. */
export type FileAvailability = { state: 'here' } | { state: 'arriving'; have: number; of: number; problem?: string };

/** Whether all of a file's chunks are on this device (without opening them). */
export async function fileAvailability(ref: Pick<ModelFileRef, 'id' | 'size'>): Promise<FileAvailability> {
  const of = chunkCount(ref.size);
  const have = await db.fileChunks.where('[fileId+index]').between([ref.id, 0], [ref.id, of], true, false).count();
  if (have === of) return { state: 'here' };
  const problem = (await db.fileTransfers.get(ref.id))?.problem;
  return { state: 'arriving', have, of, ...(problem ? { problem } : {}) };
}

const READ_BATCH = 4;

export type OpenedFile = { state: 'here'; bytes: Uint8Array<ArrayBuffer> } | { state: 'arriving'; have: number; of: number };

/** The file's plain bytes, checked against its SHA-256; or how much of it has arrived. Throws DecryptionError for a damaged file. */
export async function readModelFile(ref: Pick<ModelFileRef, 'id' | 'size' | 'sha256'>): Promise<OpenedFile> {
  const { dataKey } = requireUnlock();
  const sealed = await readSealedChunks(ref);
  if (sealed.state === 'arriving') return sealed;
  return { state: 'here', bytes: await openFile(sealed.chunks, dataKey, ref.id, ref) };
}

export type SealedBatch = { chunks: SealedChunk[]; from: number; key: DataKey };

/**
 * Hands the file's chunks still sealed, a few at a time as they are read, with the key that
 * opens them, to `batch`: for a worker to open and check (the 3D view's: mesh-parse.ts
 * meshOpener, then the whole file's SHA-256). Chromium's Web Crypto decrypts on the calling
 * thread, and 50 MB opened on the page was one task of half a second. Or how much of it has
 * arrived, handing nothing.
 */
export async function readSealedModelFile(ref: Pick<ModelFileRef, 'id' | 'size'>, batch: (b: SealedBatch) => void): Promise<{ state: 'here' } | { state: 'arriving'; have: number; of: number }> {
  const { dataKey } = requireUnlock();
  const sealed = await readSealedChunks(ref, (chunks, from) => batch({ chunks, from, key: dataKey }));
  return sealed.state === 'arriving' ? sealed : { state: 'here' };
}

async function readSealedChunks(ref: Pick<ModelFileRef, 'id' | 'size'>, batch?: (chunks: SealedChunk[], from: number) => void): Promise<{ state: 'here'; chunks: SealedChunk[] } | { state: 'arriving'; have: number; of: number }> {
  const of = chunkCount(ref.size);
  const have = await db.fileChunks.where('[fileId+index]').between([ref.id, 0], [ref.id, of], true, false).count();
  if (have < of) return { state: 'arriving', have, of };
  // A few chunks per read: the page turns stored rows back into bytes on its own thread, and 100 MB at once is a long task.
  const chunks: SealedChunk[] = [];
  for (let i = 0; i < of; i += READ_BATCH) {
    const rows = await db.fileChunks.where('[fileId+index]').between([ref.id, i], [ref.id, Math.min(of, i + READ_BATCH)], true, false).toArray();
    const read = rows.map(({ v, iv, ct, k }): SealedChunk => ({ v, iv, ct, ...(k === undefined ? {} : { k }) }));
    if (batch) batch(read, i);
    else chunks.push(...read);
  }
  return { state: 'here', chunks };
}
