// Vitest runs the three-engine smoke in Node (no jsdom): it only drives browsers.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    allowOnly: false,
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/engines/**/*.test.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
