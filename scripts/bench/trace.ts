// `--trace`: a Chrome trace (CDP Tracing) around one measured action, and what ran in each
// long task of the page's main thread (and of its workers): the nested trace events of at
// least a few milliseconds, so a long task is attributed to script evaluation, a WebGL
// call, a React commit… rather than guessed from a sampled CPU profile.
import type { CDPSession } from '@playwright/test';

type TraceEvent = { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> };

const CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink', 'blink.user_timing', 'gpu', 'loading'];

export async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordContinuously' }, transferMode: 'ReturnAsStream' });
}

export async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream!)));
  await cdp.send('Tracing.end');
  const stream = await done;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

const TOP = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

function detail(e: TraceEvent): string {
  const data = (e.args?.['data'] ?? e.args?.['beginData'] ?? {}) as Record<string, unknown>;
  const bits = [data['type'], data['functionName'], data['url'] ?? data['fileName'], data['name']].filter((b) => typeof b === 'string' && b) as string[];
  return bits.map((b) => b.replace(/^https?:\/\/[^/]+/, '').slice(0, 90)).join(' ');
}

/** Each task over `overMs` on the page's threads, with its nested events over `minMs`, times from `t0` (µs, trace clock). */
export function longTaskReport(events: TraceEvent[], t0: number, overMs = 100, minMs = 8): string[] {
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, String((e.args as { name?: string } | undefined)?.name ?? ''));
  const pageThreads = new Set([...names].filter(([, n]) => n === 'CrRendererMain' || n === 'DedicatedWorker thread').map(([k]) => k));
  const spans = events.filter((e) => e.ph === 'X' && e.dur !== undefined && e.ts >= t0 && pageThreads.has(`${e.pid}:${e.tid}`));
  const lines: string[] = [];
  const tops = spans.filter((e) => TOP.has(e.name) && e.dur! >= overMs * 1000).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // A task runner's RunTask nests in the thread controller's: one line per task.
  const outer = tops.filter((t, i) => !tops.slice(0, i).some((o) => o.pid === t.pid && o.tid === t.tid && o.ts <= t.ts && o.ts + o.dur! >= t.ts + t.dur!));
  for (const task of outer) {
    const key = `${task.pid}:${task.tid}`;
    lines.push(`${names.get(key)} task at ${Math.round((task.ts - t0) / 1000)} ms, ${Math.round(task.dur! / 1000)} ms:`);
    const inner = spans.filter((e) => `${e.pid}:${e.tid}` === key && e !== task && e.ts >= task.ts && e.ts + e.dur! <= task.ts + task.dur! && e.dur! >= minMs * 1000 && !TOP.has(e.name)).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    const stack: TraceEvent[] = [];
    for (const e of inner.slice(0, 60)) {
      while (stack.length && stack.at(-1)!.ts + stack.at(-1)!.dur! <= e.ts) stack.pop();
      lines.push(`  ${'  '.repeat(stack.length)}${Math.round(e.dur! / 1000)} ms ${e.name} ${detail(e)}`.trimEnd());
      stack.push(e);
    }
  }
  return lines;
}

/** The trace clock (µs) of the first click dispatched on the page, or of the trace's first event. */
export function clickTs(events: TraceEvent[]): number {
  const click = events.find((e) => e.name === 'EventDispatch' && (e.args?.['data'] as { type?: string } | undefined)?.type === 'click');
  return click?.ts ?? Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
}
