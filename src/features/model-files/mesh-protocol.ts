// What the 3D view and its mesh worker say to each other (mesh-view.tsx, mesh-worker.ts).
// Without three.js, so the page can import it. One worker per opened file: it opens the
// sealed chunks, checks and parses the file, and then either draws it on the canvas the
// page hands over (OffscreenCanvas) or, where it cannot, sends the arrays to the page.
import type { DataKey } from '../../crypto/key-ring';
import type { MeshFacts, MeshFormat, ParsedMesh } from './mesh-facts';
import type { ViewSize } from './mesh-scene';

/** The fields of a pointer, wheel or context-menu event that OrbitControls reads. */
export type ForwardedInput = {
  type: string;
  pointerId: number;
  pointerType: string;
  button: number;
  clientX: number;
  clientY: number;
  pageX: number;
  pageY: number;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  deltaY: number;
  deltaMode: number;
  /** The canvas's place in the viewport when the event happened. */
  rect: { left: number; top: number; width: number; height: number };
};

export type ToWorker =
  | { type: 'open'; fileId: string; size: number; sha256: string; format: MeshFormat; key: DataKey }
  | { type: 'send-mesh' }
  | { type: 'draw'; canvas: OffscreenCanvas; size: ViewSize; colours: string[] }
  | { type: 'size'; size: ViewSize }
  | { type: 'colours'; colours: string[] }
  | { type: 'rotate'; left: number; up: number }
  | { type: 'zoom'; factor: number }
  | { type: 'reset' }
  | { type: 'input'; event: ForwardedInput };

/** `canDraw`: the worker can draw WebGL on an OffscreenCanvas. */
export type FromWorker =
  | { type: 'parsed'; facts: MeshFacts; canDraw: boolean }
  | { type: 'mesh'; mesh: ParsedMesh }
  | { type: 'drawn' }
  | { type: 'failed'; message: string };

export function forwardedInput(e: PointerEvent | WheelEvent | MouseEvent, el: Element): ForwardedInput {
  const r = el.getBoundingClientRect();
  const p = 'pointerId' in e ? e : null;
  const w = 'deltaY' in e ? e : null;
  return {
    type: e.type, pointerId: p?.pointerId ?? 1, pointerType: p?.pointerType ?? 'mouse', button: e.button,
    clientX: e.clientX, clientY: e.clientY, pageX: e.pageX, pageY: e.pageY,
    ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey, deltaY: w?.deltaY ?? 0, deltaMode: w?.deltaMode ?? 0,
    rect: { left: r.left, top: r.top, width: r.width, height: r.height },
  };
}
