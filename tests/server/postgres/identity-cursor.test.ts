// Only on a real PostgreSQL (PGlite has one connection and cannot show it): why the pull
// cursor is not an identity column. Two concurrent inserts into a table numbered by an
// identity column: the later one commits first, a reader moves its cursor past it, then
// the earlier one commits below the cursor and is never read. tests/server/cursor.test.ts
// runs the same kind of race against the server's per-lab counter, which does not skip.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';

const url = process.env.DATABASE_URL!;
const [a, b, reader] = [new pg.Client(url), new pg.Client(url), new pg.Client(url)];

beforeAll(async () => {
  await Promise.all([a.connect(), b.connect(), reader.connect()]);
  await reader.query('DROP TABLE IF EXISTS identity_cursor_demo');
  await reader.query('CREATE TABLE identity_cursor_demo (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, label text)');
});
afterAll(async () => {
  await reader.query('DROP TABLE IF EXISTS identity_cursor_demo');
  await Promise.all([a.end(), b.end(), reader.end()]);
});

it('an identity column as cursor skips an event that commits late', async () => {
  const readAfter = async (cursor: number) =>
    (await reader.query<{ seq: string; label: string }>('SELECT seq, label FROM identity_cursor_demo WHERE seq > $1 ORDER BY seq', [cursor])).rows;

  await a.query('BEGIN');
  await a.query("INSERT INTO identity_cursor_demo (label) VALUES ('early')"); // takes number 1, not committed yet
  await b.query('BEGIN');
  await b.query("INSERT INTO identity_cursor_demo (label) VALUES ('late')"); // takes number 2
  await b.query('COMMIT');

  const first = await readAfter(0);
  expect(first.map((r) => r.label)).toEqual(['late']);
  const cursor = Number(first.at(-1)!.seq); // 2

  await a.query('COMMIT');
  expect(await readAfter(cursor)).toEqual([]); // 'early' (number 1) is never delivered
  expect((await readAfter(0)).map((r) => r.label)).toEqual(['early', 'late']);
});
