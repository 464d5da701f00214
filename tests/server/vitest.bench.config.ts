// `npm run bench:sync`: the sync measurements (tests/server/devices/*.bench.test.ts), with
// the server suite's settings (mergeConfig would add to its include, not replace it).
import { defineConfig } from 'vitest/config';
import server from './vitest.config';

export default defineConfig({ ...server, test: { ...server.test, include: ['tests/server/devices/*.bench.test.ts'], exclude: ['**/node_modules/**'] } });
