// The mesh worker: checks a model file is the one signed (its SHA-256) and parses it, off
// the page's main thread (a 100 MB STL takes seconds), and hands the triangle arrays back
// without copying them.
import { checkAndParse, type MeshFormat, type ParsedMesh } from './mesh-parse';

export type MeshRequest = { bytes: ArrayBuffer; format: MeshFormat; sha256: string };
export type MeshReply = { ok: true; mesh: ParsedMesh } | { ok: false; message: string };

self.onmessage = async (e: MessageEvent<MeshRequest>) => {
  let reply: MeshReply;
  try {
    reply = { ok: true, mesh: await checkAndParse(e.data.bytes, e.data.format, e.data.sha256) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : 'The file could not be read' };
  }
  const transfer = reply.ok ? reply.mesh.parts.flatMap((p) => [p.positions.buffer, ...(p.normals ? [p.normals.buffer] : [])]) : [];
  // Parts cut from one geometry may share a buffer: transfer each once.
  (self as unknown as Worker).postMessage(reply, [...new Set(transfer)]);
};
