/**
 * Resolves once the browser has painted the next frame: work started after it
 * (a write's hashing and encryption) cannot hold back what the user just did
 * from showing. A page hidden meanwhile paints no frames; the write must not
 * wait for it to come back, so 100 ms is the most this waits.
 */
export function afterPaint(): Promise<void> {
  if (typeof requestAnimationFrame !== 'function' || document.visibilityState === 'hidden') return Promise.resolve();
  return new Promise((resolve) => {
    requestAnimationFrame(() => setTimeout(resolve, 0));
    setTimeout(resolve, 100);
  });
}
