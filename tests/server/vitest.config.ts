// The lab server's tests, in Node. One store for the whole run (a PGlite instance takes
// seconds and hundreds of MB to start): files run one after another in one process, and
// tests/server/support/store.ts keeps the store on globalThis. DATABASE_URL set: a real
// PostgreSQL (scripts/test-server.mjs runs the suite both ways).
import { defineConfig } from 'vitest/config';

const postgres = !!process.env.DATABASE_URL;

export default defineConfig({
  // The browser code the sync tests run as devices (tests/server/support/device.ts) is compiled as vite.config.ts compiles it for vitest.
  define: { __APP_VERSION__: JSON.stringify('test'), __KDF_ITERATIONS__: '1000' },
  test: {
    allowOnly: false,
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/server/*.test.ts', 'tests/server/devices/*.test.ts', ...(postgres ? ['tests/server/postgres/*.test.ts'] : [])],
    // Measurements, not tests: `npm run bench:sync` (tests/server/vitest.bench.config.ts).
    exclude: ['**/node_modules/**', '**/*.bench.test.ts'],
    environment: 'node',
    globalSetup: ['tests/server/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
