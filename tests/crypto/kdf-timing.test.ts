// Measures (prints, never asserts) the cost of one production-strength
// deriveSecretKeys, the figure docs/security.md uses to estimate how long trying
// every PIN would take. Skipped unless PRINTPATH_KDF_TIMING=1, to keep the suite fast:
//   PRINTPATH_KDF_TIMING=1 npx vitest run tests/crypto/kdf-timing.test.ts
import { expect, test } from 'vitest';
import { deriveSecretKeys, newKdfParams, PBKDF2_ITERATIONS } from '../../src/crypto/secret-keys';

const RUNS = 7;

test.skipIf(process.env.PRINTPATH_KDF_TIMING !== '1')(
  `time one deriveSecretKeys at ${PBKDF2_ITERATIONS} iterations`,
  async () => {
    const params = newKdfParams(PBKDF2_ITERATIONS);
    await deriveSecretKeys('000000', params); // warm-up
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      await deriveSecretKeys(String(100000 + i), params);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const fastest = times[0]!;
    const median = times[Math.floor(RUNS / 2)]!;
    // The fastest run is the least disturbed by other load: the fairer per-guess cost.
    const allPinsHours = (fastest * 1_000_000) / 3_600_000;
    console.log(
      `deriveSecretKeys @ ${PBKDF2_ITERATIONS}: fastest ${fastest.toFixed(0)} ms, median ${median.toFixed(0)} ms ` +
        `(runs: ${times.map((t) => t.toFixed(0)).join(', ')}); every 6-digit PIN on one such core: ${allPinsHours.toFixed(0)} h`,
    );
    expect(times).toHaveLength(RUNS);
  },
  60_000,
);
