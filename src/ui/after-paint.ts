/**
 * Resolves once the browser has painted the next frame: work started after it
 * (a write's hashing and encryption) cannot hold back what the user just did
 * from showing. A hidden page paints no frames, so it does not wait there.
 */
export function afterPaint(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') return Promise.resolve();
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}
