// Real mesh files for tests and the benchmark, made on the fly (nothing large is
// committed): a UV sphere, a multi-part model (parts side by side), as binary STL,
// ASCII STL (one `solid` per part) and OBJ (one `o` per part). Sizes in millimetres.

/** Triangles as flat xyz coordinates, 9 numbers a triangle. */
export type Part = { name: string; triangles: Float32Array };

export function sphere(name: string, radius: number, segments: number, rings: number, center: [number, number, number] = [0, 0, 0]): Part {
  const out = new Float32Array(segments * rings * 2 * 9);
  const point = (i: number, j: number): [number, number, number] => {
    const theta = (j / rings) * Math.PI, phi = (i / segments) * 2 * Math.PI;
    return [center[0] + radius * Math.sin(theta) * Math.cos(phi), center[1] + radius * Math.sin(theta) * Math.sin(phi), center[2] + radius * Math.cos(theta)];
  };
  let k = 0;
  const put = (...ps: [number, number, number][]) => ps.forEach((p) => out.set(p, (k += 3) - 3));
  for (let j = 0; j < rings; j++) {
    for (let i = 0; i < segments; i++) {
      const a = point(i, j), b = point(i + 1, j), c = point(i + 1, j + 1), d = point(i, j + 1);
      put(a, d, c);
      put(a, c, b);
    }
  }
  return { name, triangles: out };
}

/** A sphere with about `count` triangles (segments × rings × 2 of them). */
export function sphereOfTriangles(name: string, radius: number, count: number): Part {
  const rings = Math.max(2, Math.round(Math.sqrt(count / 4)));
  const segments = Math.max(3, Math.floor(count / 2 / rings));
  return sphere(name, radius, segments, rings);
}

/** Two parts, side by side: a 60 mm "bone" and a 20 mm "tumour" 50 mm along x. */
export const multiPart = (): Part[] => [sphere('Bone', 30, 24, 12), sphere('Tumour', 10, 12, 6, [50, 0, 0])];

const normalOf = (t: Float32Array, o: number): [number, number, number] => {
  const ux = t[o + 3]! - t[o]!, uy = t[o + 4]! - t[o + 1]!, uz = t[o + 5]! - t[o + 2]!;
  const vx = t[o + 6]! - t[o]!, vy = t[o + 7]! - t[o + 1]!, vz = t[o + 8]! - t[o + 2]!;
  const n: [number, number, number] = [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
  const len = Math.hypot(...n) || 1;
  return [n[0] / len, n[1] / len, n[2] / len];
};

export function binaryStl(parts: readonly Part[]): Uint8Array<ArrayBuffer> {
  const count = parts.reduce((n, p) => n + p.triangles.length / 9, 0);
  const bytes = new Uint8Array(84 + count * 50);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('printpath test mesh (binary)'));
  view.setUint32(80, count, true);
  let at = 84;
  for (const p of parts) {
    for (let o = 0; o < p.triangles.length; o += 9) {
      for (const v of normalOf(p.triangles, o)) view.setFloat32((at += 4) - 4, v, true);
      for (let i = 0; i < 9; i++) view.setFloat32((at += 4) - 4, p.triangles[o + i]!, true);
      at += 2;
    }
  }
  return bytes;
}

export function asciiStl(parts: readonly Part[]): string {
  const lines: string[] = [];
  for (const p of parts) {
    lines.push(`solid ${p.name}`);
    for (let o = 0; o < p.triangles.length; o += 9) {
      lines.push(`  facet normal ${normalOf(p.triangles, o).join(' ')}`, '    outer loop');
      for (let v = 0; v < 9; v += 3) lines.push(`      vertex ${p.triangles[o + v]} ${p.triangles[o + v + 1]} ${p.triangles[o + v + 2]}`);
      lines.push('    endloop', '  endfacet');
    }
    lines.push(`endsolid ${p.name}`);
  }
  return lines.join('\n') + '\n';
}

export function obj(parts: readonly Part[]): string {
  const lines: string[] = [];
  let base = 1;
  for (const p of parts) {
    lines.push(`o ${p.name}`);
    for (let o = 0; o < p.triangles.length; o += 3) lines.push(`v ${p.triangles[o]} ${p.triangles[o + 1]} ${p.triangles[o + 2]}`);
    for (let f = 0; f < p.triangles.length / 9; f++) lines.push(`f ${base + f * 3} ${base + f * 3 + 1} ${base + f * 3 + 2}`);
    base += p.triangles.length / 3;
  }
  return lines.join('\n') + '\n';
}

export const triangleCount = (parts: readonly Part[]) => parts.reduce((n, p) => n + p.triangles.length / 9, 0);
