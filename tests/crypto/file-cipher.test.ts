import { describe, expect, it } from 'vitest';
import { newDataKey } from '../../src/crypto/data-key';
import { DecryptionError } from '../../src/crypto/errors';
import { chunkCount, chunkFromWire, chunkToWire, FILE_CHUNK_BYTES, openChunk, openFile, sealChunk, sealFile, sha256Hex } from '../../src/crypto/file-cipher';
import { keyRing } from '../../src/crypto/key-ring';

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

  it('travels as IV and ciphertext, naming no key epoch; it comes back with its epoch once it opens for its file and place, else not at all', async () => {
    const first = await newDataKey();
    const before = keyRing([['1', first]]);
    const ring = keyRing([['1', first], ['2-abcdef01', await newDataKey()]]);
    const plain = bytesOf(5000);
    for (const [keys, epoch] of [[before, undefined], [ring, '2-abcdef01']] as const) {
      const sealed = await sealChunk(plain, keys, 'file-1', 3);
      const wire = chunkToWire(sealed);
      expect(Buffer.from(wire, 'base64').equals(Buffer.concat([sealed.iv, sealed.ct]))).toBe(true);
      const back = await chunkFromWire(wire, ring, 'file-1', 3);
      expect(back).toEqual({ v: 1, iv: sealed.iv, ct: sealed.ct, ...(epoch ? { k: epoch } : {}) });
      expect(Buffer.from(await openChunk(back, ring, 'file-1', 3)).equals(Buffer.from(plain))).toBe(true);
      await expect(chunkFromWire(wire, ring, 'file-1', 2)).rejects.toThrow(DecryptionError);
      await expect(chunkFromWire(wire, ring, 'file-2', 3)).rejects.toThrow(DecryptionError);
    }
    const altered = Buffer.from(chunkToWire(await sealChunk(plain, ring, 'file-1', 0)), 'base64');
    altered[20]! ^= 1;
    await expect(chunkFromWire(altered.toString('base64'), ring, 'file-1', 0)).rejects.toThrow(DecryptionError);
    // Sealed under an epoch this device has not received: not kept either.
    await expect(chunkFromWire(chunkToWire(await sealChunk(plain, ring, 'file-1', 0)), before, 'file-1', 0)).rejects.toThrow(DecryptionError);
  });
});
