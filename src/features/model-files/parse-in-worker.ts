// Starts a mesh worker for one file and ends it when the file is parsed.
import type { MeshFormat, ParsedMesh } from './mesh-parse';
import type { MeshReply, MeshRequest } from './mesh-worker';

/** Checks the bytes against `sha256` and parses them, in a worker; rejects when either fails. */
export function parseInWorker(bytes: Uint8Array<ArrayBuffer>, format: MeshFormat, sha256: string): Promise<ParsedMesh> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./mesh-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<MeshReply>) => {
      worker.terminate();
      if (e.data.ok) resolve(e.data.mesh);
      else reject(new Error(e.data.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'The 3D view could not start'));
    };
    // The bytes are handed over, not copied: the caller does not use them again.
    const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
    worker.postMessage({ bytes: buffer, format, sha256 } satisfies MeshRequest, [buffer]);
  });
}
