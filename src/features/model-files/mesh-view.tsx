// The 3D view of one model file (three.js, loaded only with this module): the file is
// read and checked on the page, parsed in a worker (parse-in-worker.ts), drawn with each
// part in its component's colour, and turned and zoomed with a pointer or the buttons.
// It draws only when something changes, not in a loop.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { AmbientLight, Box3, BufferAttribute, BufferGeometry, Color, DirectionalLight, Mesh, MeshStandardMaterial, PerspectiveCamera, Scene, Sphere, Spherical, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Deliverable } from '../../domain/case';
import type { ModelFileRef } from '../../domain/model-files';
import { readModelFileForWorker } from '../../queries/model-file-queries';
import { Notice } from '../../ui/notice';
import { boxSize, type ParsedMesh } from './mesh-parse';
import { partColours, type PartColour } from './mesh-colours';
import { parseInWorker } from './parse-in-worker';

type Props = { file: ModelFileRef; deliverable: Deliverable | undefined; onClose: () => void };
type Loaded = { state: 'reading' } | { state: 'parsing' } | { state: 'arriving' } | { state: 'failed'; message: string } | { state: 'ready'; mesh: ParsedMesh };

const mm = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
export const FIRST_FRAME_MARK = 'printpath:model-first-frame';
// Where the time goes (the benchmark reports them): bytes opened and checked, mesh back from the worker.
const OPENED_MARK = 'printpath:model-opened';
const PARSED_MARK = 'printpath:model-parsed';
/** 100,000 triangles a piece (9 floats each, 3.6 MB). */
const PIECE_FLOATS = 100_000 * 9;

