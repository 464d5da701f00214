// The lab's CPT code table (dated data an admin edits; domain/cpt.ts), apart from the
// settings the lock screen reads, so the first load does not carry the code rules.
import { migrateCodeTable, type CodeTable } from '../domain/cpt';
import { activeDb, db, type PrintpathDb } from './database';

export const CODE_TABLE_KEY = 'codeTable';

/** A table stored by an older version, or synced from one, is read in today's shape (migrateCodeTable). */
export async function getCodeTable(): Promise<CodeTable> {
  const row = await db.settings.get(CODE_TABLE_KEY);
  return migrateCodeTable(row?.value);
}

/** Inside a transaction of `store` including settings. */
export async function putCodeTable(table: CodeTable, store: PrintpathDb = activeDb(db)): Promise<void> {
  await store.settings.put({ key: CODE_TABLE_KEY, value: table });
}
