// Figures, targets and the comparison with a previous run: the JSON file, the
// table in docs/benchmarks.md (between the bench:results markers) and the console.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

type Stat = 'median' | 'p95' | 'value';
export type Target = { stat: Stat; op: '<=' | '>='; value: number };
type Def = { id: string; label: string; unit: 'ms' | 's' | 'kB' | '×' | 'score' | 'errors'; target?: Target; note?: string };

/** Every figure the benchmark reports, in table order. Targets are the issue's. */
export const MEASURES: Def[] = [
  { id: 'bundle.firstLoad', label: 'First-load JS (the lock screen), gzip (production build)', unit: 'kB', target: { stat: 'value', op: '<=', value: 120 } },
  { id: 'seed', label: 'Seeding the cases (not throttled)', unit: 's' },
  { id: 'start.cold', label: 'Cold start (empty cache) → first screen usable', unit: 'ms' },
  { id: 'start.warm', label: 'Warm start (service worker) → first screen usable', unit: 'ms', target: { stat: 'median', op: '<=', value: 1000 } },
  { id: 'unlock.list', label: 'Unlock (tap Sign in) → case list usable', unit: 'ms', target: { stat: 'median', op: '<=', value: 1000 } },
  { id: 'list.render', label: 'Case list render (tap back to the list)', unit: 'ms', target: { stat: 'median', op: '<=', value: 100 } },
  { id: 'list.scroll', label: 'List scroll step (wheel → rows painted)', unit: 'ms' },
  { id: 'list.scrollFrame', label: 'Frame interval while scrolling', unit: 'ms' },
  { id: 'search.mrn', label: 'Search by MRN (input → updated list)', unit: 'ms', target: { stat: 'p95', op: '<=', value: 50 } },
  { id: 'search.name', label: 'Search by patient name (input → updated list)', unit: 'ms', target: { stat: 'p95', op: '<=', value: 50 } },
  { id: 'case.open', label: 'Open a case (tap row → case page)', unit: 'ms', target: { stat: 'median', op: '<=', value: 100 } },
  { id: 'queue.show', label: 'Sign-off queue shown, 10,000 cases (tap "Waiting for my sign-off" → its rows)', unit: 'ms', target: { stat: 'median', op: '<=', value: 200 } },
  { id: 'checklist.tick', label: 'Tick a checklist item (tap → tick shown, saving)', unit: 'ms', target: { stat: 'median', op: '<=', value: 50 } },
  { id: 'checklist.tickStored', label: '… and stored (tap → "Ticked by" shown, checklist takes input again)', unit: 'ms' },
  { id: 'stage.save', label: 'Save a stage form (tap Save → "Saved")', unit: 'ms' },
  { id: 'pdf', label: 'PDF of a closed case (tap → "PDF downloaded")', unit: 'ms', target: { stat: 'median', op: '<=', value: 1500 } },
  { id: 'backup.export', label: 'Backup export, all cases (tap → file saved)', unit: 'ms', target: { stat: 'median', op: '<=', value: 10_000 } },
  { id: 'backup.restore', label: 'Restore onto a wiped tablet (check + restore)', unit: 'ms' },
  { id: 'restore.check', label: '… of which checking the file and preview', unit: 'ms' },
  { id: 'restore.apply', label: '… of which writing it (tap Restore → lock screen)', unit: 'ms' },
  { id: 'restore.workerBusy', label: '… signature checks in workers meanwhile: their busy time, all workers together, not throttled', unit: 'ms' },
  { id: 'restore.firstUnlock', label: 'First unlock after a restore → case list usable', unit: 'ms' },
  { id: 'model.view', label: '50 MB STL viewable (tap "View in 3D" → first frame drawn)', unit: 'ms', target: { stat: 'median', op: '<=', value: 3000 } },
  { id: 'model.longestTask', label: '… longest main-thread task meanwhile', unit: 'ms', target: { stat: 'p95', op: '<=', value: 200 } },
  { id: 'query.pageApp', label: 'List query without a search, data layer (count + first 50 rows)', unit: 'ms' },
  { id: 'query.pageBare', label: 'Same query, bare IndexedDB count + cursor', unit: 'ms' },
  { id: 'query.pageRatio', label: 'Data layer ÷ bare cursor (medians)', unit: '×', target: { stat: 'value', op: '<=', value: 2 } },
  { id: 'query.app', label: 'List query while searching, data layer (all ids + 50 rows)', unit: 'ms' },
  { id: 'query.bare', label: 'Same query, bare IndexedDB cursor', unit: 'ms' },
  { id: 'query.bareGetAll', label: 'Same query, bare IndexedDB getAllKeys + getAll', unit: 'ms' },
  { id: 'query.ratio', label: 'Data layer ÷ bare cursor (medians)', unit: '×', target: { stat: 'value', op: '<=', value: 2 } },
  { id: 'query.ratioGetAll', label: 'Data layer ÷ bare getAllKeys + getAll (medians)', unit: '×' },
  { id: 'lighthouse.performance', label: 'Lighthouse performance', unit: 'score', target: { stat: 'value', op: '>=', value: 95 } },
  { id: 'lighthouse.accessibility', label: 'Lighthouse accessibility', unit: 'score', target: { stat: 'value', op: '>=', value: 100 } },
  { id: 'lighthouse.bestPractices', label: 'Lighthouse best practices', unit: 'score', target: { stat: 'value', op: '>=', value: 95 } },
  { id: 'installability', label: 'Installability errors (Page.getInstallabilityErrors)', unit: 'errors', target: { stat: 'value', op: '<=', value: 0 } },
];

