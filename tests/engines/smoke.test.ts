// The three-engine smoke (npm run test:engines): the same user-level scenario
// (smoke.ts) in Chromium, Firefox ESR and WebKitGTK against the built app (dist/,
// which test:e2e builds), each on a server of its own that the scenario stops and
// starts. Each engine leaves a screenshot and result.json in test-results/engines/<engine>/.
// ENGINES=firefox,webkit runs a subset; PRINTPATH_DIST points at another build.
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { ENGINES, launch, TABLET, type EngineDriver, type EngineName } from './drivers';
import { EnginePage } from './page';
import { runSmoke, type SmokeFacts, type StepRecord } from './smoke';
import { serveDist } from './static-server';

const DIST = resolve(process.env.PRINTPATH_DIST ?? 'dist');
const OUT = resolve('test-results/engines');
const selected = (process.env.ENGINES?.split(',').map((e) => e.trim()) ?? ENGINES) as EngineName[];

test.concurrent.each(selected)('%s: the built app works for a lab on a tablet, offline included', async (engine) => {
  expect(ENGINES, `unknown engine ${engine}`).toContain(engine);
  expect(existsSync(join(DIST, 'sw.js')), `no built app in ${DIST}: run "npx vite build" first (test:e2e does)`).toBe(true);
  const out = join(OUT, engine);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  const started = Date.now();
  const steps: StepRecord[] = [];
  const facts: SmokeFacts = {};
  let failure: { step: string; message: string } | null = null;
  let current = 'launch';
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    current = name;
    const t0 = Date.now();
    const value = await run();
    steps.push({ name, ms: Date.now() - t0 });
    return value;
  };

  const server = await serveDist(DIST);
  let driver: EngineDriver | null = null;
  try {
    driver = await step('launch', () => launch(engine));
    await runSmoke(new EnginePage(driver), server, step, facts);
  } catch (error) {
    failure = { step: current, message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  } finally {
    let pageText: string | undefined;
    await mkdir(out, { recursive: true }); // again: a Playwright run in between empties test-results/
    if (driver) {
      await driver.screenshot(join(out, 'screenshot.png')).catch(() => undefined);
      if (failure) pageText = await driver.evaluate<string>('document.body.innerText').catch(() => undefined);
      await driver.close();
    }
    await server.stop();
    const result = {
      engine,
      browser: driver?.version ?? null,
      window: TABLET,
      passed: failure === null,
      ms: Date.now() - started,
      steps,
      facts,
      consoleProblems: driver?.problems ?? null,
      ...(failure ? { failure, pageText: pageText?.slice(0, 2000) } : {}),
    };
    await writeFile(join(out, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  }
  if (failure) throw new Error(`${engine}, step "${failure.step}": ${failure.message}`);
  // Chromium and Firefox report the console: no uncaught error and no Content Security Policy violation.
  expect(driver?.problems?.filter((p) => p.startsWith('uncaught') || /Content[- ]Security[- ]Policy/i.test(p)) ?? []).toEqual([]);
});
