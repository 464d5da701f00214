// The measured sessions in Debian's Chromium: one persistent profile (so the
// seeded tablet survives between phases), a tablet viewport, the CPU throttled 4×
// through the Chrome DevTools Protocol for everything that is measured. Every
// step drives the UI by role and label, like tests/e2e/support/app.ts.
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countText, firstScreenMs, installProbes, timed } from './page-probes';
import { formatSummary, summarize, type CpuProfile } from './profile';
import { longTaskReport, startTrace, stopTrace } from './trace';

export const ADMIN = 'Hanna Lindqvist';
export const ADMIN_PIN = '731902';
export const VIEWPORT = { width: 820, height: 1180 }; // iPad Air, portrait
export const CPU_THROTTLE = 4;
/** Cases made to wait for sign-off for the queue measure (the queue screen shows the 25 most urgent first). */
const QUEUE_WAITING = 100;
const DEMO_RAD = 'Dr. Priya Raman';
const DEMO_PIN = '246810';

export type BenchOptions = {
  base: string;
  cases: number;
  /** Samples per measure. */
  samples: number;
  /** Samples for the measures that take seconds each (backup, restore). */
  longSamples: number;
  profileDir: string;
  workDir: string;
  chromiumPath: string;
  chromiumArgs: string[];
  /** Keep a profile seeded by an earlier run with the same case count (for working on the harness only). */
  reuseProfile: boolean;
  /** Run only these phases (cold, warm, query, list, search, open, edit, pdf, aggregates, heap, backup, restore, queue, model); null for all. */
  only: Set<string> | null;
  /** Profile each phase (CPU, the page) and write what dominates to workDir/profiles.txt. */
  profile: boolean;
  /** Record a Chrome trace of each 3D-view opening and of each long-task probe (ticking, typing, scrolling), and say what each long task was. */
  trace?: boolean;
  /** The served build, for its source maps. */
  distDir: string;
  log: (line: string) => void;
};

export type Samples = Record<string, number[]>;
export type BrowserFacts = {
  chromium: string;
  seedSeconds: number | null;
  seededCases: number;
  installabilityErrors: { errorId: string; errorArguments?: unknown[] }[] | null;
  manifestErrors: unknown[] | null;
  notes: string[];
  probeCheck: string | null;
  pageProbeCheck: string | null;
  /** How many cases waited for sign-off when the queue was measured. */
  queueWaiting?: number;
  /** Single figures measured in the browser (longest tasks, heap), by measure id. */
  values: Record<string, number>;
};

const SEEDED_MARK = 'printpath-bench-seeded.json';

