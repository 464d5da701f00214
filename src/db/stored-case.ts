// A case row as a backup and the lab server hold it: without the keys derived from it
// (list sort keys, search tokens, ...), which are rebuilt where it lands. Apart from
// database.ts so the backup worker can use it without Dexie.
import type { CaseRow, StoredCaseRow } from './database';

export const DERIVED_FIELDS = ['sortKey', 'openSort', 'workSort', 'search', 'numberKeys', 'signoffSort', 'awaiting', 'changesRequested', 'uses'] as const;

export function storedCase(row: CaseRow): StoredCaseRow {
  const stored: Partial<CaseRow> = { ...row };
  for (const f of DERIVED_FIELDS) delete stored[f];
  return stored as StoredCaseRow;
}
