// The 3D view of one model file. A worker (mesh-worker.ts) reads the file's sealed chunks,
// opens, checks and parses them, and draws the mesh on the canvas the page transfers to it
// (OffscreenCanvas), each part in its component's colour;
// the page forwards pointer input and the buttons' turns and zooms. Where a worker cannot
// draw WebGL, the worker sends the arrays and the page draws them (mesh-scene.ts, loaded
// only then): three.js never runs on the page otherwise. It draws only when something changes.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Deliverable } from '../../domain/case';
import type { ModelFileRef } from '../../domain/model-files';
import { modelFileKeyForWorker } from '../../queries/model-file-queries';
import { Notice } from '../../ui/notice';
import { boxSize, type MeshFacts, type ParsedMesh } from './mesh-facts';
import { partColours, type PartColour } from './mesh-colours';
import { forwardedInput, type FromWorker, type ToWorker } from './mesh-protocol';
import type { MeshStage, ViewSize } from './mesh-scene';

type Props = { file: ModelFileRef; deliverable: Deliverable | undefined; onClose: () => void };
type Loaded =
  | { state: 'reading' }
  | { state: 'parsing' }
  | { state: 'arriving' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; facts: MeshFacts; worker: Worker; inWorker: boolean };

const mm = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
export const FIRST_FRAME_MARK = 'printpath:model-first-frame';
// Where the time goes (the benchmark reports them): the file handed to the worker, parsed there.
const OPENED_MARK = 'printpath:model-opened';
const PARSED_MARK = 'printpath:model-parsed';

/** What the canvas shows, in words. */
export function describeMesh(name: string, mesh: Pick<MeshFacts, 'triangles' | 'box'>): string {
  const [x, y, z] = boxSize(mesh.box);
  return `${name}: ${mesh.triangles.toLocaleString('en-US')} triangles, ${mm(x)} × ${mm(y)} × ${mm(z)} mm`;
}

function hasWebGl(): boolean {
  try {
    const probe = document.createElement('canvas');
    return Boolean(probe.getContext('webgl2') ?? probe.getContext('webgl'));
  } catch {
    return false;
  }
}

const canHandOver = () => typeof HTMLCanvasElement === 'function' && 'transferControlToOffscreen' in HTMLCanvasElement.prototype;
const send = (worker: Worker, message: ToWorker, transfer: Transferable[] = []) => worker.postMessage(message, transfer);

// A canvas is handed to the worker once (a second effect run in StrictMode must not try again);
// the arrays come to the page once (the worker lets go of them).
const handedOver = new WeakSet<HTMLCanvasElement>();
const meshes = new WeakMap<Worker, Promise<ParsedMesh>>();
function meshFrom(worker: Worker): Promise<ParsedMesh> {
  let mesh = meshes.get(worker);
  if (!mesh) {
    mesh = new Promise((resolve) => {
      const onMessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.type !== 'mesh') return;
        worker.removeEventListener('message', onMessage);
        resolve(e.data.mesh);
      };
      worker.addEventListener('message', onMessage);
      send(worker, { type: 'send-mesh' });
    });
    meshes.set(worker, mesh);
  }
  return mesh;
}

type Stage = { rotate: (left: number, up: number) => void; zoom: (factor: number) => void; reset: () => void; setColours: (colours: string[]) => void };
const POINTER_EVENTS = ['pointerdown', 'pointermove', 'pointerup', 'pointercancel', 'wheel', 'contextmenu'] as const;