export async function runBrowserPhases(o: BenchOptions): Promise<{ samples: Samples; facts: BrowserFacts }> {
  const samples: Samples = {};
  const record = (id: string, ms: number) => (samples[id] ??= []).push(Math.round(ms * 10) / 10);
  const notes: string[] = [];
  const want = (phase: string) => !o.only || o.only.has(phase);
  const mark = join(o.profileDir, SEEDED_MARK);
  const reuse = o.reuseProfile && existsSync(mark) && (JSON.parse(await readFile(mark, 'utf8')) as { cases: number }).cases === o.cases;
  if (!reuse) await rm(o.profileDir, { recursive: true, force: true });
  if (o.profile) await rm(join(o.workDir, 'profiles.txt'), { force: true });

  const context = await chromium.launchPersistentContext(o.profileDir, {
    executablePath: o.chromiumPath,
    // Smooth scrolling would time the scroll animation rather than the app.
    args: [...o.chromiumArgs, '--disable-smooth-scrolling'],
    viewport: VIEWPORT,
    deviceScaleFactor: 2,
    hasTouch: false,
    serviceWorkers: 'allow',
    acceptDownloads: true,
  });
  const facts: BrowserFacts = { chromium: context.browser()?.version() ?? '', seedSeconds: null, seededCases: 0, installabilityErrors: null, manifestErrors: null, notes, probeCheck: null, pageProbeCheck: null, values: {} };
  try {
    await context.addInitScript(installProbes);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      const t = m.text();
      if (t.startsWith('[bench]')) o.log(`  ${t.slice(8)}`);
      else if (m.type() === 'error' && !/Failed to load resource/.test(t)) o.log(`  page error: ${t}`);
    });
    page.on('pageerror', (e) => o.log(`  page exception: ${e.message}`));
    page.on('download', (d) => void d.path().catch(() => undefined));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const throttle = (rate: number) => cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const origin = new URL(o.base).origin;
    let currentPhase = '';
    /** Stops the CPU profile, writes what dominated it as `name`, and starts the next one unless `next` is false. */
    const writeProfile = async (name: string, next = true) => {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      const text = formatSummary(name, summarize(profile, o.distDir));
      await appendFile(join(o.workDir, 'profiles.txt'), `${text}\n\n`);
      o.log(text.split('\n').slice(0, 8).join('\n[bench] '));
      if (next) await cdp.send('Profiler.start');
    };
    const phase = async (name: string, run: () => Promise<void>) => {
      currentPhase = name;
      const t = Date.now();
      o.log(`${name}…`);
      if (o.profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      try {
        await run();
        if (o.profile) await writeProfile(name, false);
      } catch (e) {
        const shot = join(o.workDir, 'failure.png');
        await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
        throw new Error(`${name} failed (screenshot: ${shot}): ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      o.log(`  ${name}: ${((Date.now() - t) / 1000).toFixed(0)} s`);
    };

    let traces = 0;
    const traceReport = async (what: string, events: Awaited<ReturnType<typeof stopTrace>>, overMs: number) => {
      // The whole trace too, for chrome://tracing or Perfetto: what ran between the long tasks.
      const file = join(o.workDir, `trace-${++traces}.json`);
      await writeFile(file, JSON.stringify(events));
      o.log(`  trace ${what} (${file}), tasks over ${overMs} ms:`);
      for (const line of longTaskReport(events, events.reduce((t0, e) => (e.ts > 0 && e.ts < t0 ? e.ts : t0), Infinity), overMs, 1)) o.log(`    ${line}`);
    };
    /** With --profile and --trace, and `on`: `run` profiled and traced on its own, as `what`. */
    const diagnosed = async (on: boolean, what: string, overMs: number, run: () => Promise<unknown>) => {
      if (on && o.profile) await writeProfile(`${currentPhase}, until "${what}"`);
      if (on && o.trace) await startTrace(cdp);
      await run();
      if (on && o.profile) await writeProfile(what);
      if (on && o.trace) await traceReport(what, await stopTrace(cdp), overMs);
    };
    const longest = new Map<string, { max: number; count: number; note: number }>();
    /**
     * The longest main-thread task while `run` runs, as the figure `id` (0 when none was over 50 ms); called
     * again with the same `id`, the longest of all its calls. The first call is the one profiled and traced.
     */
    const longestTask = async (id: string, what: string, run: () => Promise<void>) => {
      await page.evaluate(() => window.__bt.longTasks.start());
      await diagnosed(!longest.has(id), `while ${what}`, 100, run);
      const now = await page.evaluate(() => window.__bt.longTasks.stop());
      const all = longest.get(id) ?? { max: 0, count: 0, note: notes.push('') - 1 };
      longest.set(id, { ...all, max: Math.max(all.max, now.max), count: all.count + now.count });
      const { max, count } = longest.get(id)!;
      facts.values[id] = Math.round(max * 10) / 10;
      notes[all.note] = `Long tasks (over 50 ms) while ${what}: ${count}${count ? `, the longest ${Math.round(max)} ms` : ''}.`;
    };
    /**
     * The busy time the app's workers marked as `name` since the last call (detail: busyMs, and readMs where the worker
     * waited for IndexedDB): a worker is not slowed by the page's CPU throttle.
     */
    const workerTime = (name: string) =>
      page.evaluate((measure) => {
        const details = performance.getEntriesByName(measure).map((e) => ((e as PerformanceMeasure).detail ?? {}) as { busyMs?: number; readMs?: number });
        performance.clearMeasures(measure);
        const sum = (k: 'busyMs' | 'readMs') => Math.round(details.reduce((n, d) => n + (d[k] ?? 0), 0));
        return { busy: sum('busyMs'), read: sum('readMs') };
      }, name);
    /** The second of a measure's samples (the first also loads its screen's code) is the one profiled and traced. */
    const sample = (what: string, i: number, run: () => Promise<unknown>) => diagnosed(i === 1, `${what}, one sample`, 50, run);
    /** After opening a case: its history's check and what shows below the fold run after the first paint. */
    const SETTLE_MS = 3000;
    /** Locks and signs in again: locking drops every cached read, so the next screen reads afresh. */
    const freshSignIn = async () => {
      // From the list, so the screen measured next is not already on screen after the sign-in.
      await goHome(page);
      await page.getByRole('banner').getByRole('button', { name: 'Lock / switch user' }).click();
      await signIn(page);
    };

    // Setup, not throttled: the lab admin (also a technician, to tick and save) and the cases.
    await phase('setup and seeding', async () => {
      await throttle(1);
      if (reuse) await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
      await page.goto(o.base);
      await firstScreenMs(page);
      if (await page.getByRole('heading', { level: 1, name: 'Set up this tablet' }).isVisible()) {
        const form = page.getByRole('form', { name: 'Create the first lab admin' });
        await form.getByLabel('Your name as printed on signatures').fill(ADMIN);
        await form.getByRole('checkbox', { name: 'I also work cases as a lab technician' }).check();
        await form.getByLabel('Choose a PIN').fill(ADMIN_PIN);
        await form.getByLabel('PIN again').fill(ADMIN_PIN);
        await form.getByRole('button', { name: 'Create lab admin' }).click();
        await signedIn(page);
      } else {
        await signIn(page);
      }
      if (!reuse) {
        const seeded = await hook<{ ms: number; count: number }>(page, 'seed', o.cases, ADMIN_PIN, 500);
        facts.seedSeconds = Math.round(seeded.ms / 100) / 10;
        facts.seededCases = seeded.count;
        await writeFile(mark, JSON.stringify({ cases: o.cases, at: new Date().toISOString() }));
        o.log(`  seeded ${seeded.count} cases in ${facts.seedSeconds} s`);
      } else {
        facts.seededCases = await hook<number>(page, 'countCases').catch(() => o.cases);
        notes.push('Profile reused from an earlier run (--reuse-profile): seed time not measured.');
      }
      // Installability, with the service worker in control.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      const inst = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string; errorArguments?: unknown[] }[] };
      facts.installabilityErrors = inst.installabilityErrors;
      const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[] };
      facts.manifestErrors = manifest.errors;
    });

    await throttle(CPU_THROTTLE);

    if (want('cold')) await phase(`cold start ×${o.samples}`, async () => {
      for (let i = 0; i < o.samples; i++) {
        await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
        await cdp.send('Network.clearBrowserCache');
        await page.goto(o.base, { waitUntil: 'commit' });
        record('start.cold', await firstScreenMs(page));
      }
    });

    if (want('warm')) await phase(`warm start and unlock ×${o.samples}`, async () => {
      // Let the service worker install and take control.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await page.reload();
      await firstScreenMs(page);
      if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) notes.push('Warm start: the service worker did not control the page.');
      for (let i = 0; i < o.samples; i++) {
        await page.reload({ waitUntil: 'commit' });
        record('start.warm', await firstScreenMs(page));
        await chooseName(page);
        record('unlock.list', await timed(page, { kind: 'caseList' }, 'click', () => page.getByRole('button', { name: 'Sign in' }).click()));
        await signedIn(page);
      }
    });

    if (want('query')) await phase(`list query, data layer vs bare cursor ×${o.samples}`, async () => {
      for (let i = 0; i < o.samples; i++) {
        const app = await hook<ListOutcome>(page, 'listQueryApp', 50);
        const bare = await hook<ListOutcome & { index: string }>(page, 'listQueryBareCursor', 50);
        const getAll = await hook<ListOutcome>(page, 'listQueryBareGetAll', 50);
        record('query.app', app.ms);
        record('query.bare', bare.ms);
        record('query.bareGetAll', getAll.ms);
        const page1 = await hook<ListOutcome>(page, 'listPageApp');
        const page1Bare = await hook<ListOutcome>(page, 'listPageBareCursor');
        record('query.pageApp', page1.ms);
        record('query.pageBare', page1Bare.ms);
        if (i === 0) facts.probeCheck = compareOutcomes(app, bare);
        if (i === 0) facts.pageProbeCheck = compareOutcomes(page1, { ...page1Bare, index: 'sortKey' });
      }
    });

    const search = page.getByLabel('Search patient name, MRN or case number');
    const showAll = async () => {
      if (!(await showAllCases(page))) notes.push('No "Show" filter found: used the default list.');
      await page.waitForFunction(() => !!window.__bt.countText());
    };

    if (want('list')) await phase(`list render and scroll ×${o.samples}`, async () => {
      for (let i = 0; i < o.samples; i++) {
        await page.getByRole('main').getByRole('link', { name: 'New case' }).click();
        await page.getByRole('form', { name: 'New case' }).waitFor();
        record('list.render', await timed(page, { kind: 'caseList' }, 'click', () => page.getByRole('banner').getByRole('link', { name: 'Printpath' }).click()));
      }
      await showAll();
      const list = page.locator('[aria-label="Cases"]');
      const box = await list.boundingBox();
      if (!box) throw new Error('the case list is not on screen');
      await page.mouse.move(box.x + box.width / 2, Math.min(box.y + box.height / 2, VIEWPORT.height - 100));
      await page.evaluate(() => window.__bt.frames.start());
      await longestTask('longtask.scroll', 'scrolling the list', async () => {
        let steps = 0;
        for (; steps < Math.max(o.samples, 30); steps++) {
          if (await page.evaluate(() => scrollY + innerHeight >= document.documentElement.scrollHeight - 1)) {
            notes.push(`Scroll: reached the end of the list after ${steps} steps of 900 px.`);
            break;
          }
          try {
            record('list.scroll', await timed(page, { kind: 'scrolled' }, 'wheel', () => page.mouse.wheel(0, 900), 10_000));
          } catch (e) {
            notes.push(`Scroll: stopped after ${steps} steps of 900 px: ${e instanceof Error ? e.message : String(e)}`);
            break;
          }
        }
      });
      const frames = await page.evaluate(() => window.__bt.frames.stop());
      for (const f of frames) record('list.scrollFrame', f);
    });

    if (want('search')) await phase(`search by MRN and by name ×${o.samples}`, async () => {
      await showAll();
      const full = await countText(page);
      const targets = await hook<Picked[]>(page, 'pickCases', o.samples, null, 11);
      await longestTask('longtask.search', 'typing a search', async () => {
        for (const t of targets) {
          record('search.mrn', await timed(page, { kind: 'listFirstRow', words: [t.mrn], countNot: full }, 'input', () => search.fill(t.mrn)));
          await clearSearch(page, full);
          record('search.name', await timed(page, { kind: 'listFirstRow', words: t.patientName.split(/\s+/), countNot: full }, 'input', () => search.fill(t.patientName)));
          await clearSearch(page, full);
        }
      });
      // The floor, same run, same cases: the blind-index reads and the rows painted with plain DOM.
      let differ = 0;
      for (const t of targets) {
        for (const [id, query, words] of [['search.floorMrn', t.mrn, [t.mrn]], ['search.floorName', t.patientName, t.patientName.split(/\s+/)]] as const) {
          const floor = await hook<ListOutcome>(page, 'searchFloor', query);
          record(id, floor.ms);
          const top = floor.rows[0];
          if (!top || !words.every((w) => `${top.patientName} ${top.mrn}`.toLowerCase().includes(w.toLowerCase()))) differ++;
        }
      }
      notes.push(differ ? `Search floor: ${differ} of ${targets.length * 2} searches did not put the searched case's words in the first row.` : `Search floor: every search showed the searched case's words in its first row, as the app did.`);
    });

    if (want('open')) await phase(`open a case ×${o.samples}`, async () => {
      const targets = await hook<Picked[]>(page, 'pickCases', o.samples, null, 23);
      for (const t of targets) {
        await findCase(page, t);
        await longestTask('longtask.open', `opening a case and for ${SETTLE_MS / 1000} s after the tap`, async () => {
          record('case.open', await timed(page, { kind: 'caseOpen', heading: t.patientName }, 'click', () => rowOf(page, t).click()));
          await page.waitForTimeout(SETTLE_MS);
        });
        await goHome(page);
      }
    });

    if (want('edit')) await phase(`tick a checklist item and save a stage ×${o.samples}`, async () => {
      const [t] = await hook<Picked[]>(page, 'pickCases', 1, 'imaging', 31);
      if (!t) throw new Error('no case in imaging to tick');
      await findCase(page, t);
      await rowOf(page, t).click();
      // Ticking starts once the opening has settled (its long tasks are measured with the opening).
      await page.waitForTimeout(SETTLE_MS);
      const checklist = page.getByRole('group', { name: 'Checklist' });
      const item = 'Study retrieved from PACS';
      const box = checklist.getByRole('checkbox', { name: new RegExp(`^${item}`) });
      // The tick shows at once, marked "Saving…" (the case page applies the same rules the write does);
      // who ticked it shows once the write has committed.
      await longestTask('longtask.tick', 'ticking', async () => {
        for (const stored of [false, true]) {
          for (let i = 0; i < o.samples; i++) {
            const checked = !(await box.isChecked());
            await page.waitForFunction(() => !document.querySelector('fieldset.checklist:disabled'));
            record(stored ? 'checklist.tickStored' : 'checklist.tick', await timed(page, { kind: 'checkbox', label: item, checked, meta: !stored ? 'Saving…' : checked ? 'Ticked by' : 'Unticked by', stored }, 'click', () => box.click()));
          }
        }
      });
      await page.waitForFunction(() => !document.querySelector('fieldset.checklist:disabled'));
      const form = page.getByRole('form', { name: 'Imaging record' });
      for (let i = 0; i < o.samples; i++) {
        await form.getByLabel('Imaging notes (optional)').fill(`Benchmark note ${i + 1}: contrast bolus timing checked with the requesting team.`);
        const save = form.getByRole('button', { name: 'Save imaging' });
        await save.waitFor();
        await page.waitForFunction(() => ![...document.querySelectorAll('[role="status"]')].some((s) => s.textContent === 'Saved'));
        await longestTask('longtask.save', 'saving a stage form', async () => {
          record('stage.save', await timed(page, { kind: 'status', text: 'Saved' }, 'click', () => save.click()));
        });
      }
      await goHome(page);
    });

    if (want('pdf')) await phase(`PDF of a closed case ×${o.samples}`, async () => {
      const [t] = await hook<Picked[]>(page, 'pickCases', 1, 'closed', 41);
      if (!t) throw new Error('no closed case for the PDF');
      await findCase(page, t);
      await rowOf(page, t).click();
      for (let i = 0; i < o.samples; i++) {
        await page.getByRole('button', { name: 'Export PDF' }).click();
        const warning = page.getByRole('group', { name: 'Patient data in the PDF' });
        const downloading = page.waitForEvent('download', { timeout: 60_000 });
        record('pdf', await timed(page, { kind: 'status', text: 'PDF downloaded' }, 'click', () => warning.getByRole('button', { name: 'Save PDF with patient data' }).click()));
        await (await downloading).delete();
      }
      await goHome(page);
    });

    const nav = page.getByRole('navigation', { name: 'Sections' });
    if (want('aggregates')) await phase(`dashboard, lab settings "in use" ×${o.samples}, registry CSV ×${o.longSamples}`, async () => {
      // Each sample after a fresh sign-in: a second look at a screen would show what the first read.
      for (let i = 0; i < o.samples; i++) {
        await freshSignIn();
        await sample('dashboard shown', i, async () => record('dashboard.show', await timed(page, { kind: 'dashboard' }, 'click', () => nav.getByRole('link', { name: 'Dashboard', exact: true }).click())));
      }
      for (let i = 0; i < o.samples; i++) {
        await freshSignIn();
        await sample('lab settings "in use" shown', i, async () => record('labSettings.inUse', await timed(page, { kind: 'inUse' }, 'click', () => nav.getByRole('link', { name: 'Lab settings', exact: true }).click())));
      }
      // The reads of every case (as before) take seconds each at 10,000 cases: as many samples as the other long
      // figures, or the tablet locks itself for want of a tap before they end.
      for (let i = 0; i < o.samples; i++) {
        const r = await hook<Record<string, number>>(page, 'aggregateReads', i < o.longSamples);
        record('dashboard.readKept', r.dashboardKept!);
        record('labSettings.readIndex', r.usageIndex!);
        if (r.dashboardEvery === undefined) continue;
        record('dashboard.readEvery', r.dashboardEvery);
        record('labSettings.readEvery', r.usageEvery!);
      }
      await nav.getByRole('link', { name: 'Exports', exact: true }).click();
      const card = page.getByRole('region', { name: 'ACR–RSNA 3D Printing Registry (de-identified CSV)' });
      await card.getByRole('radio', { name: 'All cases, including open and cancelled ones' }).check();
      for (let i = 0; i < o.longSamples; i++) {
        const downloading = page.waitForEvent('download', { timeout: 600_000 });
        record('registry.csv', await timed(page, { kind: 'status', text: `${facts.seededCases} cases (` }, 'click', () => card.getByRole('button', { name: 'Download registry CSV' }).click(), 600_000));
        await (await downloading).delete();
      }
      await goHome(page);
    });

    if (want('heap')) await phase('JS heap after scrolling the whole list and opening 50 cases', async () => {
      // Not throttled: the heap does not depend on the CPU, only the time to get there does.
      await throttle(1);
      await freshSignIn();
      await showAll();
      const list = page.locator('[aria-label="Cases"]');
      const box = await list.boundingBox();
      if (!box) throw new Error('the case list is not on screen');
      await page.mouse.move(box.x + box.width / 2, Math.min(box.y + box.height / 2, VIEWPORT.height - 100));
      // A screenful at a time, each step waiting for rows painted, so every page of the list is read.
      const started = Date.now();
      let steps = 0;
      while (Date.now() - started < 900_000 && !(await page.evaluate(() => scrollY + innerHeight >= document.documentElement.scrollHeight - 1))) {
        await timed(page, { kind: 'scrolled' }, 'wheel', () => page.mouse.wheel(0, VIEWPORT.height - 200), 10_000);
        steps++;
      }
      const rows = await page.evaluate(() => document.querySelectorAll('[aria-label="Cases"] a[href^="/cases/"]').length);
      notes.push(`Heap: scrolled to the end of the list in ${steps} steps of ${VIEWPORT.height - 200} px, ${Math.round((Date.now() - started) / 1000)} s (${rows} rows in the DOM at the end).`);
      const targets = await hook<Picked[]>(page, 'pickCases', 50, null, 53);
      for (const t of targets) {
        await findCase(page, t);
        await rowOf(page, t).click();
        await page.getByRole('heading', { level: 1, name: t.patientName }).waitFor();
        await goHome(page);
      }
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
      facts.values['heap.used'] = Math.round((heap.usedSize / 2 ** 20) * 10) / 10;
      await throttle(CPU_THROTTLE);
    });

    const backupFile = join(o.workDir, 'backup.json');
    if (want('backup')) await phase(`backup export ×${o.longSamples}`, async () => {
      await page.getByRole('link', { name: 'Storage & backup', exact: true }).click();
      for (let i = 0; i < o.longSamples; i++) {
        await page.getByRole('form', { name: 'Make a backup' }).getByLabel('Your PIN, to sign this backup').fill(ADMIN_PIN);
        const downloading = page.waitForEvent('download', { timeout: 600_000 });
        await longestTask('longtask.backup', 'making a backup (tap → "Backup saved")', async () => {
          record('backup.export', await timed(page, { kind: 'status', text: `Backup saved: ${facts.seededCases} cases` }, 'click', () => page.getByRole('button', { name: 'Download backup' }).click(), 600_000));
        });
        // The rows are written in a worker, which the page's 4× CPU throttle does not slow: its busy time, unthrottled, and the part of it not spent waiting for IndexedDB.
        const worker = await workerTime('printpath:backup-worker');
        record('backup.workerBusy', worker.busy);
        record('backup.workerOwn', worker.busy - worker.read);
        const download = await downloading;
        if (i === o.longSamples - 1) await download.saveAs(backupFile);
        else await download.delete();
      }
    });

    if (want('restore')) await phase(`restore onto a wiped tablet ×${o.longSamples}`, async () => {
      for (let i = 0; i < o.longSamples; i++) {
        await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
        await page.goto(o.base);
        await firstScreenMs(page);
        const restore = page.getByRole('region', { name: 'Restore a backup' });
        await restore.getByLabel('Backup file', { exact: true }).setInputFiles(backupFile);
        const check = await timed(page, { kind: 'regionText', name: 'What the restore would do', text: `${facts.seededCases} new` }, 'click', () => restore.getByRole('button', { name: 'Check the file' }).click(), 600_000);
        const preview = page.getByRole('region', { name: 'What the restore would do' });
        await preview.getByLabel('Their PIN or passphrase').fill(ADMIN_PIN);
        const apply = await timed(page, { kind: 'lockScreen' }, 'click', () => preview.getByRole('button', { name: 'Restore', exact: true }).click(), 600_000);
        record('restore.check', check);
        record('restore.apply', apply);
        // The signature checks run in workers, which the page's 4× CPU throttle does not slow: their own busy time, summed over the workers, unthrottled.
        record('restore.workerBusy', (await workerTime('printpath:signature-workers')).busy);
        record('backup.restore', check + apply);
        // The first sign-in rebuilds the list and search keys: timed once, after the last restore (the others are wiped unopened).
        if (i < o.longSamples - 1) continue;
        await chooseName(page);
        const tapped = Date.now();
        record('restore.firstUnlock', await timed(page, { kind: 'caseList' }, 'click', () => page.getByRole('button', { name: 'Sign in' }).click(), 600_000));
        await signedIn(page);
        // The rest is indexed behind the usable list, with a notice saying how far.
        await page.waitForFunction(() => ![...document.querySelectorAll('[role="status"]')].some((s) => /^Indexing cases/.test(s.textContent ?? '')), null, { timeout: 900_000, polling: 200 });
        record('restore.indexed', Date.now() - tapped);
      }
    });

    if (want('queue')) await phase(`sign-off queue ×${o.samples}`, async () => {
      // Setup, not throttled: the demo cases are all signed where filled in, so 100 of them are made to wait.
      await throttle(1);
      // The tablet locks itself after 5 idle minutes (seeding takes about that): sign in again if it did,
      // and make them ten at a time with a touch of the mouse between, as a person at work would.
      if (await page.getByRole('region', { name: 'Printpath is locked' }).isVisible()) await signIn(page);
      let made = { ms: 0, waiting: 0 };
      for (let target = 10; target <= QUEUE_WAITING; target += 10) {
        const step = await hook<{ ms: number; waiting: number }>(page, 'makeWaiting', target);
        made = { ms: made.ms + step.ms, waiting: step.waiting };
        await page.mouse.move(10 + target, 10);
      }
      facts.queueWaiting = made.waiting;
      o.log(`  ${made.waiting} cases waiting for sign-off (made in ${(made.ms / 1000).toFixed(0)} s)`);
      // The demo radiologist that "Load demo cases" added signs in, each time afresh: locking drops
      // every cached read, so each sample reads the queue from the index and decrypts its rows.
      const queueLink = nav.getByRole('link', { name: /^Waiting for my sign-off/ });
      await throttle(CPU_THROTTLE);
      for (let i = 0; i < o.samples; i++) {
        await page.getByRole('banner').getByRole('button', { name: 'Lock / switch user' }).click();
        const lock = page.getByRole('region', { name: 'Printpath is locked' });
        await lock.getByRole('list', { name: 'People on this tablet' }).getByRole('button', { name: new RegExp(`^${DEMO_RAD} \\(demo\\) `) }).click();
        await lock.getByLabel(`PIN for ${DEMO_RAD} (demo)`).fill(DEMO_PIN);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await signedIn(page);
        if (i === 0) await nav.getByRole('link', { name: 'Cases', exact: true }).click();
        await page.getByLabel('Search patient name, MRN or case number').waitFor();
        await queueLink.waitFor();
        record('queue.show', await timed(page, { kind: 'regionText', name: 'Waiting for my sign-off', text: 'cases waiting.' }, 'click', () => queueLink.click()));
        await nav.getByRole('link', { name: 'Cases', exact: true }).click();
      }
    });

    // Leave the tablet seeded but cold (no service worker, no caches) for Lighthouse.
    await throttle(1);
    await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'service_workers,cache_storage' });
    await cdp.send('Network.clearBrowserCache');
  } finally {
    await context.close();
  }
  return { samples, facts };
}

type ListOutcome = { ms: number; ids: number; rows: { id: string; patientName: string; mrn: string }[] };
export type Picked = { id: string; caseNumber: string; patientName: string; mrn: string; statusKey: string };

function compareOutcomes(app: ListOutcome, bare: ListOutcome & { index: string }): string {
  const same = app.ids === bare.ids && app.rows.length === bare.rows.length && app.rows.every((r, i) => r.id === bare.rows[i]?.id && r.mrn === bare.rows[i]?.mrn);
  const sameSet = new Set(app.rows.map((r) => r.id)).size === new Set([...app.rows, ...bare.rows].map((r) => r.id)).size;
  return same
    ? `same result: ${app.ids} ids, first ${app.rows.length} rows identical (index ${bare.index})`
    : `results differ: app ${app.ids} ids / ${app.rows.length} rows, bare ${bare.ids} ids / ${bare.rows.length} rows on ${bare.index}${sameSet ? ' (same rows, other order)' : ''}`;
}

/** Calls a bench hook (src/bench/bench-hooks.ts) in the page. */
export async function hook<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    async ({ name, args }) => {
      const load = window.__printpathLoadBench;
      if (!load) throw new Error('not a benchmark build: run `vite build --mode bench`');
      const fn = (await load()).hooks[name];
      if (!fn) throw new Error(`no bench hook ${name}`);
      return fn(...args);
    },
    { name, args },
  ) as Promise<T>;
}

const signedInAs = (page: Page) => page.getByRole('banner').getByText(/ · /);
export async function signedIn(page: Page) {
  await signedInAs(page).waitFor({ timeout: 600_000 });
}

export async function chooseName(page: Page) {
  const lock = page.getByRole('region', { name: 'Printpath is locked' });
  await lock.getByRole('list', { name: 'People on this tablet' }).getByRole('button', { name: new RegExp(`^${ADMIN} `) }).click();
  await lock.getByLabel(`PIN for ${ADMIN}`).fill(ADMIN_PIN);
}

export async function signIn(page: Page) {
  await chooseName(page);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signedIn(page);
}

export async function goHome(page: Page) {
  await page.getByRole('banner').getByRole('link', { name: 'Printpath' }).click();
  await page.getByLabel('Search patient name, MRN or case number').waitFor();
}

export const rowOf = (page: Page, t: Picked) => page.locator(`[aria-label="Cases"] a[href="/cases/${t.id}"]`).first();

/** "All cases" in the list's Show filter, when there is one. */
export async function showAllCases(page: Page): Promise<boolean> {
  const show = page.getByLabel('Show', { exact: true });
  if (!(await show.count())) return false;
  await show.selectOption({ label: 'All cases' });
  return true;
}

/** On the list: search by case number until that case's row shows (not timed). */
export async function findCase(page: Page, t: Picked) {
  await showAllCases(page);
  await page.getByLabel('Search patient name, MRN or case number').fill(t.caseNumber);
  await rowOf(page, t).waitFor();
}

async function clearSearch(page: Page, full: string | null) {
  await page.getByLabel('Search patient name, MRN or case number').fill('');
  await page.waitForFunction((n) => window.__bt.countText() === n, full);
}
