// The embedded default: PGlite keeps a PostgreSQL data directory in a folder. It has one
// connection, so its transactions run one at a time (PGlite queues them).
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Queryable, Row, Store } from './store';

type PgliteLike = {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
};

export async function openPgliteStore(dataDir: string): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);

  const over = (client: PgliteLike): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await client.exec(sql);
    },
  });

  return {
    kind: 'pglite',
    ...over(db),
    transaction: <T>(work: (tx: Queryable) => Promise<T>) => db.transaction((tx) => work(over(tx))),
    close: () => db.close(),
  };
}
