// The drawing of a parsed mesh with three.js: each part in its colour, turned and zoomed with
// a pointer (OrbitControls) or the view's buttons, drawn only when something changes. Runs
// in the mesh worker on an OffscreenCanvas where the browser can (mesh-worker.ts), so
// linking shaders, uploading a million triangles and drawing them never hold up the page;
// on the page otherwise (mesh-view.tsx).
import { AmbientLight, Box3, BufferAttribute, BufferGeometry, Color, DirectionalLight, Mesh, MeshStandardMaterial, PerspectiveCamera, Scene, Sphere, Spherical, Vector3, WebGLRenderer } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { MeshPart, Box } from './mesh-facts';

/** The canvas's size in CSS pixels, and how many device pixels to draw per CSS pixel. */
export type ViewSize = { width: number; height: number; pixelRatio: number };
export type MeshStage = {
  rotate: (left: number, up: number) => void;
  zoom: (factor: number) => void;
  reset: () => void;
  resize: (size: ViewSize) => void;
  setColours: (colours: readonly string[]) => void;
  dispose: () => void;
};
export type StageInput = { parts: readonly MeshPart[]; box: Box; colours: readonly string[] };

/** 100,000 triangles a piece (9 floats each, 3.6 MB). */
const PIECE_FLOATS = 100_000 * 9;

/**
 * Builds the scene and draws it once its shaders are ready, then calls `drawn`. `input` is
 * the element OrbitControls listens to: the canvas on the page, a stand-in fed with the
 * page's pointer events in the worker. Null when no WebGL context can be had.
 */
export function createStage(canvas: HTMLCanvasElement | OffscreenCanvas, input: HTMLElement, mesh: StageInput, size: ViewSize, drawn: () => void): MeshStage | null {
  let renderer: WebGLRenderer;
  try {
    renderer = new WebGLRenderer({ canvas, antialias: true });
  } catch {
    return null;
  }
  const scene = new Scene();
  scene.background = new Color('#1d2630');
  scene.add(new AmbientLight(0xffffff, 0.55));
  const sun = new DirectionalLight(0xffffff, 1.6);
  scene.add(sun);
  const disposables: { dispose: () => void }[] = [];
  const min = new Vector3(...mesh.box.min), max = new Vector3(...mesh.box.max);
  // Known from the parse: three.js would otherwise walk every vertex to find them.
  const bounds = { box: new Box3(min, max), sphere: new Sphere(min.clone().add(max).multiplyScalar(0.5), max.distanceTo(min) / 2) };
  // Pieces of at most PIECE_FLOATS: no single vertex buffer of hundreds of MB, which some WebGL implementations refuse.
  const pieces: Mesh[] = [];
  const materials = mesh.parts.map((p, i) => {
    const material = new MeshStandardMaterial({ color: mesh.colours[i] ?? '#e8dcc0', roughness: 0.6, metalness: 0.05, flatShading: !p.normals });
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
    return material;
  });
  const centre = min.clone().add(max).multiplyScalar(0.5);
  const radius = Math.max(max.distanceTo(min) / 2, 1);
  const camera = new PerspectiveCamera(40, 1, radius / 100, radius * 100);
  const home = centre.clone().add(new Vector3(0.6, -1.4, 0.9).normalize().multiplyScalar(radius * 2.8));
  camera.up.set(0, 0, 1); // medical meshes come z-up (head to feet along z)
  camera.position.copy(home);
  const controls = new OrbitControls(camera, input);
  controls.target.copy(centre);
  let live = true, shown = false;
  const render = () => {
    if (!live || !shown) return;
    sun.position.copy(camera.position);
    renderer.render(scene, camera);
  };
  const resize = ({ width, height, pixelRatio }: ViewSize) => {
    renderer.setPixelRatio(pixelRatio);
    renderer.setSize(width || 1, height || 1, false);
    camera.aspect = (width || 1) / (height || 1);
    camera.updateProjectionMatrix();
    render();
  };
  controls.addEventListener('change', render);
  controls.update();
  resize(size);
  // Shaders compile without blocking where the browser can (KHR_parallel_shader_compile).
  void renderer.compileAsync(new Mesh(new BufferGeometry(), materials[0]), camera, scene).catch(() => undefined).then(() => {
    if (!live) return;
    for (const piece of pieces) scene.add(piece);
    shown = true;
    render();
    drawn();
  });
  return {
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
    resize,
    setColours(colours) {
      materials.forEach((m, i) => m.color.set(colours[i] ?? m.color));
      render();
    },
    dispose() {
      live = false;
      controls.dispose();
      disposables.forEach((d) => d.dispose());
      renderer.dispose();
    },
  };
}
