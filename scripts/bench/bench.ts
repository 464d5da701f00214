// `npm run bench`: builds the app, serves it, seeds the cases, measures in Debian's
// Chromium (scripts/bench/phases.ts), runs Lighthouse, then writes the figures to
// docs/benchmarks.json and docs/benchmarks.md and prints them against their targets
// and the previous run. See docs/benchmarks.md for what each figure means. Each run
// also puts its row in the growth table (docs/benchmarks.md "Growth", keyed by the
// case count); a run of another count than 10,000 with `--out docs` writes only that row.
//
//   npm run bench                      the full run (10,000 cases, 20 samples)
//   npm run bench -- --quick           1,000 cases, 5 samples, written to bench-results/
//   npm run bench -- --compare a.json [b.json]   compare two runs without running
//
// Other options: --cases N, --samples N, --long-samples N, --out DIR, --port N
// (default 4191: not 4190, a port browsers refuse), --skip-build, --no-lighthouse,
// --reuse-profile (keep the seeded profile of an earlier run with the same case
// count) and --only cold,warm,query,list,search,open,edit,pdf,aggregates,heap,backup,restore,queue: for
// working on the harness only; --profile: a CPU profile of each phase, summed by
// source file and function, in bench-results/profiles.txt (what dominates); --trace: a
// Chrome trace of each 3D-view opening and of ticking, typing and scrolling, each long task broken down by what ran in it.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { runLighthouse, type LighthouseScores } from './lighthouse';
import { runModelPhase } from './model-view';
import { CPU_THROTTLE, runBrowserPhases, VIEWPORT, type BrowserFacts, type Samples } from './phases';
import { consoleTable, figures, GROWTH_BASE, GROWTH_END, GROWTH_START, growthSection, median, mergeGrowth, percentile, readGrowth, readResult, resultsSection, writeMarkdown, type BenchResult } from './report';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORK = join(ROOT, 'bench-results');
const VITE = join(ROOT, 'node_modules/vite/bin/vite.js');

type Args = {
  cases: number;
  samples: number;
  longSamples: number;
  out: string;
  port: number;
  build: boolean;
  lighthouse: boolean;
  reuseProfile: boolean;
  only: Set<string> | null;
  profile: boolean;
  trace: boolean;
  compare: string[] | null;
};

function parseArgs(argv: string[]): Args {
  const quick = argv.includes('--quick');
  const a: Args = { cases: quick ? 1000 : 10_000, samples: quick ? 5 : 20, longSamples: quick ? 2 : 3, out: quick ? WORK : join(ROOT, 'docs'), port: 4191, build: true, lighthouse: true, reuseProfile: false, only: null, profile: false, trace: false, compare: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') continue;
    else if (arg === '--cases') a.cases = Number(next());
    else if (arg === '--samples') a.samples = Number(next());
    else if (arg === '--long-samples') a.longSamples = Number(next());
    else if (arg === '--out') a.out = resolve(next());
    else if (arg === '--port') a.port = Number(next());
    else if (arg === '--skip-build') a.build = false;
    else if (arg === '--no-lighthouse') a.lighthouse = false;
    else if (arg === '--reuse-profile') a.reuseProfile = true;
    else if (arg === '--only') a.only = new Set(next().split(','));
    else if (arg === '--profile') a.profile = true;
    else if (arg === '--trace') a.trace = true;
    else if (arg === '--compare') a.compare = argv.slice(i + 1);
    else throw new Error(`unknown option ${arg} (see the top of scripts/bench/bench.ts)`);
    if (a.compare) break;
  }
  return a;
}

const log = (line: string) => console.log(`[bench] ${line}`);