export function MeshView({ file, deliverable, onClose }: Props) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'reading' });
  const canvas = useRef<HTMLCanvasElement>(null);
  const stage = useRef<Stage | null>(null);
  const titleId = useId();
  // The case is read again after every change on the tablet (new objects, same file): only a
  // different file is read and parsed again, only different colours redraw.
  const { id, size, sha256, format } = file;
  const colourKey = loaded.state === 'ready' ? JSON.stringify(partColours(loaded.facts.names, deliverable)) : '[]';
  const colours = useMemo(() => JSON.parse(colourKey) as PartColour[], [colourKey]);
  const colourValues = useRef<string[]>([]);
  // Drawn in the worker, no WebGL context is needed on the page; only the fallback asks the page's.
  const noWebGl = useMemo(() => loaded.state === 'ready' && !loaded.inWorker && !hasWebGl(), [loaded]);

  useEffect(() => {
    let live = true;
    let worker: Worker | null = null;
    void (async () => {
      try {
        // Started first: it loads while the page checks the file is all here.
        const w = (worker = new Worker(new URL('./mesh-worker.ts', import.meta.url), { type: 'module' }));
        w.addEventListener('message', (e: MessageEvent<FromWorker>) => {
          if (!live) return;
          if (e.data.type === 'parsed') {
            performance.mark(PARSED_MARK);
            setLoaded({ state: 'ready', facts: e.data.facts, worker: w, inWorker: e.data.canDraw && canHandOver() });
          } else if (e.data.type === 'failed') setLoaded({ state: 'failed', message: e.data.message });
        });
        w.addEventListener('error', (e) => {
          if (live) setLoaded({ state: 'failed', message: e.message || 'The 3D view could not start' });
        });
        const opened = await modelFileKeyForWorker({ id, size });
        if (!live) return;
        if (opened.state === 'arriving') {
          w.terminate();
          return setLoaded({ state: 'arriving' });
        }
        performance.mark(OPENED_MARK);
        setLoaded({ state: 'parsing' });
        send(w, { type: 'open', fileId: id, size, sha256, format, key: opened.key });
      } catch (e) {
        if (live) setLoaded({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live = false;
      worker?.terminate();
    };
  }, [id, size, sha256, format]);

  useEffect(() => {
    colourValues.current = colours.map((c) => c.colour);
    stage.current?.setColours(colourValues.current);
  }, [colours]);

  useEffect(() => {
    const el = canvas.current;
    if (loaded.state !== 'ready' || !el) return;
    const { worker } = loaded;
    let live = true;
    const sizeOf = (): ViewSize => ({ width: el.clientWidth || 1, height: el.clientHeight || 1, pixelRatio: Math.min(window.devicePixelRatio, 2) });
    const shown = () =>
      requestAnimationFrame(() => {
        if (!live) return;
        performance.mark(FIRST_FRAME_MARK);
        el.dataset.drawnIn = loaded.inWorker ? 'worker' : 'page';
        el.dataset.rendered = 'true';
      });
    if (loaded.inWorker) {
      if (!handedOver.has(el)) {
        handedOver.add(el);
        const offscreen = el.transferControlToOffscreen();
        send(worker, { type: 'draw', canvas: offscreen, size: sizeOf(), colours: colourValues.current }, [offscreen]);
      }
      const onDrawn = (e: MessageEvent<FromWorker>) => {
        if (e.data.type === 'drawn') shown();
      };
      worker.addEventListener('message', onDrawn);
      const down = new Set<number>();
      const onInput = (e: Event) => {
        const ev = e as PointerEvent | WheelEvent | MouseEvent;
        if (e.type === 'pointerdown' && 'pointerId' in ev) {
          el.setPointerCapture(ev.pointerId);
          down.add(ev.pointerId);
        } else if (e.type === 'pointermove' && !down.has((ev as PointerEvent).pointerId)) return;
        else if (e.type === 'pointerup' || e.type === 'pointercancel') down.delete((ev as PointerEvent).pointerId);
        else if (e.type === 'wheel' || e.type === 'contextmenu') e.preventDefault();
        send(worker, { type: 'input', event: forwardedInput(ev, el) });
      };
      for (const type of POINTER_EVENTS) el.addEventListener(type, onInput, { passive: false });
      const observer = new ResizeObserver(() => send(worker, { type: 'size', size: sizeOf() }));
      observer.observe(el);
      stage.current = {
        rotate: (left, up) => send(worker, { type: 'rotate', left, up }),
        zoom: (factor) => send(worker, { type: 'zoom', factor }),
        reset: () => send(worker, { type: 'reset' }),
        setColours: (c) => send(worker, { type: 'colours', colours: c }),
      };
      return () => {
        live = false;
        stage.current = null;
        observer.disconnect();
        worker.removeEventListener('message', onDrawn);
        for (const type of POINTER_EVENTS) el.removeEventListener(type, onInput);
      };
    }
    let drawn: MeshStage | null = null;
    let observer: ResizeObserver | null = null;
    void Promise.all([meshFrom(worker), import('./mesh-scene')]).then(([mesh, { createStage }]) => {
      if (!live) return;
      const here = (drawn = createStage(el, el, { ...mesh, colours: colourValues.current }, sizeOf(), shown));
      if (!here) return; // hasWebGl() said yes, yet no context: the figures and legend still show
      stage.current = here;
      observer = new ResizeObserver(() => here.resize(sizeOf()));
      observer.observe(el);
    });
    return () => {
      live = false;
      stage.current = null;
      observer?.disconnect();
      drawn?.dispose();
    };
  }, [loaded]);

  const step = Math.PI / 12;
  return (
    <section className="mesh-view" aria-labelledby={titleId}>
      <div className="mesh-view-head">
        <h4 id={titleId}>{file.name} in 3D</h4>
        <button type="button" className="btn" onClick={onClose}>Close 3D view</button>
      </div>
      {loaded.state === 'reading' && <p role="status">Opening {file.name} on this device…</p>}
      {loaded.state === 'parsing' && <p role="status">Reading the mesh (this can take a few seconds for a large file)…</p>}
      {loaded.state === 'arriving' && <Notice tone="warn" title={`${file.name} is still arriving on this device.`}>{' '}The 3D view opens once the whole file is here.</Notice>}
      {loaded.state === 'failed' && <Notice tone="bad" title="The 3D view cannot show this file.">{' '}{loaded.message}</Notice>}
      {loaded.state === 'ready' && (
        <>
          <dl className="mesh-facts">
            <div><dt>Triangles</dt><dd>{loaded.facts.triangles.toLocaleString('en-US')}</dd></div>
            <div><dt>Size (bounding box)</dt><dd>{boxSize(loaded.facts.box).map(mm).join(' × ')} mm</dd></div>
          </dl>
          {noWebGl ? (
            <Notice tone="warn" title="This browser cannot draw 3D (WebGL is off or unsupported).">{' '}The figures above are read from the file.</Notice>
          ) : (
            <canvas ref={canvas} className="mesh-canvas" role="img" aria-label={describeMesh(file.name, loaded.facts)} />
          )}
          <ul className="mesh-legend" aria-label="Parts and their colours">
            {colours.map((c, i) => (
              <li key={i}><span className="swatch" style={{ background: c.colour }} aria-hidden="true" />{c.label}</li>
            ))}
          </ul>
          {!noWebGl && (
            <div className="btn-row mesh-controls" role="group" aria-label="Turn and zoom the model">
              <button type="button" className="btn" onClick={() => stage.current?.rotate(-step, 0)}>Turn left</button>
              <button type="button" className="btn" onClick={() => stage.current?.rotate(step, 0)}>Turn right</button>
              <button type="button" className="btn" onClick={() => stage.current?.rotate(0, step)}>Tilt up</button>
              <button type="button" className="btn" onClick={() => stage.current?.rotate(0, -step)}>Tilt down</button>
              <button type="button" className="btn" onClick={() => stage.current?.zoom(0.8)}>Zoom in</button>
              <button type="button" className="btn" onClick={() => stage.current?.zoom(1.25)}>Zoom out</button>
              <button type="button" className="btn" onClick={() => stage.current?.reset()}>Reset view</button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
