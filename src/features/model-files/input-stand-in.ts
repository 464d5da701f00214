// In the mesh worker, the element OrbitControls listens to: there is no DOM there, so the
// page forwards its canvas's pointer, wheel and context-menu events (mesh-protocol.ts) and
// this dispatches them as if they happened here. OrbitControls also listens on the element's
// document for moves and releases during a drag: that is this same stand-in.
import { EventDispatcher } from 'three';
import type { ForwardedInput } from './mesh-protocol';

/** What OrbitControls needs of an element. */
export class InputStandIn extends EventDispatcher<Record<string, object>> {
  style: Record<string, string> = {};
  clientWidth = 1;
  clientHeight = 1;
  private rect = { left: 0, top: 0, width: 1, height: 1 };
  get ownerDocument() {
    return this;
  }
  getRootNode() {
    return this;
  }
  setPointerCapture() {}
  releasePointerCapture() {}
  hasPointerCapture() {
    return false;
  }
  focus() {}
  getBoundingClientRect() {
    const { left, top, width, height } = this.rect;
    return { left, top, width, height, x: left, y: top, right: left + width, bottom: top + height };
  }
  forward(event: ForwardedInput) {
    this.rect = event.rect;
    this.dispatchEvent({ ...event, preventDefault() {}, stopPropagation() {} } as never);
  }
}
