// What a parsed mesh is, and the figures the 3D view shows about it, without three.js: the
// page imports these, and three.js loads only where the mesh is drawn.
export type MeshFormat = 'stl' | 'obj';
export type MeshPart = { name: string; positions: Float32Array<ArrayBuffer>; normals: Float32Array<ArrayBuffer> | null };
export type Box = { min: [number, number, number]; max: [number, number, number] };
export type ParsedMesh = { parts: MeshPart[]; triangles: number; box: Box };
/** A parsed mesh without its arrays: what the page needs to show its figures and legend. */
export type MeshFacts = { names: string[]; triangles: number; box: Box };

export const factsOf = (m: ParsedMesh): MeshFacts => ({ names: m.parts.map((p) => p.name), triangles: m.triangles, box: m.box });

export function boxOf(parts: readonly MeshPart[]): Box {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (const { positions } of parts) {
    for (let i = 0; i < positions.length; i += 3) {
      for (let a = 0; a < 3; a++) {
        const v = positions[i + a]!;
        if (v < min[a]!) min[a] = v;
        if (v > max[a]!) max[a] = v;
      }
    }
  }
  return min[0] === Infinity ? { min: [0, 0, 0], max: [0, 0, 0] } : { min, max };
}

/** The box's size in millimetres (STL and OBJ carry no unit; labs export in millimetres). */
export const boxSize = (b: Box): [number, number, number] => [b.max[0] - b.min[0], b.max[1] - b.min[1], b.max[2] - b.min[2]];
