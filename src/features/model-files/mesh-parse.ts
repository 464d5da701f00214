// Parses an STL (binary or ASCII) or OBJ file into flat triangle arrays, one part per
// solid (ASCII STL) or object (OBJ), with the triangle count and the bounding box.
// Runs in the mesh worker (mesh-worker.ts), never on the page's main thread; pure apart
// from three.js's loaders, so it is unit-tested directly.
import type { BufferGeometry } from 'three';
import { Mesh } from 'three';
import { OBJLoader } from 'three/examples/jsm/loaders/OBJLoader.js';
import { STLLoader } from 'three/examples/jsm/loaders/STLLoader.js';
import { DecryptionError } from '../../crypto/errors';
import { chunkCount, openChunk, type SealedChunk } from '../../crypto/file-cipher';
import type { DataKey } from '../../crypto/key-ring';
import { boxOf, type MeshFormat, type MeshPart, type ParsedMesh } from './mesh-facts';

export { boxOf, boxSize, type Box, type MeshFormat, type MeshPart, type ParsedMesh } from './mesh-facts';

// STL normals are one per facet, which flat shading draws the same from the positions alone:
// leaving them out halves what is uploaded to the GPU. OBJ normals may be smooth: kept.
function partsOf(geometry: BufferGeometry, names: readonly string[], keepNormals: boolean): MeshPart[] {
  const position = geometry.getAttribute('position');
  const normal = keepNormals ? geometry.getAttribute('normal') : undefined;
  const positions = position.array as Float32Array<ArrayBuffer>;
  const normals = (normal?.array as Float32Array<ArrayBuffer> | undefined) ?? null;
  if (geometry.groups.length <= 1) return [{ name: names[0] ?? '', positions, normals }];
  return geometry.groups.map((g, i) => ({
    name: names[i] ?? '',
    positions: positions.slice(g.start * 3, (g.start + g.count) * 3),
    normals: normals ? normals.slice(g.start * 3, (g.start + g.count) * 3) : null,
  }));
}

export function parseMesh(bytes: ArrayBuffer, format: MeshFormat): ParsedMesh {
  let parts: MeshPart[];
  try {
    parts = readParts(bytes, format);
  } catch {
    throw new Error(`Not a readable ${format.toUpperCase()} file`);
  }
  parts = parts.filter((p) => p.positions.length >= 9);
  const triangles = parts.reduce((n, p) => n + p.positions.length / 9, 0);
  if (triangles === 0) throw new Error('The file holds no triangles');
  return { parts, triangles: Math.floor(triangles), box: boxOf(parts) };
}

function readParts(bytes: ArrayBuffer, format: MeshFormat): MeshPart[] {
  let parts: MeshPart[];
  if (format === 'stl') {
    const geometry = new STLLoader().parse(bytes);
    parts = partsOf(geometry, (geometry.userData.groupNames as string[] | undefined)?.map((n) => n.trim()) ?? [], false);
  } else {
    const group = new OBJLoader().parse(new TextDecoder().decode(bytes));
    parts = [];
    group.traverse((o) => {
      if (o instanceof Mesh) parts.push(...partsOf(o.geometry as BufferGeometry, [o.name], true));
    });
  }
  return parts;
}

export const NOT_THE_SIGNED_FILE = 'The file on this device is not the file its case names (its SHA-256 differs): it was damaged or altered.';

const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');

/** What the worker does: refuses bytes that are not the signed file, then parses them. */
export async function checkAndParse(bytes: ArrayBuffer, format: MeshFormat, sha256: string): Promise<ParsedMesh> {
  if (hex(await crypto.subtle.digest('SHA-256', new Uint8Array(bytes))) !== sha256) throw new Error(NOT_THE_SIGNED_FILE);
  return parseMesh(bytes, format);
}

/**
 * The worker's first step: opens a file's sealed chunks batch by batch as the page reads them
 * (Chromium's Web Crypto decrypts on the calling thread, so each batch is opened when it
 * arrives, while the page reads the next), then checks the whole file and parses it.
 */
export function meshOpener(key: DataKey, fileId: string) {
  const opened: Promise<Uint8Array<ArrayBuffer>>[] = [];
  return {
    add(chunks: readonly SealedChunk[], from: number) {
      chunks.forEach((c, i) => {
        const plain = openChunk(c, key, fileId, from + i);
        plain.catch(() => undefined); // reported by parse()
        opened[from + i] = plain;
      });
    },
    async parse(size: number, sha256: string, format: MeshFormat): Promise<ParsedMesh> {
      if (opened.length !== chunkCount(size) || opened.includes(undefined as never)) throw new DecryptionError();
      const out = new Uint8Array(size);
      let at = 0;
      for (const plain of await Promise.all(opened)) {
        if (at + plain.length > size) throw new DecryptionError();
        out.set(plain, at);
        at += plain.length;
      }
      if (at !== size) throw new DecryptionError();
      return checkAndParse(out.buffer, format, sha256);
    },
  };
}
