// `--profile`: a CPU profile of the page (Chrome DevTools Protocol Profiler) over
// each phase, its self time summed by original source file and by function through
// the benchmark build's hidden source maps. For finding what dominates a slow
// figure; the profiler's overhead makes that run's figures a little slower.
import { SourceMap } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
export type CpuProfile = { nodes: { id: number; callFrame: CallFrame; children?: number[] }[]; samples?: number[]; timeDeltas?: number[] };

const maps = new Map<string, SourceMap | null>();
function mapFor(distDir: string, url: string): SourceMap | null {
  if (!maps.has(url)) {
    const file = join(distDir, new URL(url).pathname);
    const path = `${file}.map`;
    maps.set(url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null);
  }
  return maps.get(url)!;
}

/** "src/db/backup.ts", "zod", "@noble/hashes"… from a source map's source path. */
function origin(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = source.slice(nm + 13).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = source.indexOf('src/');
  return src >= 0 ? source.slice(src) : source;
}

function nameOf(f: CallFrame, distDir: string): { file: string; fn: string } {
  let file = f.url ? new URL(f.url).pathname : `(native) ${f.functionName || '(anonymous)'}`;
  let fn = f.functionName || '(anonymous)';
  if (f.url.startsWith('http')) {
    const entry = mapFor(distDir, f.url)?.findEntry(f.lineNumber, f.columnNumber) as { originalSource?: string; name?: string } | undefined;
    if (entry?.originalSource) {
      file = origin(entry.originalSource);
      fn = `${entry.name ?? fn} (${file})`;
    }
  }
  return { file, fn };
}

/**
 * Self time (ms) by source file or package and by function, largest first; and the time
 * spent in each of the app's own functions with what it called (each function counted
 * once per sample), which says which of its paths the self time belongs to.
 */
export function summarize(profile: CpuProfile, distDir: string, top = 10): { byFile: [string, number][]; byFunction: [string, number][]; within: [string, number][]; totalMs: number } {
  const byNode = new Map<number, number>();
  (profile.samples ?? []).forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const names = new Map(profile.nodes.map((n) => [n.id, nameOf(n.callFrame, distDir)]));
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  const within = new Map<string, number>();
  let totalMs = 0;
  for (const node of profile.nodes) {
    const ms = byNode.get(node.id) ?? 0;
    if (!ms || node.callFrame.functionName === '(idle)') continue;
    totalMs += ms;
    const { file, fn } = names.get(node.id)!;
    files.set(file, (files.get(file) ?? 0) + ms);
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const name = names.get(id)!;
      if (name.file.startsWith('src/') && !seen.has(name.fn) && nodes.has(id)) seen.add(name.fn);
    }
    for (const fn of seen) within.set(fn, (within.get(fn) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>, n = top) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, Math.round(v)] as [string, number]);
  return { byFile: sorted(files), byFunction: sorted(fns), within: sorted(within, top * 2), totalMs: Math.round(totalMs) };
}

export function formatSummary(name: string, s: ReturnType<typeof summarize>): string {
  const pct = (ms: number) => `${Math.round((ms / Math.max(1, s.totalMs)) * 100)}%`.padStart(4);
  return [
    `${name}: ${s.totalMs} ms busy in the page`,
    '  by source:',
    ...s.byFile.map(([k, v]) => `    ${pct(v)} ${String(v).padStart(7)} ms  ${k}`),
    '  by function:',
    ...s.byFunction.map(([k, v]) => `    ${pct(v)} ${String(v).padStart(7)} ms  ${k}`),
    '  in the app\'s own functions, with what they called:',
    ...s.within.map(([k, v]) => `    ${pct(v)} ${String(v).padStart(7)} ms  ${k}`),
  ].join('\n');
}
