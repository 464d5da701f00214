// Hybrid logical clock (Kulkarni et al., 2014): a wall-clock time that never runs
// backwards on one device and, once devices exchange entries, orders an entry after
// every entry its author had seen, even when their clocks disagree. Written as one
// string that sorts as it compares: 15-digit milliseconds, 5-digit counter, device id.
// Pure: the time and the device are passed in.

export type Hlc = string;

const MS = 15;
const COUNTER = 5;

export function formatHlc(ms: number, counter: number, node: string): Hlc {
  return `${String(ms).padStart(MS, '0')}-${String(counter).padStart(COUNTER, '0')}-${node}`;
}

export function parseHlc(hlc: string): { ms: number; counter: number; node: string } | null {
  const m = /^(\d{15})-(\d{5})-(.+)$/.exec(hlc);
  return m ? { ms: Number(m[1]), counter: Number(m[2]), node: m[3]! } : null;
}

/** The clock of a new local event, after `last` (the latest clock this device has made or seen). */
export function nextHlc(last: Hlc | null | undefined, nowMs: number, node: string): Hlc {
  const prev = last ? parseHlc(last) : null;
  if (!prev || nowMs > prev.ms) return formatHlc(nowMs, 0, node);
  return formatHlc(prev.ms, prev.counter + 1, node);
}

/** Orders clocks: negative, zero or positive, like a sort comparator. */
export const compareHlc = (a: Hlc, b: Hlc): number => (a < b ? -1 : a > b ? 1 : 0);
