// Schema migrations: server/migrations/NNN-name.sql, append-only (a shipped file is never
// edited; a change is a new file). Each runs in its own transaction with its row in
// schema_migrations, so a failed one leaves nothing behind. An advisory lock makes two
// servers starting at once on one database take turns.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './db/store';

const FILE = /^(\d{3})-[a-z0-9-]+\.sql$/;
const LOCK_KEY = 7_250_431; // any constant: it names this lock among the database's advisory locks

export type Migration = { version: number; name: string; sql: string };

export function readMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => {
      const match = FILE.exec(name);
      if (!match) throw new Error(`Migration file names look like 001-name.sql: ${name}`);
      return { version: Number(match[1]), name, sql: readFileSync(join(dir, name), 'utf8') };
    });
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`Migrations must be numbered 001, 002, … without gaps: ${migration.name}`);
  });
  return migrations;
}

/** Applies the migrations not yet recorded; returns the names it applied. */
export async function migrate(store: Store, migrations: Migration[]): Promise<string[]> {
  // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can both try to create it.
  await store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await store.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const rows = await tx.query<{ name: string }>('SELECT name FROM schema_migrations WHERE version = $1', [migration.version]);
      if (rows[0]) {
        if (rows[0].name !== migration.name) {
          throw new Error(`Migration ${migration.version} was applied as ${rows[0].name}, not ${migration.name}: migrations are append-only`);
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
