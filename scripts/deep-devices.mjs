#!/usr/bin/env node
// The simulated-device sync tests (tests/server/devices) at length, on PGlite and on a real
// PostgreSQL (scripts/test-server.mjs): the seeded convergence test with DEEP_STEPS steps
// (default 400) for each of DEEP_SEEDS (default 1,2,3), with the fault scenarios alongside.
// A failing run prints its seed; repeat it with
//   PRINTPATH_SEED=<seed> PRINTPATH_CONVERGENCE_STEPS=<steps> node scripts/test-server.mjs tests/server/devices/convergence.test.ts
//
//   node scripts/deep-devices.mjs [--store=pglite|postgres|both]
import { spawnSync } from 'node:child_process';

const steps = process.env.DEEP_STEPS ?? '400';
const seeds = process.env.DEEP_SEEDS ?? '1,2,3';
const store = process.argv.slice(2).find((a) => a.startsWith('--store=')) ?? '--store=both';
console.log(`--- tests/server/devices: ${steps} steps, seeds ${seeds}`);
const result = spawnSync(process.execPath, [new URL('test-server.mjs', import.meta.url).pathname, store, 'tests/server/devices/'], {
  stdio: 'inherit',
  env: { ...process.env, PRINTPATH_CONVERGENCE_STEPS: steps, PRINTPATH_SEED: seeds },
});
process.exit(result.status ?? 1);