export type Figure = {
  id: string;
  label: string;
  unit: string;
  n: number;
  median: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
  value: number | null;
  target: Target | null;
  pass: boolean | null;
  samples?: number[];
};

export type BenchResult = {
  format: 'printpath-bench';
  version: 1;
  date: string;
  command: string;
  durationSeconds: number;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  figures: Figure[];
  lighthouse: { performance: number; accessibility: number; bestPractices: number; failing: string[]; page: string } | null;
  installability: { errors: unknown[] | null; manifestErrors: unknown[] | null };
  notes: string[];
};

const round = (x: number) => (Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 10) / 10);

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Nearest-rank percentile: with 20 samples, p95 is the 19th smallest. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

const judge = (t: Target | undefined, f: Pick<Figure, 'median' | 'p95' | 'value'>): boolean | null => {
  if (!t) return null;
  const x = f[t.stat];
  if (x === null) return null;
  return t.op === '<=' ? x <= t.value : x >= t.value;
};

/** Figures from samples (ms per measure id) and single values. */
export function figures(samples: Record<string, number[]>, values: Record<string, number | null>): Figure[] {
  const out: Figure[] = [];
  for (const d of MEASURES) {
    const xs = samples[d.id];
    const v = values[d.id];
    let f: Figure;
    if (xs?.length) {
      f = { id: d.id, label: d.label, unit: d.unit, n: xs.length, median: round(median(xs)), p95: round(percentile(xs, 95)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), value: null, target: d.target ?? null, pass: null, samples: xs };
    } else if (v !== undefined && v !== null) {
      f = { id: d.id, label: d.label, unit: d.unit, n: 1, median: null, p95: null, min: null, max: null, value: round(v), target: d.target ?? null, pass: null };
    } else continue;
    f.pass = judge(d.target, f);
    out.push(f);
  }
  return out;
}

const unitText = (unit: string) => (unit === 'score' || unit === 'errors' ? '' : unit === '×' ? '×' : ` ${unit}`);
const show = (x: number | null, unit: string) => (x === null ? '—' : `${x.toLocaleString('en-US')}${unitText(unit)}`);
const targetText = (f: Figure) => (f.target ? `${f.target.stat === 'value' ? '' : `${f.target.stat} `}${f.target.op === '<=' ? '≤' : '≥'} ${f.target.value.toLocaleString('en-US')}${unitText(f.unit)}` : '—');
const passText = (f: Figure) => (f.pass === null ? '—' : f.pass ? 'pass' : 'OVER');
const headline = (f: Figure) => f.value ?? f.median;

function change(f: Figure, prev: Figure | undefined): string {
  if (!prev) return '';
  const a = headline(prev);
  const b = headline(f);
  if (a === null || b === null) return '';
  const d = b - a;
  const pct = a !== 0 ? ` (${d >= 0 ? '+' : ''}${Math.round((d / a) * 100)}%)` : '';
  return `${d >= 0 ? '+' : ''}${round(d).toLocaleString('en-US')}${unitText(f.unit)}${f.unit === 'score' || f.unit === 'errors' ? '' : pct}`;
}

