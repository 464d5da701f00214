import { describe, expect, it } from 'vitest';
import { newDataKey } from '../../src/crypto/data-key';
import { DecryptionError } from '../../src/crypto/errors';
import { chunkCount, FILE_CHUNK_BYTES, openChunk, openFile, sealFile, sha256Hex } from '../../src/crypto/file-cipher';

const bytesOf = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff);

describe('model files sealed in chunks', () => {
  it('round-trips a file of 2.5 chunks, each chunk sealed under its own IV', async () => {
    const key = await newDataKey();
    const plain = bytesOf(FILE_CHUNK_BYTES * 2 + FILE_CHUNK_BYTES / 2);
    const { sha256, chunks } = await sealFile(plain, key, 'file-1');
    expect(chunks).toHaveLength(3);
    expect(chunkCount(plain.length)).toBe(3);
    expect(sha256).toBe(await sha256Hex(plain));
    expect(new Set(chunks.map((c) => c.iv.join())).size).toBe(3);
    expect(Buffer.from(chunks[0]!.ct).includes(Buffer.from(plain.subarray(0, 64)))).toBe(false);
    expect(Buffer.from(await openFile(chunks, key, 'file-1', { size: plain.length, sha256 })).equals(Buffer.from(plain))).toBe(true);
  });

  it('a changed byte, a chunk moved to another place or file, a chunk missing, or the wrong key: refused', async () => {
    const key = await newDataKey();
    const plain = bytesOf(FILE_CHUNK_BYTES * 2 + 10);
    const { sha256, chunks } = await sealFile(plain, key, 'file-1');
    const expected = { size: plain.length, sha256 };
    const flipped = chunks.map((c, i) => (i === 1 ? { ...c, ct: c.ct.map((b, j) => (j === 5 ? b ^ 1 : b)) } : c));
    await expect(openFile(flipped, key, 'file-1', expected)).rejects.toThrow(DecryptionError);
    await expect(openFile([chunks[1]!, chunks[0]!, chunks[2]!], key, 'file-1', expected)).rejects.toThrow(DecryptionError);
    await expect(openChunk(chunks[0]!, key, 'file-2', 0)).rejects.toThrow(DecryptionError);
    await expect(openFile(chunks.slice(0, 2), key, 'file-1', expected)).rejects.toThrow(DecryptionError);
    await expect(openFile(chunks, await newDataKey(), 'file-1', expected)).rejects.toThrow(DecryptionError);
    // Every chunk opens, but they are not the file that was signed.
    await expect(openFile(chunks, key, 'file-1', { ...expected, sha256: '0'.repeat(64) })).rejects.toThrow(DecryptionError);
  });
});
