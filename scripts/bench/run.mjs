// Entry point of `npm run bench`: Node 20 cannot run TypeScript, so Vite's module
// runner loads the harness (scripts/bench/bench.ts) and what it imports.
import { runnerImport } from 'vite';

const { module } = await runnerImport(new URL('./bench.ts', import.meta.url).pathname);
try {
  await module.main(process.argv.slice(2));
} catch (e) {
  console.error(`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exitCode = 1;
}
