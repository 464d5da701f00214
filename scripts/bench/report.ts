// Figures, targets and the comparison with a previous run: the JSON file, the
// table in docs/benchmarks.md (between the bench:results markers) and the console.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

type Stat = 'median' | 'p95' | 'max' | 'value';
export type Target = { stat: Stat; op: '<=' | '>='; value: number };
type Unit = 'ms' | 's' | 'kB' | 'MB' | '×' | 'score' | 'errors';
/** A figure may have several targets (open a case: median and p95); it passes when it meets them all. */
type Def = { id: string; label: string; unit: Unit; targets?: Target[]; note?: string };

const at = (stat: Stat, value: number, op: Target['op'] = '<='): Target[] => [{ stat, op, value }];

/** Every figure the benchmark reports, in table order. Targets are issue 14's. */
export const MEASURES: Def[] = [
  { id: 'bundle.firstLoad', label: 'First-load JS (the lock screen), gzip (production build)', unit: 'kB', targets: at('value', 120) },
  { id: 'seed', label: 'Seeding the cases (not throttled)', unit: 's' },
  { id: 'start.cold', label: 'Cold start (empty cache) → first screen usable', unit: 'ms' },
  { id: 'start.warm', label: 'Warm start (service worker) → first screen usable', unit: 'ms', targets: at('median', 1000) },
  { id: 'unlock.list', label: 'Unlock (tap Sign in) → case list usable', unit: 'ms', targets: at('median', 1000) },
  { id: 'list.render', label: 'Case list render (tap back to the list)', unit: 'ms', targets: at('median', 50) },
  { id: 'list.scroll', label: 'List scroll step (wheel → rows painted)', unit: 'ms' },
  { id: 'list.scrollFrame', label: 'Frame interval while scrolling', unit: 'ms' },
  { id: 'longtask.scroll', label: '… longest main-thread task while scrolling', unit: 'ms', targets: at('value', 100) },
  { id: 'search.mrn', label: 'Search by MRN (input → updated list)', unit: 'ms', targets: at('p95', 40) },
  { id: 'search.name', label: 'Search by patient name (input → updated list)', unit: 'ms', targets: at('p95', 40) },
  { id: 'search.floorMrn', label: 'Search floor by MRN (same blind-index reads, rows painted with plain DOM)', unit: 'ms' },
  { id: 'search.floorName', label: 'Search floor by name (same blind-index reads, rows painted with plain DOM)', unit: 'ms' },
  { id: 'search.ratioMrn', label: 'Search by MRN ÷ its floor (p95s)', unit: '×', targets: at('value', 1.5) },
  { id: 'search.ratioName', label: 'Search by name ÷ its floor (p95s)', unit: '×', targets: at('value', 1.5) },
  { id: 'longtask.search', label: '… longest main-thread task while typing a search', unit: 'ms', targets: at('value', 100) },
  { id: 'case.open', label: 'Open a case (tap row → case page)', unit: 'ms', targets: [...at('median', 60), ...at('p95', 100)] },
  { id: 'longtask.open', label: '… longest main-thread task while opening a case (tap → 3 s after)', unit: 'ms' },
  { id: 'queue.show', label: 'Sign-off queue shown (tap "Waiting for my sign-off" → its rows)', unit: 'ms', targets: at('median', 200) },
  { id: 'checklist.tick', label: 'Tick a checklist item (tap → tick shown, saving)', unit: 'ms', targets: at('p95', 33) },
  { id: 'checklist.tickStored', label: '… and stored (tap → "Ticked by" shown, checklist takes input again)', unit: 'ms', targets: at('p95', 100) },
  { id: 'longtask.tick', label: '… longest main-thread task while ticking', unit: 'ms', targets: at('value', 100) },
  { id: 'stage.save', label: 'Save a stage form (tap Save → "Saved")', unit: 'ms', targets: at('median', 100) },
  { id: 'longtask.save', label: '… longest main-thread task while saving (tap → "Saved")', unit: 'ms' },
  { id: 'pdf', label: 'PDF of a closed case (tap → "PDF downloaded")', unit: 'ms', targets: at('p95', 1000) },
  { id: 'dashboard.show', label: 'Dashboard shown (tap Dashboard → its figures), after a fresh sign-in', unit: 'ms', targets: at('median', 300) },
  { id: 'registry.csv', label: 'Registry CSV, all cases (tap → file handed over)', unit: 'ms', targets: at('median', 3000) },
  { id: 'labSettings.inUse', label: 'Lab settings "in use" (tap Lab settings → every "Used by" line shown), after a fresh sign-in', unit: 'ms', targets: at('median', 100) },
  { id: 'dashboard.readKept', label: '… dashboard data layer: the kept totals (one row per day of opening)', unit: 'ms' },
  { id: 'dashboard.readEvery', label: '… dashboard data layer: totals summed from every case row (as before)', unit: 'ms' },
  { id: 'labSettings.readIndex', label: '… "in use" data layer: the kept counts (one row per token)', unit: 'ms' },
  { id: 'labSettings.readEvery', label: '… "in use" data layer: every case read (as before)', unit: 'ms' },
  { id: 'backup.export', label: 'Backup export, all cases (tap → file saved)', unit: 'ms', targets: at('median', 5000) },
  { id: 'backup.workerBusy', label: '… its rows read, written and hashed in a worker: the worker\'s busy time, not throttled', unit: 'ms' },
  { id: 'backup.workerOwn', label: '… … of which its own work, not waiting for IndexedDB (×4 on the tablet profile)', unit: 'ms' },
  { id: 'longtask.backup', label: '… longest main-thread task while making a backup (tap → "Backup saved")', unit: 'ms' },
  { id: 'backup.restore', label: 'Restore onto a wiped tablet (check + write)', unit: 'ms', targets: at('median', 20_000) },
  { id: 'restore.check', label: '… of which checking the file and preview', unit: 'ms' },
  { id: 'restore.apply', label: '… of which writing it (tap Restore → lock screen)', unit: 'ms' },
  { id: 'restore.workerBusy', label: '… signature checks and history opened in workers meanwhile: their busy time, all workers together, not throttled', unit: 'ms' },
  { id: 'restore.firstUnlock', label: 'First unlock after a restore → case list usable (rows and count line)', unit: 'ms', targets: at('median', 1000) },
  { id: 'restore.indexed', label: '… and every case indexed behind the list (tap Sign in → indexing notice gone)', unit: 'ms' },
  { id: 'heap.used', label: 'JS heap after scrolling the whole list and opening 50 cases (after GC)', unit: 'MB', targets: at('value', 80) },
  { id: 'model.view', label: '50 MB STL viewable (tap "View in 3D" → first frame drawn)', unit: 'ms', targets: at('median', 3000) },
  { id: 'model.longestTask', label: '… longest main-thread task meanwhile', unit: 'ms', targets: at('p95', 200) },
  { id: 'query.pageApp', label: 'List query without a search, data layer (count + first 50 rows)', unit: 'ms' },
  { id: 'query.pageBare', label: 'Same query, bare IndexedDB count + cursor', unit: 'ms' },
  { id: 'query.pageRatio', label: 'Data layer ÷ bare cursor (medians)', unit: '×', targets: at('value', 2) },
  { id: 'query.app', label: 'List query while searching, data layer (all ids + 50 rows)', unit: 'ms' },
  { id: 'query.bare', label: 'Same query, bare IndexedDB cursor', unit: 'ms' },
  { id: 'query.bareGetAll', label: 'Same query, bare IndexedDB getAllKeys + getAll', unit: 'ms' },
  { id: 'query.ratio', label: 'Data layer ÷ bare cursor (medians)', unit: '×', targets: at('value', 2) },
  { id: 'query.ratioGetAll', label: 'Data layer ÷ bare getAllKeys + getAll (medians)', unit: '×' },
  { id: 'lighthouse.performance', label: 'Lighthouse performance', unit: 'score', targets: at('value', 97, '>=') },
  { id: 'lighthouse.accessibility', label: 'Lighthouse accessibility', unit: 'score', targets: at('value', 100, '>=') },
  { id: 'lighthouse.bestPractices', label: 'Lighthouse best practices', unit: 'score', targets: at('value', 95, '>=') },
  { id: 'installability', label: 'Installability errors (Page.getInstallabilityErrors)', unit: 'errors', targets: at('value', 0) },
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
  targets: Target[];
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

/** Null when there is no target or a figure a target needs is missing; else whether every target is met. */
export const judge = (targets: readonly Target[], f: Pick<Figure, 'median' | 'p95' | 'max' | 'value'>): boolean | null => {
  let pass: boolean | null = null;
  for (const t of targets) {
    const x = f[t.stat];
    if (x === null) return null;
    const ok = t.op === '<=' ? x <= t.value : x >= t.value;
    pass = (pass ?? true) && ok;
  }
  return pass;
};

/** Figures from samples (ms per measure id) and single values. */
export function figures(samples: Record<string, number[]>, values: Record<string, number | null>): Figure[] {
  const out: Figure[] = [];
  for (const d of MEASURES) {
    const xs = samples[d.id];
    const v = values[d.id];
    let f: Figure;
    if (xs?.length) {
      f = { id: d.id, label: d.label, unit: d.unit, n: xs.length, median: round(median(xs)), p95: round(percentile(xs, 95)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), value: null, targets: d.targets ?? [], pass: null, samples: xs };
    } else if (v !== undefined && v !== null) {
      f = { id: d.id, label: d.label, unit: d.unit, n: 1, median: null, p95: null, min: null, max: null, value: round(v), targets: d.targets ?? [], pass: null };
    } else continue;
    f.pass = judge(d.targets ?? [], f);
    out.push(f);
  }
  return out;
}

const unitText = (unit: string) => (unit === 'score' || unit === 'errors' ? '' : unit === '×' ? '×' : ` ${unit}`);
const show = (x: number | null, unit: string) => (x === null ? '—' : `${x.toLocaleString('en-US')}${unitText(unit)}`);
const oneTarget = (t: Target, unit: string) => `${t.stat === 'value' ? '' : `${t.stat} `}${t.op === '<=' ? '≤' : '≥'} ${t.value.toLocaleString('en-US')}${unitText(unit)}`;
// Runs written before a figure could have several targets have `target`.
const targetsOf = (f: Figure & { target?: Target | null }) => f.targets ?? (f.target ? [f.target] : []);
const targetText = (f: Figure) => targetsOf(f).map((t) => oneTarget(t, f.unit)).join(', ') || '—';
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

/** Puts a section (starting with `start`, ending with `end`) into the Markdown file, between those markers (or at its end). */
export function replaceSection(old: string, section: string, start = START, end = END): string {
  const a = old.indexOf(start);
  const b = old.indexOf(end);
  return a >= 0 && b > a ? old.slice(0, a) + section + old.slice(b + end.length) : `${old.trimEnd()}\n\n${section}\n`;
}

export async function writeMarkdown(path: string, section: string, start = START, end = END): Promise<void> {
  const old = existsSync(path) ? await readFile(path, 'utf8') : '# Benchmarks\n';
  await writeFile(path, replaceSection(old, section, start, end));
}

// Growth: one row per case count, each from the last run with that many cases. The rows
// live in benchmarks-growth.json next to benchmarks.json; the table is made from them.
export const GROWTH_START = '<!-- bench:growth:start -->';
export const GROWTH_END = '<!-- bench:growth:end -->';
const GROWTH_COLUMNS: { id: string; stat: Exclude<Stat, 'max'>; head: string }[] = [
  { id: 'list.render', stat: 'median', head: 'List render, median' },
  { id: 'search.mrn', stat: 'p95', head: 'Search MRN, p95' },
  { id: 'search.name', stat: 'p95', head: 'Search name, p95' },
  { id: 'case.open', stat: 'median', head: 'Open, median' },
  { id: 'case.open', stat: 'p95', head: 'Open, p95' },
  { id: 'checklist.tick', stat: 'p95', head: 'Tick shown, p95' },
  { id: 'checklist.tickStored', stat: 'p95', head: 'Tick stored, p95' },
  { id: 'dashboard.show', stat: 'median', head: 'Dashboard, median' },
  { id: 'heap.used', stat: 'value', head: 'JS heap' },
];
/** What must stay within 1.5× of its 10,000-case figure at 100,000 cases (issue 14). */
const GROWTH_BOUNDED = GROWTH_COLUMNS.slice(0, 5);
export const GROWTH_BASE = 10_000;

export type GrowthRow = { cases: number; date: string; load: string; command: string; figures: Record<string, { unit: string; median: number | null; p95: number | null; value: number | null }> };

/** The rows with this run's row put in (replacing the one with the same case count), by case count. Unchanged when the run measured none of the growth figures. */
export function mergeGrowth(rows: readonly GrowthRow[], r: BenchResult): GrowthRow[] {
  const ids = new Set(GROWTH_COLUMNS.map((c) => c.id));
  const figs = r.figures.filter((f) => ids.has(f.id));
  if (!figs.length) return [...rows];
  const cases = Number(r.settings.cases);
  const row: GrowthRow = { cases, date: r.date, load: String(r.machine.loadMean ?? r.machine.loadStart), command: r.command, figures: Object.fromEntries(figs.map((f) => [f.id, { unit: f.unit, median: f.median, p95: f.p95, value: f.value }])) };
  return [...rows.filter((x) => x.cases !== cases), row].sort((a, b) => a.cases - b.cases);
}

const growthCell = (row: GrowthRow, c: (typeof GROWTH_COLUMNS)[number]) => {
  const f = row.figures[c.id];
  return f ? show(f[c.stat], f.unit) : '—';
};

/** The worst of list, search and open against the 10,000-case row (issue 14: within 1.5× at 100,000). */
function againstBase(row: GrowthRow, base: GrowthRow | undefined): string {
  if (!base || base === row) return '—';
  const ratios = GROWTH_BOUNDED.flatMap((c) => {
    const a = base.figures[c.id]?.[c.stat];
    const b = row.figures[c.id]?.[c.stat];
    return a && b !== null && b !== undefined ? [b / a] : [];
  });
  return ratios.length ? `${round(Math.max(...ratios))}×` : '—';
}

export function growthSection(rows: readonly GrowthRow[]): string {
  const base = rows.find((r) => r.cases === GROWTH_BASE);
  const cols = ['Cases', ...GROWTH_COLUMNS.map((c) => c.head), 'Worst of list/search/open ÷ 10,000 cases', 'Run (load)'];
  return [
    GROWTH_START,
    '## Growth',
    '',
    'Written by `npm run bench -- --cases N --out docs`: each row is the last run with that many cases (a run with another count leaves the other rows alone). Issue 14: at 100,000 cases list, search and open stay within 1.5× of their 10,000-case figures, and the heap under 80 MB.',
    '',
    `| ${cols.join(' | ')} |`,
    `| ${cols.map((_, i) => (i === 0 ? '---:' : i === cols.length - 1 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${[row.cases.toLocaleString('en-US'), ...GROWTH_COLUMNS.map((c) => growthCell(row, c)), againstBase(row, base), `${row.date.slice(0, 16).replace('T', ' ')} (${row.load})`].join(' | ')} |`),
    '',
    GROWTH_END,
  ].join('\n');
}

export async function readGrowth(path: string): Promise<GrowthRow[]> {
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as GrowthRow[]) : [];
}

export async function readResult(path: string): Promise<BenchResult | null> {
  if (!existsSync(path)) return null;
  const r = JSON.parse(await readFile(path, 'utf8')) as BenchResult;
  return r.format === 'printpath-bench' ? r : null;
}
