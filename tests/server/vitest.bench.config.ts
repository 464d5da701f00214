// `npm run bench:sync`: the sync measurements in Node (tests/server/devices/join.bench.test.ts),
// with the server suite's settings (mergeConfig would add to its include, not replace it).
// PRINTPATH_BENCH_BROWSER=1 (`npm run bench:sync:browser`): the join in Chromium instead, whose
// build refuses secrets stretched less than 600,000 times, so the simulated tablet uses that too.
import { defineConfig } from 'vitest/config';
import server from './vitest.config';

const browser = !!process.env.PRINTPATH_BENCH_BROWSER;

export default defineConfig({
  ...server,
  define: { ...server.define, ...(browser ? { __KDF_ITERATIONS__: '600000' } : {}) },
  test: { ...server.test, include: [browser ? 'tests/server/devices/join-browser.bench.test.ts' : 'tests/server/devices/join.bench.test.ts'], exclude: ['**/node_modules/**'] },
});
