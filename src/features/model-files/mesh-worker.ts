// The mesh worker, one per opened file: reads its sealed chunks (IndexedDB), opens them, checks it is the file that
// was signed (its SHA-256) and parses it, then draws it on the canvas the page hands over
// (mesh-scene.ts on an OffscreenCanvas), turning it with the pointer events the page
// forwards. All of that is seconds of work for a 50 MB file, none of it on the page's thread.
// Where this browser cannot draw WebGL in a worker, it sends the arrays to the page instead
// (transferred, not copied). Protocol: mesh-protocol.ts.
import { readSealedChunks } from '../../db/file-chunk-reader';
import { factsOf, type ParsedMesh } from './mesh-facts';
import { InputStandIn } from './input-stand-in';
import { meshOpener } from './mesh-parse';
import type { FromWorker, ToWorker } from './mesh-protocol';
import { createStage, type MeshStage } from './mesh-scene';

function canDrawHere(): boolean {
  try {
    const gl = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1).getContext('webgl2') : null;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return Boolean(gl);
  } catch {
    return false;
  }
}

const reply = (message: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);
const failed = (error: unknown) => reply({ type: 'failed', message: error instanceof Error ? error.message : 'The file could not be read' });

let mesh: ParsedMesh | null = null;
let stage: MeshStage | null = null;
const input = new InputStandIn();

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  switch (m.type) {
    case 'open':
      try {
        const opener = meshOpener(m.key, m.fileId);
        const read = await readSealedChunks({ id: m.fileId, size: m.size }, (chunks, from) => opener.add(chunks, from));
        if (read.state === 'arriving') throw new Error('Part of the file is missing on this device.');
        const parsed = (mesh = await opener.parse(m.size, m.sha256, m.format));
        reply({ type: 'parsed', facts: factsOf(parsed), canDraw: canDrawHere() });
      } catch (error) {
        failed(error);
      }
      return;
    case 'send-mesh': {
      if (!mesh) return;
      // Parts cut from one geometry may share a buffer: transfer each once.
      const transfer = new Set(mesh.parts.flatMap((p) => [p.positions.buffer, ...(p.normals ? [p.normals.buffer] : [])]));
      reply({ type: 'mesh', mesh }, [...transfer]);
      mesh = null;
      return;
    }
    case 'draw':
      if (!mesh || stage) return;
      input.clientWidth = m.size.width;
      input.clientHeight = m.size.height;
      stage = createStage(m.canvas, input as unknown as HTMLElement, { ...mesh, colours: m.colours }, m.size, () => reply({ type: 'drawn' }));
      if (!stage) failed(new Error('This browser could not draw 3D here.'));
      return;
    case 'size':
      input.clientWidth = m.size.width;
      input.clientHeight = m.size.height;
      stage?.resize(m.size);
      return;
    case 'colours':
      stage?.setColours(m.colours);
      return;
    case 'rotate':
      stage?.rotate(m.left, m.up);
      return;
    case 'zoom':
      stage?.zoom(m.factor);
      return;
    case 'reset':
      stage?.reset();
      return;
    case 'input':
      input.forward(m.event);
      return;
  }
};
