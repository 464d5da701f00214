// The mesh worker: parses a model file off the page's main thread (a 100 MB STL takes
// seconds), and hands the triangle arrays back without copying them.
import { parseMesh, type MeshFormat, type ParsedMesh } from './mesh-parse';

export type MeshRequest = { bytes: ArrayBuffer; format: MeshFormat };
export type MeshReply = { ok: true; mesh: ParsedMesh } | { ok: false; message: string };

self.onmessage = (e: MessageEvent<MeshRequest>) => {
  let reply: MeshReply;
  try {
    reply = { ok: true, mesh: parseMesh(e.data.bytes, e.data.format) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : 'The file could not be read' };
  }
  const transfer = reply.ok ? reply.mesh.parts.flatMap((p) => [p.positions.buffer, ...(p.normals ? [p.normals.buffer] : [])]) : [];
  // Parts cut from one geometry may share a buffer: transfer each once.
  (self as unknown as Worker).postMessage(reply, [...new Set(transfer)]);
};
