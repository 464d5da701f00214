import { describe, expect, it } from 'vitest';
import { boxSize, checkAndParse, meshOpener, NOT_THE_SIGNED_FILE, parseMesh } from '../../../src/features/model-files/mesh-parse';
import { DecryptionError } from '../../../src/crypto/errors';
import { sealFile, sha256Hex } from '../../../src/crypto/file-cipher';
import { asciiStl, binaryStl, multiPart, obj, sphere, sphereOfTriangles, triangleCount } from '../../support/stl-generator';

const buffer = (b: Uint8Array | string) => (typeof b === 'string' ? new TextEncoder().encode(b) : b).slice().buffer;
const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 3));

describe('parsing mesh files (the worker’s pure module)', () => {
  it('a binary STL sphere: its triangle count and a 40 mm box', () => {
    const ball = sphere('Ball', 20, 32, 16);
    const mesh = parseMesh(buffer(binaryStl([ball])), 'stl');
    expect(mesh.triangles).toBe(32 * 16 * 2);
    expect(mesh.parts).toHaveLength(1);
    close(boxSize(mesh.box), [40, 40, 40]);
    close(mesh.box.min, [-20, -20, -20]);
  });

  it('an ASCII STL of two solids: one part each, named, and the box around both', () => {
    const parts = multiPart();
    const mesh = parseMesh(buffer(asciiStl(parts)), 'stl');
    expect(mesh.triangles).toBe(triangleCount(parts));
    expect(mesh.parts.map((p) => [p.name, p.positions.length / 9])).toEqual([['Bone', 24 * 12 * 2], ['Tumour', 12 * 6 * 2]]);
    close(boxSize(mesh.box), [90, 60, 60]);
  });

  it('a binary STL of a multi-part model is one part with every triangle', () => {
    const parts = multiPart();
    const mesh = parseMesh(buffer(binaryStl(parts)), 'stl');
    expect(mesh.triangles).toBe(triangleCount(parts));
    close(boxSize(mesh.box), [90, 60, 60]);
  });

  it('an OBJ of two objects: one part each, named', () => {
    const parts = multiPart();
    const mesh = parseMesh(buffer(obj(parts)), 'obj');
    expect(mesh.parts.map((p) => p.name)).toEqual(['Bone', 'Tumour']);
    expect(mesh.triangles).toBe(triangleCount(parts));
    close(mesh.box.max, [60, 30, 30]);
  });

  it('a file with no triangles, or not a mesh at all, is refused with a message', () => {
    expect(() => parseMesh(buffer('o empty\nv 0 0 0\n'), 'obj')).toThrow('The file holds no triangles');
    expect(() => parseMesh(buffer('not a mesh'), 'stl')).toThrow('Not a readable STL file');
  });

  it('the worker parses only the file its case names: other bytes are refused before parsing', async () => {
    const bytes = binaryStl([sphere('Ball', 20, 8, 4)]);
    const sha = await sha256Hex(bytes);
    expect((await checkAndParse(buffer(bytes), 'stl', sha)).triangles).toBe(64);
    const altered = bytes.slice();
    altered[200] = altered[200]! ^ 1;
    await expect(checkAndParse(buffer(altered), 'stl', sha)).rejects.toThrow(NOT_THE_SIGNED_FILE);
  });

  describe('opening the sealed chunks in the worker, batch by batch as the page reads them', () => {
    const key = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    // About 70,000 triangles: 3.5 MB, 4 chunks of 1 MiB.
    const ball = sphereOfTriangles('Ball', 30, 70_000);
    const file = binaryStl([ball]);

    it('every batch opened, in whatever order they came: the same triangles and box as the plain file', async () => {
      const k = await key();
      const { sha256, chunks } = await sealFile(file, k, 'file-1');
      expect(chunks).toHaveLength(4);
      const opener = meshOpener(k, 'file-1');
      opener.add(chunks.slice(2), 2);
      opener.add(chunks.slice(0, 2), 0);
      const mesh = await opener.parse(file.length, sha256, 'stl');
      const plain = parseMesh(buffer(file), 'stl');
      expect(mesh.triangles).toBe(triangleCount([ball]));
      expect(mesh.box).toEqual(plain.box);
    });

    it('a chunk missing, a chunk in another place, or another file’s chunk does not open; other bytes than the signed file are refused', async () => {
      const k = await key();
      const { sha256, chunks } = await sealFile(file, k, 'file-1');
      const missing = meshOpener(k, 'file-1');
      missing.add(chunks.slice(0, 3), 0);
      await expect(missing.parse(file.length, sha256, 'stl')).rejects.toThrow(DecryptionError);
      const gap = meshOpener(k, 'file-1');
      gap.add(chunks.slice(0, 2), 0);
      gap.add(chunks.slice(3), 3);
      await expect(gap.parse(file.length, sha256, 'stl')).rejects.toThrow(DecryptionError);
      const swapped = meshOpener(k, 'file-1');
      swapped.add([chunks[1]!, chunks[0]!, chunks[2]!, chunks[3]!], 0);
      await expect(swapped.parse(file.length, sha256, 'stl')).rejects.toThrow(DecryptionError);
      const otherFile = meshOpener(k, 'file-2');
      otherFile.add(chunks, 0);
      await expect(otherFile.parse(file.length, sha256, 'stl')).rejects.toThrow(DecryptionError);
      const otherHash = meshOpener(k, 'file-1');
      otherHash.add(chunks, 0);
      await expect(otherHash.parse(file.length, await sha256Hex(binaryStl([sphere('Ball', 20, 8, 4)])), 'stl')).rejects.toThrow(NOT_THE_SIGNED_FILE);
    });
  });
});
