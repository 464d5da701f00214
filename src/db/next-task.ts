/**
 * Resolves in a new task, after what the browser has queued meanwhile (a tap, a frame): long
 * work split by it never holds the page for its whole length. A message, not a timer: timers
 * are clamped in nested loops and slowed in hidden pages.
 */
export function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
