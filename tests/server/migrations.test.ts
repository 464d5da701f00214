import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/store';
import { migrate, readMigrations } from '../../server/migrate';
import { MIGRATIONS_DIR, TABLES, resetStore } from './support/store';

let store: Store;
beforeAll(async () => {
  store = await resetStore();
});

const tables = async () =>
  (await store.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map(
    (row) => row.table_name,
  );

describe(`migrations (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('apply to an empty database, recorded one row each, and do nothing the second time', async () => {
    await store.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    const migrations = readMigrations(MIGRATIONS_DIR);
    expect(migrations.length).toBeGreaterThan(0);

    const first = await migrate(store, migrations);
    expect(first).toEqual(migrations.map((m) => m.name));
    expect(await tables()).toEqual([...TABLES, 'schema_migrations'].sort());

    expect(await migrate(store, migrations)).toEqual([]);
    const recorded = await store.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(recorded).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
  });

  it('adds chains (002) to a database that 001 made and that already holds events: those stay on no chain', async () => {
    await store.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    const migrations = readMigrations(MIGRATIONS_DIR);
    expect(migrations[1]?.name).toBe('002-chains.sql');
    await migrate(store, migrations.slice(0, 1));
    expect(await tables()).not.toContain('chain_heads');

    const [labId, deviceId, eventId] = [randomUUID(), randomUUID(), randomUUID()];
    await store.query('INSERT INTO labs (id, seq) VALUES ($1, 1)', [labId]);
    await store.query("INSERT INTO devices (id, lab_id, name, public_key) VALUES ($2, $1, 'Bench tablet', 'k')", [labId, deviceId]);
    await store.query(
      `INSERT INTO events (lab_id, server_seq, event_id, device_id, device_seq, hlc, parents, sig, envelope, size)
       VALUES ($1, 1, $3, $2, 1, '001800000000000-00000-dev', ARRAY[]::text[], 'c2ln', 'AAAA', 3)`,
      [labId, deviceId, eventId],
    );

    expect(await migrate(store, migrations)).toEqual(migrations.slice(1).map((m) => m.name));
    expect(await tables()).toEqual([...TABLES, 'schema_migrations'].sort());
    expect(await store.query('SELECT event_id, chain, hash FROM events')).toEqual([{ event_id: eventId, chain: null, hash: null }]);

    // A chain goes with a hash; a chain has one head per lab.
    await expect(store.query("UPDATE events SET chain = 'lab'")).rejects.toThrow(/events_chain_hash/);
    await store.query("INSERT INTO chain_heads (lab_id, chain, head) VALUES ($1, 'lab', $2)", [labId, 'a'.repeat(64)]);
    await expect(store.query("INSERT INTO chain_heads (lab_id, chain, head) VALUES ($1, 'lab', $2)", [labId, 'b'.repeat(64)])).rejects.toThrow();
    await expect(store.query("INSERT INTO chain_heads (lab_id, chain, head) VALUES ($1, 'lab', $2)", [randomUUID(), 'b'.repeat(64)])).rejects.toThrow();
  });

  it('runs a failing migration in its own transaction: nothing of it stays, earlier ones do', async () => {
    const dir = mkdtempSync(join(process.env.PRINTPATH_TEST_TMP ?? tmpdir(), 'printpath-migrations-'));
    for (const m of readMigrations(MIGRATIONS_DIR)) writeFileSync(join(dir, m.name), m.sql);
    const next = String(readMigrations(MIGRATIONS_DIR).length + 1).padStart(3, '0');
    writeFileSync(join(dir, `${next}-broken.sql`), 'CREATE TABLE half_done (x int);\nSELECT no_such_function();');
    await expect(migrate(store, readMigrations(dir))).rejects.toThrow();
    expect(await tables()).not.toContain('half_done');
    const recorded = await store.query('SELECT 1 FROM schema_migrations WHERE version = $1', [Number(next)]);
    expect(recorded).toHaveLength(0);
  });

  it('refuses an applied migration whose file was renamed (append-only) and badly named or gapped files', async () => {
    const dir = mkdtempSync(join(process.env.PRINTPATH_TEST_TMP ?? tmpdir(), 'printpath-migrations-'));
    const [first] = readMigrations(MIGRATIONS_DIR);
    writeFileSync(join(dir, '001-renamed.sql'), first!.sql);
    await expect(migrate(store, readMigrations(dir))).rejects.toThrow(/append-only/);

    const gapped = mkdtempSync(join(process.env.PRINTPATH_TEST_TMP ?? tmpdir(), 'printpath-migrations-'));
    writeFileSync(join(gapped, '001-a.sql'), 'SELECT 1;');
    writeFileSync(join(gapped, '003-c.sql'), 'SELECT 1;');
    expect(() => readMigrations(gapped)).toThrow(/without gaps/);

    const badName = mkdtempSync(join(process.env.PRINTPATH_TEST_TMP ?? tmpdir(), 'printpath-migrations-'));
    writeFileSync(join(badName, '1-a.sql'), 'SELECT 1;');
    expect(() => readMigrations(badName)).toThrow(/001-name\.sql/);
  });

  it('lets two servers starting at once apply each migration exactly once', async () => {
    await store.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
    const migrations = readMigrations(MIGRATIONS_DIR);
    const [a, b] = await Promise.all([migrate(store, migrations), migrate(store, migrations)]);
    expect([...a, ...b].sort()).toEqual(migrations.map((m) => m.name).sort());
    const recorded = await store.query('SELECT version FROM schema_migrations');
    expect(recorded).toHaveLength(migrations.length);
  });
});