function run(cmd: string, args: string[], quiet = true): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    // Vite's module runner, which loaded this file, set NODE_ENV=development: a build must not inherit it.
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (!quiet) process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${out.slice(-3000)}`))));
  });
}

async function serve(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [VITE, 'preview', '--outDir', dir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited ${child.exitCode}: ${err}`);
    try {
      if ((await fetch(url)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error(`vite preview did not answer on ${url}: ${err}`);
}

async function machine(): Promise<Record<string, string | number>> {
  const osRelease = existsSync('/etc/os-release') ? (/PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? '') : '';
  const version = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osRelease} (Linux ${release()})`.trim(),
    node: process.version,
    chromium: (await run(CHROMIUM_PATH, ['--version']).catch(() => '')).replace(/^Chromium\s*/, '').split('\n')[0]!.trim(),
    playwright: version('@playwright/test'),
    lighthouse: version('lighthouse'),
    loadStart: loadavg()[0]!.toFixed(2),
  };
}

/** The production build's first-load JavaScript, by scripts/check-bundle.mjs; and no benchmark code in it. */
async function firstLoadKb(dir: string): Promise<number> {
  const out = await run(process.execPath, [join(ROOT, 'scripts/check-bundle.mjs'), dir]).catch((e: Error) => e.message);
  const kb = /First-load JavaScript: ([\d.]+) kB/.exec(out)?.[1];
  if (!kb || /benchmark code/.test(out)) throw new Error(`check-bundle:\n${out}`);
  return Number(kb);
}

async function compareOnly(paths: string[]) {
  const [a, b] = paths.length >= 2 ? paths : [paths[0], join(ROOT, 'docs/benchmarks.json')];
  if (!a) throw new Error('--compare needs one or two JSON files');
  const prev = await readResult(resolve(a));
  const cur = await readResult(resolve(b!));
  if (!prev || !cur) throw new Error('not a benchmark JSON file');
  console.log(`${b} (${cur.date}) against ${a} (${prev.date})\n`);
  console.log(consoleTable(cur, prev));
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.compare) return compareOnly(args.compare);
  const started = Date.now();
  const loads: number[] = [];
  const loadTimer = setInterval(() => loads.push(loadavg()[0]!), 10_000).unref();
  await mkdir(WORK, { recursive: true });
  await mkdir(args.out, { recursive: true });
  // docs/ holds the 10,000-case run; a run with another count into docs/ only updates its row of the growth table.
  const growthOnly = args.out === join(ROOT, 'docs') && args.cases !== GROWTH_BASE;
  const jsonPath = growthOnly ? join(WORK, `benchmarks-${args.cases}.json`) : join(args.out, 'benchmarks.json');
  const mdPath = join(args.out, 'benchmarks.md');
  const growthPath = join(args.out, 'benchmarks-growth.json');
  const prev = await readResult(jsonPath);
  const info = await machine();
  log(`${info.cpu}, ${info.cores} cores, load ${info.loadStart}; ${args.cases} cases, ${args.samples} samples`);

  const distBench = join(WORK, 'dist');
  const distProd = join(WORK, 'dist-prod');
  const values: Record<string, number | null> = {};
  if (args.build) {
    const t = Date.now();
    await run(process.execPath, [VITE, 'build', '--outDir', distProd, '--emptyOutDir', '--logLevel', 'warn']);
    // Hidden source maps (no comment in the code, not precached) serve --profile.
    await run(process.execPath, [VITE, 'build', '--mode', 'bench', '--sourcemap', 'hidden', '--outDir', distBench, '--emptyOutDir', '--logLevel', 'warn']);
    log(`built (production and bench) in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  if (existsSync(distProd)) values['bundle.firstLoad'] = await firstLoadKb(distProd);

  const server = await serve(args.port, distBench);
  const base = `http://127.0.0.1:${args.port}`;
  let samples: Samples = {};
  let facts: BrowserFacts | null = null;
  let lh: LighthouseScores | null = null;
  const profileDir = join(WORK, `profile-${args.cases}`);
  const notes: string[] = [];
  try {
    const phaseOptions = {
      base,
      cases: args.cases,
      samples: args.samples,
      longSamples: args.longSamples,
      profileDir,
      workDir: WORK,
      chromiumPath: CHROMIUM_PATH,
      chromiumArgs: CHROMIUM_ARGS,
      reuseProfile: args.reuseProfile,
      only: args.only,
      profile: args.profile,
      trace: args.trace,
      distDir: distBench,
      log,
    };
    ({ samples, facts } = await runBrowserPhases(phaseOptions));
    if (!args.only || args.only.has('model')) {
      log(`50 MB STL in the 3D view ×${args.longSamples}…`);
      await runModelPhase(phaseOptions, (id, ms) => (samples[id] ??= []).push(Math.round(ms * 10) / 10), facts.notes);
    }
    notes.push(...facts.notes);
    if (facts.probeCheck) notes.push(`List-query probe (while searching): ${facts.probeCheck}.`);
    if (facts.pageProbeCheck) notes.push(`List-query probe (first page): ${facts.pageProbeCheck}.`);
    if (args.lighthouse) {
      log('Lighthouse…');
      const t = Date.now();
      lh = await runLighthouse(`${base}/`, { chromiumPath: CHROMIUM_PATH, chromiumArgs: CHROMIUM_ARGS, profileDir, reportPath: join(WORK, 'lighthouse.html') });
      log(`  Lighthouse: ${((Date.now() - t) / 1000).toFixed(0)} s (report: ${lh.reportPath})`);
    }
  } finally {
    server.kill();
  }

  clearInterval(loadTimer);
  values.seed = facts?.seedSeconds ?? null;
  const app = samples['query.app'];
  const bare = samples['query.bare'];
  values['query.ratio'] = app?.length && bare?.length ? median(app) / median(bare) : null;
  const getAll = samples['query.bareGetAll'];
  values['query.ratioGetAll'] = app?.length && getAll?.length ? median(app) / median(getAll) : null;
  // The search floor: the same blind-index reads, the same rows painted with plain DOM, same run.
  for (const [app, floor, id] of [['search.mrn', 'search.floorMrn', 'search.ratioMrn'], ['search.name', 'search.floorName', 'search.ratioName']] as const) {
    const a = samples[app];
    const f = samples[floor];
    values[id] = a?.length && f?.length ? percentile(a, 95) / percentile(f, 95) : null;
  }
  Object.assign(values, facts?.values);
  const pageApp = samples['query.pageApp'];
  const pageBare = samples['query.pageBare'];
  values['query.pageRatio'] = pageApp?.length && pageBare?.length ? median(pageApp) / median(pageBare) : null;
  if (lh) {
    values['lighthouse.performance'] = lh.performance;
    values['lighthouse.accessibility'] = lh.accessibility;
    values['lighthouse.bestPractices'] = lh.bestPractices;
  }
  values.installability = facts?.installabilityErrors ? facts.installabilityErrors.length : null;

  const result: BenchResult = {
    format: 'printpath-bench',
    version: 1,
    date: new Date().toISOString(),
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: { ...info, chromium: facts?.chromium || info.chromium || 'unknown', loadEnd: loadavg()[0]!.toFixed(2), loadMean: (loads.reduce((a, b) => a + b, 0) / Math.max(1, loads.length)).toFixed(2) },
    settings: { cases: facts?.seededCases || args.cases, samples: args.samples, longSamples: args.longSamples, cpuThrottle: CPU_THROTTLE, viewport: `${VIEWPORT.width}×${VIEWPORT.height}`, lighthouse: args.lighthouse },
    figures: figures(samples, values),
    lighthouse: lh ? { performance: lh.performance, accessibility: lh.accessibility, bestPractices: lh.bestPractices, failing: lh.failing, page: 'the lock screen of the seeded tablet, loaded cold (mobile emulation, simulated throttling: Lighthouse defaults)' } : null,
    installability: { errors: facts?.installabilityErrors ?? null, manifestErrors: facts?.manifestErrors ?? null },
    notes,
  };
  // One line per list of numbers (the samples), readable diffs for the rest.
  await writeFile(jsonPath, `${JSON.stringify(result, null, 1).replace(/\[[\d.,\s-]+\]/g, (list) => list.replace(/\s+/g, ''))}\n`);
  if (!growthOnly) await writeMarkdown(mdPath, resultsSection(result, prev));
  const growth = mergeGrowth(await readGrowth(growthPath), result);
  await writeFile(growthPath, `${JSON.stringify(growth, null, 1)}\n`);
  await writeMarkdown(mdPath, growthSection(growth), GROWTH_START, GROWTH_END);
  console.log(`\n${consoleTable(result, prev)}\n`);
  for (const n of notes) console.log(`note: ${n}`);
  if (lh?.failing.length) console.log(`Lighthouse audits below 0.9: ${lh.failing.join(', ')}`);
  log(`wrote ${jsonPath}, ${growthPath} and ${mdPath}${growthOnly ? ' (its growth row only)' : ''} in ${Math.round(result.durationSeconds / 6) / 10} min`);
}
