// Stores a case built by the test builder (real commands, but no digital
// signatures) through the same row codec the app writes with.
import { GENESIS } from '../../src/domain/audit-chain';
import type { Case } from '../../src/domain/case';
import { toRow } from '../../src/db/case-encode';
import { db } from '../../src/db/database';
import { requireUnlock } from '../../src/db/vault';

export async function storeBuiltCase(c: Case): Promise<void> {
  await db.cases.put(await toRow(c, requireUnlock(), { seq: 0, hash: GENESIS }));
}
