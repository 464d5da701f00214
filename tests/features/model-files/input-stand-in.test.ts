import { PerspectiveCamera, Vector3 } from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { describe, expect, it } from 'vitest';
import { InputStandIn } from '../../../src/features/model-files/input-stand-in';
import type { ForwardedInput } from '../../../src/features/model-files/mesh-protocol';

// In the worker, OrbitControls listens to a stand-in fed with the page's forwarded events:
// a drag on the canvas must turn the model and the wheel must zoom, as on the page.
const rect = { left: 10, top: 20, width: 400, height: 300 };
const event = (type: string, x: number, y: number, more: Partial<ForwardedInput> = {}): ForwardedInput => ({
  type, pointerId: 1, pointerType: 'mouse', button: 0, clientX: x, clientY: y, pageX: x, pageY: y,
  ctrlKey: false, metaKey: false, shiftKey: false, deltaY: 0, deltaMode: 0, rect, ...more,
});

function setUp() {
  const input = new InputStandIn();
  input.clientWidth = rect.width;
  input.clientHeight = rect.height;
  const camera = new PerspectiveCamera(40, 4 / 3, 0.1, 1000);
  camera.position.set(0, -100, 0);
  const controls = new OrbitControls(camera, input as unknown as HTMLElement);
  controls.enableDamping = false;
  controls.update();
  return { input, camera, controls };
}

describe('the worker’s stand-in for the canvas', () => {
  it('a forwarded drag turns the camera around the model, at the same distance', () => {
    const { input, camera } = setUp();
    const before = camera.position.clone();
    input.forward(event('pointerdown', 100, 100));
    input.forward(event('pointermove', 160, 110));
    input.forward(event('pointermove', 220, 120));
    input.forward(event('pointerup', 220, 120));
    expect(camera.position.distanceTo(before)).toBeGreaterThan(10);
    expect(camera.position.length()).toBeCloseTo(100, 3);
    // Moves after the release turn nothing.
    const after = camera.position.clone();
    input.forward(event('pointermove', 300, 200));
    expect(camera.position.equals(after)).toBe(true);
  });

  it('a forwarded wheel step zooms in', () => {
    const { input, camera } = setUp();
    input.forward(event('wheel', 200, 150, { deltaY: -100 }));
    expect(camera.position.length()).toBeLessThan(100);
    expect(camera.position.clone().normalize().distanceTo(new Vector3(0, -1, 0))).toBeLessThan(1e-4); // along the same line
  });

  it('answers what OrbitControls asks of an element: its box in the viewport from the last event', () => {
    const { input } = setUp();
    input.forward(event('pointermove', 0, 0));
    expect(input.getBoundingClientRect()).toMatchObject({ left: 10, top: 20, width: 400, height: 300, right: 410, bottom: 320 });
  });
});
