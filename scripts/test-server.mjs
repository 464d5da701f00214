#!/usr/bin/env node
// Runs the lab server's tests (tests/server) against both stores: embedded PGlite, then a
// real PostgreSQL. The real one is a throw-away cluster from Debian's `pg_virtualenv`
// (package postgresql-common, with postgresql), unless DATABASE_URL already names one.
//
//   node scripts/test-server.mjs [--store=pglite|postgres|both] [vitest args…]
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const inner = args[0] === '--inner-postgres';
const storeArg = args.find((arg) => arg.startsWith('--store='));
const which = storeArg ? storeArg.slice('--store='.length) : 'both';
const vitestArgs = args.filter((arg) => arg !== '--inner-postgres' && !arg.startsWith('--store='));
const config = process.env.SERVER_TEST_CONFIG ?? 'tests/server/vitest.config.ts';

function vitest(env) {
  const result = spawnSync('npx', ['vitest', 'run', '--config', config, ...vitestArgs], { stdio: 'inherit', env });
  return result.status ?? 1;
}

if (inner) {
  // Inside pg_virtualenv: it exported PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
  const { PGHOST = 'localhost', PGPORT = '5432', PGUSER = 'postgres', PGPASSWORD = '', PGDATABASE = 'postgres' } = process.env;
  const auth = PGPASSWORD ? `${encodeURIComponent(PGUSER)}:${encodeURIComponent(PGPASSWORD)}` : encodeURIComponent(PGUSER);
  const host = PGHOST.startsWith('/') ? `localhost/${encodeURIComponent(PGDATABASE)}?host=${encodeURIComponent(PGHOST)}&port=${PGPORT}` : `${PGHOST}:${PGPORT}/${encodeURIComponent(PGDATABASE)}`;
  const url = `postgres://${auth}@${host}`;
  const version = spawnSync('psql', ['-Atc', 'SHOW server_version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`--- tests/server on PostgreSQL ${version || '(version unknown)'} (pg_virtualenv)`);
  process.exit(vitest({ ...process.env, DATABASE_URL: url }));
}

const timings = [];
let failed = false;

function run(label, fn) {
  const start = Date.now();
  const status = fn();
  timings.push(`${label}: ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  if (status !== 0) failed = true;
}

if (which === 'pglite' || which === 'both') {
  run('PGlite', () => {
    console.log('--- tests/server on PGlite (embedded)');
    const env = { ...process.env };
    delete env.DATABASE_URL;
    return vitest(env);
  });
}

if (which === 'postgres' || which === 'both') {
  run('PostgreSQL', () => {
    if (process.env.DATABASE_URL) {
      console.log('--- tests/server on PostgreSQL at DATABASE_URL');
      return vitest(process.env);
    }
    const found = spawnSync('sh', ['-c', 'command -v pg_virtualenv'], { encoding: 'utf8' });
    if (found.status !== 0) {
      console.error(
        'The server tests need a real PostgreSQL (15 or newer) besides PGlite, and found neither DATABASE_URL nor pg_virtualenv.\n' +
          'On Debian or Ubuntu: sudo apt-get update && sudo apt-get install -y postgresql\n' +
          '(pg_virtualenv then starts a throw-away cluster for the run), or set DATABASE_URL=postgres://user:pass@host/db of an empty database.',
      );
      return 1;
    }
    const result = spawnSync('pg_virtualenv', ['-t', process.execPath, new URL(import.meta.url).pathname, '--inner-postgres', ...vitestArgs], {
      stdio: 'inherit',
      env: { ...process.env, SERVER_TEST_CONFIG: config },
    });
    return result.status ?? 1;
  });
}

console.log(timings.map((line) => `--- ${line}`).join('\n'));
process.exit(failed ? 1 : 0);