/** The results table, as Markdown, with the previous run's headline figure and the change when given. */
export function markdownTable(r: BenchResult, prev: BenchResult | null): string {
  const before = new Map(prev?.figures.map((f) => [f.id, f]));
  const cols = ['Measure', 'Median', 'p95', 'Samples', 'Target', 'Result', ...(prev ? ['Previous', 'Change'] : [])];
  const lines = [`| ${cols.join(' | ')} |`, `| ${cols.map((c, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`];
  for (const f of r.figures) {
    const p = before.get(f.id);
    const med = f.value !== null ? show(f.value, f.unit) : show(f.median, f.unit);
    const row = [f.label, med, show(f.p95, f.unit), String(f.n), targetText(f), passText(f)];
    if (prev) row.push(p ? show(headline(p), p.unit) : '—', change(f, p) || '—');
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function consoleTable(r: BenchResult, prev: BenchResult | null): string {
  const before = new Map(prev?.figures.map((f) => [f.id, f]));
  const rows = r.figures.map((f) => [f.label, f.value !== null ? show(f.value, f.unit) : show(f.median, f.unit), show(f.p95, f.unit), String(f.n), targetText(f), passText(f), change(f, before.get(f.id))]);
  const head = ['measure', 'median', 'p95', 'n', 'target', 'result', prev ? `vs ${prev.date.slice(0, 16)}` : ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

export function resultsSection(r: BenchResult, prev: BenchResult | null): string {
  const m = r.machine;
  const s = r.settings;
  const failed = r.figures.filter((f) => f.pass === false);
  return [
    START,
    '## Latest run',
    '',
    `- **Date:** ${r.date} (took ${Math.round(r.durationSeconds / 6) / 10} min)`,
    `- **Command:** \`${r.command}\``,
    `- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM; ${m.os}; Node ${m.node}; Chromium ${m.chromium}; Playwright ${m.playwright}; Lighthouse ${m.lighthouse}`,
    `- **Load average (1 min) at start / end / mean over the run:** ${m.loadStart} / ${m.loadEnd} / ${m.loadMean ?? '—'} (on ${m.cores} cores: above ${m.cores}, other work was competing for the CPU)`,
    `- **Settings:** ${Number(s.cases).toLocaleString('en-US')} cases, CPU throttled ${s.cpuThrottle}× (CDP), viewport ${s.viewport}, ${s.samples} samples per measure (backup and restore: ${s.longSamples}; scroll: one per wheel step)`,
    prev ? `- **Compared with:** the run of ${prev.date} (${prev.machine.cpu}, load ${prev.machine.loadMean ?? prev.machine.loadStart})` : '- **Compared with:** no previous run',
    '',
    markdownTable(r, prev),
    '',
    failed.length ? `**Over target:** ${failed.map((f) => f.label).join('; ')}.` : '**Every figure with a target is within it.**',
    '',
    ...(r.lighthouse ? [`Lighthouse audited ${r.lighthouse.page}. Audits below 0.9: ${r.lighthouse.failing.length ? r.lighthouse.failing.join(', ') : 'none'}.`, ''] : []),
    `Installability (\`Page.getInstallabilityErrors\`): ${r.installability.errors === null ? 'not checked' : r.installability.errors.length ? JSON.stringify(r.installability.errors) : 'no errors'}; manifest errors: ${r.installability.manifestErrors?.length ? JSON.stringify(r.installability.manifestErrors) : 'none'}.`,
    '',
    ...(r.notes.length ? ['Notes from this run:', '', ...r.notes.map((n) => `- ${n}`), ''] : []),
    END,
  ].join('\n');
}

/** Puts the results section into the Markdown file, between its markers (or at its end). */
export async function writeMarkdown(path: string, section: string): Promise<void> {
  const old = existsSync(path) ? await readFile(path, 'utf8') : '# Benchmarks\n';
  const a = old.indexOf(START);
  const b = old.indexOf(END);
  const next = a >= 0 && b > a ? old.slice(0, a) + section + old.slice(b + END.length) : `${old.trimEnd()}\n\n${section}\n`;
  await writeFile(path, next);
}

export async function readResult(path: string): Promise<BenchResult | null> {
  if (!existsSync(path)) return null;
  const r = JSON.parse(await readFile(path, 'utf8')) as BenchResult;
  return r.format === 'printpath-bench' ? r : null;
}
