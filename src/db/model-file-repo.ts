// Model and guide files: the bytes sealed in chunks (crypto/file-cipher.ts), written in
// the same transaction as the command that puts the file's reference on the case, so a
// case never names a file this device wrote only half of. Loaded when a file is attached
// or opened, not with the case page.
import type { Case } from '../domain/case';
import type { CaseId, DeliverableId } from '../domain/ids';
import { modelFileFormat, type FileStage, type ModelFileRef } from '../domain/model-files';
import { openFile, sealFile, type SealedChunk } from '../crypto/file-cipher';
import type { DataKey } from '../crypto/key-ring';
import { commit } from './case-commands';
import { db, type FileChunkRow } from './database';
import { chunksHere, readSealedChunks } from './file-chunk-reader';
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
  const { have, of } = await chunksHere(ref);
  if (have === of) return { state: 'here' };
  const problem = (await db.fileTransfers.get(ref.id))?.problem;
  return { state: 'arriving', have, of, ...(problem ? { problem } : {}) };
}

export type OpenedFile = { state: 'here'; bytes: Uint8Array<ArrayBuffer> } | { state: 'arriving'; have: number; of: number };

/** The file's plain bytes, checked against its SHA-256; or how much of it has arrived. Throws DecryptionError for a damaged file. */
export async function readModelFile(ref: Pick<ModelFileRef, 'id' | 'size' | 'sha256'>): Promise<OpenedFile> {
  const { dataKey } = requireUnlock();
  const chunks: SealedChunk[] = [];
  const read = await readSealedChunks(ref, (batch) => chunks.push(...batch));
  if (read.state === 'arriving') return read;
  return { state: 'here', bytes: await openFile(chunks, dataKey, ref.id, ref) };
}

/**
 * For the 3D view's worker, which reads, opens and checks the chunks itself (mesh-parse.ts
 * meshOpener): the key that opens them, once every chunk is here. Chromium's Web Crypto
 * decrypts on the calling thread, and 50 MB opened on the page was one task of half a second.
 */
export async function modelFileKey(ref: Pick<ModelFileRef, 'id' | 'size'>): Promise<{ state: 'here'; key: DataKey } | { state: 'arriving'; have: number; of: number }> {
  const { dataKey } = requireUnlock();
  const here = await fileAvailability(ref);
  return here.state === 'arriving' ? here : { state: 'here', key: dataKey };
}
