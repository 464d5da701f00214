// "50 MB STL viewable": a 50 MB binary STL (a sphere of a million triangles, made here,
// never committed) attached to a case at segmenting, then opened in the 3D view on the
// throttled tablet profile. Measured from the tap on "View … in 3D" to the first frame
// the viewer draws (its performance mark), with the longest main-thread task in between
// (PerformanceObserver 'longtask'). Its own browser profile: the 3D view needs WebGL,
// which the shared profile's flags turn off (--disable-gpu), so this one runs Chromium's
// software WebGL (SwiftShader) and changes no other measure.
import { chromium } from '@playwright/test';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { binaryStl, sphereOfTriangles } from '../../tests/support/stl-generator';
import { installProbes, firstScreenMs } from './page-probes';
import { formatSummary, summarize, type CpuProfile } from './profile';
import { clickTs, longTaskReport, startTrace, stopTrace } from './trace';
import { ADMIN, ADMIN_PIN, CPU_THROTTLE, VIEWPORT, findCase, goHome, hook, rowOf, signedIn, type BenchOptions, type Picked } from './phases';

const FIRST_FRAME_MARK = 'printpath:model-first-frame'; // src/features/model-files/mesh-view.tsx
export const MODEL_BYTES = 50 * 1000 * 1000;

export async function runModelPhase(o: BenchOptions, record: (id: string, ms: number) => void, notes: string[]): Promise<void> {
  const triangles = Math.floor((MODEL_BYTES - 84) / 50);
  const file = join(o.workDir, 'model-50mb.stl');
  const stl = binaryStl([sphereOfTriangles('Bench sphere', 80, triangles)]);
  await writeFile(file, stl);
  const profileDir = join(o.workDir, 'profile-model');
  await rm(profileDir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: o.chromiumPath,
    args: [...o.chromiumArgs.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
    viewport: VIEWPORT,
    deviceScaleFactor: 2,
    serviceWorkers: 'allow',
  });
  try {
    await context.addInitScript(installProbes);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => o.log(`  page exception: ${e.message}`));
    const cdp = await context.newCDPSession(page);
    await page.goto(o.base);
    await firstScreenMs(page);
    const form = page.getByRole('form', { name: 'Create the first lab admin' });
    await form.getByLabel('Your name as printed on signatures').fill(ADMIN);
    await form.getByRole('checkbox', { name: 'I also work cases as a lab technician' }).check();
    await form.getByLabel('Choose a PIN').fill(ADMIN_PIN);
    await form.getByLabel('PIN again').fill(ADMIN_PIN);
    await form.getByRole('button', { name: 'Create lab admin' }).click();
    await signedIn(page);
    await hook(page, 'seed', 12, ADMIN_PIN, 12);
    const [t] = await hook<Picked[]>(page, 'pickCases', 1, 'segmenting', 5);
    if (!t) throw new Error('no seeded case in segmenting');
    await goHome(page);
    await findCase(page, t);
    await rowOf(page, t).click();
    const files = page.getByRole('region', { name: 'Model and guide files' });
    await files.getByLabel(/^Attach a file to /).first().setInputFiles(file);
    await files.getByText(/model-50mb\.stl attached on /).waitFor({ timeout: 300_000 });
    const name = `${(stl.length / 1e6).toFixed(0)} MB binary STL, ${triangles.toLocaleString('en-US')} triangles`;

    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
    for (let i = 0; i < o.longSamples; i++) {
      await page.evaluate(() => {
        performance.clearMarks();
        const probe = { start: 0, longest: 0, tasks: [] as [number, number][] };
        (window as unknown as { __model: typeof probe }).__model = probe;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            if (!probe.start || e.startTime + e.duration < probe.start) continue;
            probe.longest = Math.max(probe.longest, e.duration);
            probe.tasks.push([Math.round(e.startTime - probe.start), Math.round(e.duration)]);
          }
        }).observe({ type: 'longtask' });
        document.addEventListener('click', (e) => (probe.start = e.timeStamp), { capture: true, once: true });
      });
      if (o.profile && i === 0) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
        await cdp.send('Profiler.start');
      }
      if (o.trace) await startTrace(cdp);
      await files.getByRole('button', { name: 'View model-50mb.stl in 3D' }).click();
      await page.locator('canvas[data-rendered="true"]').waitFor({ timeout: 300_000 });
      if (o.trace) {
        const events = await stopTrace(cdp);
        await writeFile(join(o.workDir, `model-trace-${i + 1}.json`), JSON.stringify(events));
        o.log(`  trace of opening ${i + 1} (${join(o.workDir, `model-trace-${i + 1}.json`)}), tasks over 100 ms from the tap:`);
        for (const line of longTaskReport(events, clickTs(events))) o.log(`    ${line}`);
      }
      if (o.profile && i === 0) {
        const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
        o.log(formatSummary('model view', summarize(profile, o.distDir)).split('\n').slice(0, 30).join('\n[bench] '));
      }
      await page.waitForTimeout(1000); // long-task entries arrive after their task
      const m = await page.evaluate((mark) => {
        const probe = (window as unknown as { __model: { start: number; longest: number; tasks: [number, number][] } }).__model;
        const at = (name: string) => Math.round((performance.getEntriesByName(name).at(-1)?.startTime ?? NaN) - probe.start);
        const where = `opened ${at('printpath:model-opened')} ms, parsed ${at('printpath:model-parsed')} ms; long tasks [start, ms]: ${JSON.stringify(probe.tasks.filter(([, d]) => d >= 100))}`;
        return { ms: performance.getEntriesByName(mark).at(-1)!.startTime - probe.start, longest: probe.longest, where };
      }, FIRST_FRAME_MARK);
      record('model.view', m.ms);
      record('model.longestTask', m.longest);
      o.log(`  ${name}: first frame ${Math.round(m.ms)} ms, longest main-thread task ${Math.round(m.longest)} ms (${m.where})`);
      await page.getByRole('button', { name: 'Close 3D view' }).click();
    }
    const gl = await page.evaluate(() => {
      const c = document.createElement('canvas').getContext('webgl2');
      const info = c?.getExtension('WEBGL_debug_renderer_info');
      return info ? String(c!.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    });
    notes.push(`50 MB STL viewable: ${name}, attached at segmenting (not timed), opened ${o.longSamples}× at ${CPU_THROTTLE}× CPU throttling; WebGL renderer: ${gl}.`);
  } finally {
    await context.close();
  }
}
