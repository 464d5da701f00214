// Encryption of model files at rest: the file's bytes are cut into chunks of 1 MiB, each
// sealed with the data key (AES-GCM-256, a fresh 96-bit IV) with the file id and the
// chunk's index as associated data, so a chunk moved to another file or another place in
// the same file fails to open. Each chunk stands alone, so chunks can be stored, sent and
// resumed one by one. Sealed with a key ring (crypto/key-ring.ts), a chunk names its key
// epoch (`k`) unless it is the first, as sealed fields do. What a chunk cannot show by itself (a chunk missing, or the last
// ones cut off) the SHA-256 of the whole plain file shows: it is checked after opening.
import { base64ToBytes, bytesToBase64, utf8Encode } from './encoding';
import { DecryptionError, isOperationError, MalformedDataError } from './errors';
import { compareEpochs, FIRST_EPOCH, isKeyRing, keysFor, ringOf, withFirstKey, type DataKey } from './key-ring';
import { GCM_IV_BYTES, randomBytes, subtle } from './runtime';

export const FILE_CHUNK_BYTES = 1024 * 1024;

/** One sealed chunk as stored: its IV and ciphertext+tag. */
export type SealedChunk = { v: 1; iv: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer>; k?: string };

const chunkAad = (fileId: string, index: number) => utf8Encode(`printpath/v1/file-chunk\u0000${fileId}\u0000${index}`);

export const chunkCount = (size: number) => Math.max(1, Math.ceil(size / FILE_CHUNK_BYTES));

export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sealChunk(plain: Uint8Array<ArrayBuffer>, keys: DataKey, fileId: string, index: number): Promise<SealedChunk> {
  const [key, epoch] = isKeyRing(keys) ? [keys.key, keys.epoch] : [keys, FIRST_EPOCH];
  const iv = randomBytes(GCM_IV_BYTES);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: chunkAad(fileId, index) }, key, plain);
  return { v: 1, iv, ct: new Uint8Array(ct), ...(epoch === FIRST_EPOCH ? {} : { k: epoch }) };
}

export async function openChunk(sealed: SealedChunk, keys: DataKey, fileId: string, index: number): Promise<Uint8Array<ArrayBuffer>> {
  if (sealed.v !== 1 || sealed.iv.length !== GCM_IV_BYTES) throw new MalformedDataError('Not a sealed file chunk.');
  const candidates = keysFor(keys, sealed.k);
  if (candidates.length === 0) throw new DecryptionError({ cause: new Error(`Sealed under key epoch ${sealed.k ?? FIRST_EPOCH}, which this device has not received.`) });
  try {
    return new Uint8Array(await withFirstKey(candidates, (key) => subtle().decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: chunkAad(fileId, index) }, key, sealed.ct)));
  } catch (cause) {
    if (isOperationError(cause)) throw new DecryptionError({ cause });
    throw cause;
  }
}

/**
 * A chunk as it travels to and from the lab server (domain/sync-wire.ts): IV ‖ ciphertext,
 * base64, exactly the bytes stored (never opened and sealed again to be sent). Like an
 * envelope it names no key epoch (that would tell the server which files came after a revocation).
 */
export function chunkToWire(sealed: SealedChunk): string {
  const bytes = new Uint8Array(sealed.iv.length + sealed.ct.length);
  bytes.set(sealed.iv);
  bytes.set(sealed.ct, sealed.iv.length);
  return bytesToBase64(bytes);
}

/**
 * A chunk from the lab server, as it is kept only once it opens as this file's chunk at this
 * index under a key of the ring (newest first). Throws DecryptionError or MalformedDataError.
 */
export async function chunkFromWire(text: string, keys: DataKey, fileId: string, index: number): Promise<SealedChunk> {
  const bytes = base64ToBytes(text);
  if (bytes.length < GCM_IV_BYTES + 16) throw new MalformedDataError('Not a sealed file chunk.');
  const iv = bytes.slice(0, GCM_IV_BYTES);
  const ct = bytes.slice(GCM_IV_BYTES);
  const ring = ringOf(keys);
  for (const epoch of [...ring.keys.keys()].sort((a, b) => compareEpochs(b, a))) {
    const sealed: SealedChunk = { v: 1, iv, ct, ...(epoch === FIRST_EPOCH ? {} : { k: epoch }) };
    const opened = await openChunk(sealed, ring, fileId, index).then(() => true, (e: unknown) => {
      if (e instanceof DecryptionError) return false;
      throw e;
    });
    if (opened) return sealed;
  }
  throw new DecryptionError();
}

/** Seals a whole file: its chunks in order, and the SHA-256 of its plain bytes. */
export async function sealFile(bytes: Uint8Array<ArrayBuffer>, keys: DataKey, fileId: string): Promise<{ sha256: string; chunks: SealedChunk[] }> {
  const chunks: SealedChunk[] = [];
  for (let i = 0; i < chunkCount(bytes.length); i++) {
    chunks.push(await sealChunk(bytes.subarray(i * FILE_CHUNK_BYTES, (i + 1) * FILE_CHUNK_BYTES), keys, fileId, i));
  }
  return { sha256: await sha256Hex(bytes), chunks };
}

/** Opens a whole file from all its chunks and checks it is exactly the file that was signed. */
export async function openFile(chunks: readonly SealedChunk[], keys: DataKey, fileId: string, expected: { size: number; sha256: string }): Promise<Uint8Array<ArrayBuffer>> {
  const out = await openChunks(chunks, keys, fileId, expected.size);
  if ((await sha256Hex(out)) !== expected.sha256) throw new DecryptionError();
  return out;
}

/**
 * Opens all of a file's chunks, in place and complete, WITHOUT checking the whole file's
 * SHA-256: for a caller that checks it elsewhere (the 3D view hashes in its worker, off the
 * page's thread: 100 MB hashed on the page is a long task).
 */
export async function openChunks(chunks: readonly SealedChunk[], keys: DataKey, fileId: string, size: number): Promise<Uint8Array<ArrayBuffer>> {
  if (chunks.length !== chunkCount(size)) throw new DecryptionError();
  const out = new Uint8Array(size);
  let at = 0;
  for (const [i, chunk] of chunks.entries()) {
    const plain = await openChunk(chunk, keys, fileId, i);
    if (at + plain.length > out.length) throw new DecryptionError();
    out.set(plain, at);
    at += plain.length;
  }
  if (at !== size) throw new DecryptionError();
  return out;
}
