// Every table as canonical JSON: two dumps are equal exactly when the database is.
import { canonicalJson } from '../../src/domain/canonical';
import { db } from '../../src/db/database';

export async function dumpDatabase(): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()] as const));
  return canonicalJson(Object.fromEntries(tables));
}
