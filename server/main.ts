// Starts the lab server: opens the store (DATABASE_URL, else PGlite in PRINTPATH_DATA),
// applies migrations, prints the one-time set-up code if there is no lab yet, then serves
// the API and the built app on one origin.
import { join, resolve } from 'node:path';
import { buildServer } from './app';
import { openStore } from './db/open';
import { migrate, readMigrations } from './migrate';
import { projectRoot } from './paths';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './routes/context';
import { setupCodeAtStart } from './routes/setup';

const root = projectRoot();
const env = process.env;
const port = Number(env.PORT ?? 4173);
const host = env.HOST ?? '127.0.0.1';
const dataDir = resolve(env.PRINTPATH_DATA ?? join(root, 'data', 'pglite'));
const distDir = resolve(env.PRINTPATH_DIST ?? join(root, 'dist'));
const trustProxy = env.PRINTPATH_TRUST_PROXY ? parseTrustProxy(env.PRINTPATH_TRUST_PROXY) : false;

/** PRINTPATH_LIMIT_SETUP, _ENROL, _COLLECT, _PUSH: requests per minute, instead of the defaults. */
function rateLimitsFromEnv(): Partial<RateLimits> {
  const limits: Partial<RateLimits> = {};
  for (const name of ['setup', 'enrol', 'collect', 'push'] as const) {
    const value = env[`PRINTPATH_LIMIT_${name.toUpperCase()}`];
    if (value === undefined) continue;
    const max = Number(value);
    if (!Number.isInteger(max) || max < 1) throw new Error(`PRINTPATH_LIMIT_${name.toUpperCase()} must be a whole number of requests per minute`);
    limits[name] = { max, timeWindow: 60_000 };
  }
  return { ...DEFAULT_RATE_LIMITS, ...limits };
}

function parseTrustProxy(value: string): boolean | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value.split(',').map((part) => part.trim()).filter(Boolean);
}

const say = (line: string) => process.stdout.write(line + '\n');

async function main() {
  const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir });
  say(store.kind === 'pglite' ? `Printpath server: embedded PostgreSQL (PGlite) in ${dataDir}` : 'Printpath server: PostgreSQL from DATABASE_URL');
  const applied = await migrate(store, readMigrations(join(root, 'server', 'migrations')));
  if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);

  const app = await buildServer({ store, distDir, trustProxy, rateLimits: rateLimitsFromEnv() });
  const code = await setupCodeAtStart(store);
  await app.listen({ port, host });
  say(`Printpath is at http://${host}:${port}`);
  if (code) {
    say('');
    say('  No lab yet. One-time set-up code (shown only now; a restart makes a new one):');
    say(`      ${code}`);
    say('  Enter it on the first device to create the lab.');
    say('');
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: stopping`);
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Printpath server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