/** What the canvas shows, in words. */
export function describeMesh(name: string, mesh: Pick<ParsedMesh, 'triangles' | 'box'>): string {
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

type Stage = { rotate: (left: number, up: number) => void; zoom: (factor: number) => void; reset: () => void };

export function MeshView({ file, deliverable, onClose }: Props) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'reading' });
  const [noWebGl] = useState(() => !hasWebGl());
  const canvas = useRef<HTMLCanvasElement>(null);
  const stage = useRef<Stage | null>(null);
  const titleId = useId();
  // The case is read again after every change on the tablet (new objects, same file): only a
  // different file is read and parsed again, only different colours redraw.
  const { id, size, sha256, format } = file;
  const colourKey = loaded.state === 'ready' ? JSON.stringify(partColours(loaded.mesh.parts.map((p) => p.name), deliverable)) : '[]';
  const colours = useMemo(() => JSON.parse(colourKey) as PartColour[], [colourKey]);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const opened = await readModelFileForWorker({ id, size, sha256 });
        if (!live) return;
        if (opened.state === 'arriving') return setLoaded({ state: 'arriving' });
        performance.mark(OPENED_MARK);
        setLoaded({ state: 'parsing' });
        const mesh = await parseInWorker(opened.bytes, format, sha256);
        performance.mark(PARSED_MARK);
        if (live) setLoaded({ state: 'ready', mesh });
      } catch (e) {
        if (live) setLoaded({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
    })();
    return () => {
      live = false;
    };
  }, [id, size, sha256, format]);

  useEffect(() => {
    if (loaded.state !== 'ready' || !canvas.current) return;
    let renderer: WebGLRenderer;
    try {
      renderer = new WebGLRenderer({ canvas: canvas.current, antialias: true });
    } catch {
      return; // hasWebGl() said yes, yet no context: the figures and legend still show
    }
    const el = canvas.current;
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    const scene = new Scene();
    scene.background = new Color('#1d2630');
    scene.add(new AmbientLight(0xffffff, 0.55));
    const sun = new DirectionalLight(0xffffff, 1.6);
    scene.add(sun);
    const { mesh } = loaded;
    const disposables: { dispose: () => void }[] = [];
    const min = new Vector3(...mesh.box.min), max = new Vector3(...mesh.box.max);
    // Known from the worker: three.js would otherwise walk every vertex on this thread to find them.
    const bounds = { box: new Box3(min, max), sphere: new Sphere(min.clone().add(max).multiplyScalar(0.5), max.distanceTo(min) / 2) };
    // Pieces of at most PIECE_FLOATS: no single vertex buffer of hundreds of MB, which some WebGL implementations refuse.
    const pieces: Mesh[] = [];
    mesh.parts.forEach((p, i) => {
      const material = new MeshStandardMaterial({ color: colours[i]!.colour, roughness: 0.6, metalness: 0.05, flatShading: !p.normals });
      disposables.push(material);
      const floats = p.positions.length;
      for (let at = 0; at < floats; at += PIECE_FLOATS) {
        const geometry = new BufferGeometry();
        geometry.setAttribute('position', new BufferAttribute(p.positions.subarray(at, at + PIECE_FLOATS), 3));
        if (p.normals) geometry.setAttribute('normal', new BufferAttribute(p.normals.subarray(at, at + PIECE_FLOATS), 3));
        geometry.boundingBox = bounds.box;
        geometry.boundingSphere = bounds.sphere;
        disposables.push(geometry);
        pieces.push(new Mesh(geometry, material));
      }
    });
    const centre = min.clone().add(max).multiplyScalar(0.5);
    const radius = Math.max(max.distanceTo(min) / 2, 1);
    const camera = new PerspectiveCamera(40, 1, radius / 100, radius * 100);
    const home = centre.clone().add(new Vector3(0.6, -1.4, 0.9).normalize().multiplyScalar(radius * 2.8));
    camera.up.set(0, 0, 1); // medical meshes come z-up (head to feet along z)
    camera.position.copy(home);
    const controls = new OrbitControls(camera, el);
    controls.target.copy(centre);
    let live = true;
    const render = () => {
      sun.position.copy(camera.position);
      renderer.render(scene, camera);
    };
    const resize = () => {
      const w = el.clientWidth || 1, h = el.clientHeight || 1;
      renderer.setSize(w, h, false);
      camera.aspect = w / h;
      camera.updateProjectionMatrix();
      render();
    };
    controls.addEventListener('change', render);
    controls.update();
    const observer = new ResizeObserver(resize);
    observer.observe(el);
    const showAll = () => {
      if (!live) return;
      for (const piece of pieces) scene.add(piece);
      render();
      requestAnimationFrame(() => {
        performance.mark(FIRST_FRAME_MARK);
        el.dataset.rendered = 'true';
      });
    };
    // Shaders compile without blocking the page where the browser can (KHR_parallel_shader_compile).
    void renderer.compileAsync(new Mesh(new BufferGeometry(), pieces[0]?.material), camera, scene).catch(() => undefined).then(() => {
      resize();
      showAll();
    });
    stage.current = {
      rotate(left, up) {
        const offset = camera.position.clone().sub(controls.target);
        const s = new Spherical().setFromVector3(new Vector3(offset.x, offset.z, -offset.y));
        s.theta += left;
        s.phi = Math.min(Math.PI - 0.05, Math.max(0.05, s.phi - up));
        const v = new Vector3().setFromSpherical(s);
        camera.position.copy(controls.target).add(new Vector3(v.x, -v.z, v.y));
        controls.update();
      },
      zoom(factor) {
        camera.position.sub(controls.target).multiplyScalar(factor).add(controls.target);
        controls.update();
      },
      reset() {
        camera.position.copy(home);
        controls.target.copy(centre);
        controls.update();
      },
    };
    return () => {
      live = false;
      stage.current = null;
      observer.disconnect();
      controls.dispose();
      disposables.forEach((d) => d.dispose());
      renderer.dispose();
    };
  }, [loaded, colours]);

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
            <div><dt>Triangles</dt><dd>{loaded.mesh.triangles.toLocaleString('en-US')}</dd></div>
            <div><dt>Size (bounding box)</dt><dd>{boxSize(loaded.mesh.box).map(mm).join(' × ')} mm</dd></div>
          </dl>
          {noWebGl ? (
            <Notice tone="warn" title="This browser cannot draw 3D (WebGL is off or unsupported).">{' '}The figures above are read from the file.</Notice>
          ) : (
            <canvas ref={canvas} className="mesh-canvas" role="img" aria-label={describeMesh(file.name, loaded.mesh)} />
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
