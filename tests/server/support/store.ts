// The run's one store: a real PostgreSQL when DATABASE_URL is set, else PGlite in a
// temporary folder. Each test file starts from empty tables (resetStore).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgStore } from '../../../server/db/pg-store';
import { openPgliteStore } from '../../../server/db/pglite-store';
import type { Store } from '../../../server/db/store';
import { migrate, readMigrations } from '../../../server/migrate';

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', '..', 'server', 'migrations');
export const TABLES = ['file_chunks', 'recovery_grants', 'recovery', 'chain_heads', 'events', 'enrolments', 'devices', 'setup_codes', 'labs'];

type Shared = { store: Store; dataDir: string | null };
const KEY = Symbol.for('printpath.tests.server.store');
const holder = globalThis as unknown as Record<symbol, Promise<Shared> | undefined>;

/** Opens the store the way the server does (a fresh pool, or PGlite on the same folder). */
export async function openTestStore(dataDir: string | null): Promise<Store> {
  const url = process.env.DATABASE_URL;
  if (url) return openPgStore(url, { max: 24, allowExitOnIdle: true });
  return openPgliteStore(dataDir!);
}

async function create(): Promise<Shared> {
  const dataDir = process.env.DATABASE_URL ? null : mkdtempSync(join(process.env.PRINTPATH_TEST_TMP ?? tmpdir(), 'pglite-'));
  const store = await openTestStore(dataDir);
  await store.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;');
  await migrate(store, readMigrations(MIGRATIONS_DIR));
  return { store, dataDir };
}

export async function shared(): Promise<Shared> {
  holder[KEY] ??= create();
  return holder[KEY];
}

/** The shared store with every table emptied and migrations applied. */
export async function resetStore(): Promise<Store> {
  const { store } = await shared();
  await migrate(store, readMigrations(MIGRATIONS_DIR));
  await store.exec(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
  return store;
}

/** Closes the shared store and opens it again on the same data (a server restart). */
export async function reopenStore(): Promise<Store> {
  const current = await shared();
  await current.store.close();
  const store = await openTestStore(current.dataDir);
  holder[KEY] = Promise.resolve({ store, dataDir: current.dataDir });
  return store;
}
