import { openPgStore } from './pg-store';
import { openPgliteStore } from './pglite-store';
import type { Store } from './store';

/** DATABASE_URL set: that PostgreSQL. Otherwise PGlite in `dataDir`. */
export async function openStore(options: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number }): Promise<Store> {
  if (options.databaseUrl) {
    const store = openPgStore(options.databaseUrl, options.poolSize === undefined ? {} : { max: options.poolSize });
    await store.query('SELECT 1'); // fail at start, with the driver's message, if it cannot connect
    return store;
  }
  return openPgliteStore(options.dataDir);
}
