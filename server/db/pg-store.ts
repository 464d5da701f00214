// A real PostgreSQL (15 or newer) through a node-postgres pool. Each transaction holds one
// pooled client from BEGIN to COMMIT, as node-postgres's guide asks.
import pg from 'pg';
import type { Queryable, Row, Store } from './store';

export function openPgStore(connectionString: string, options: { max?: number; allowExitOnIdle?: boolean } = {}): Store {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    application_name: 'printpath-server',
    allowExitOnIdle: options.allowExitOnIdle ?? false,
  });
  // An idle client that loses its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});

  const over = (client: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, params as unknown[]);
      return result.rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql); // no parameters: the simple protocol runs several statements
    },
  });

  return {
    kind: 'postgres',
    ...over(pool),
    async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(over(client));
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
          client.release();
        } catch {
          client.release(true); // a broken connection is not returned to the pool
        }
        throw error;
      }
    },
    close: () => pool.end(),
  };
}
