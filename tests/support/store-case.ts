// Stores a case built by the test builder (real commands, but no digital
// signatures) through the same row codec the app writes with, with one signed
// history entry recording it, as the app's write path would leave it.
import type { Case, CaseEvent } from '../../src/domain/case';
import { caseHash } from '../../src/domain/case-hash';
import { chainHead } from '../../src/domain/audit-chain';
import { toRow } from '../../src/db/case-encode';
import { db } from '../../src/db/database';
import { entrySigner, signedEntry } from '../../src/db/signed-entries';
import { requireUnlock } from '../../src/db/vault';
import { encryptJson } from '../../src/crypto/field-cipher';

export async function storeBuiltCase(c: Case): Promise<void> {
  const unlocked = requireUnlock();
  const event = { id: crypto.randomUUID(), caseId: c.id, at: c.updatedAt, actorId: unlocked.actor.id, actorName: unlocked.actor.name, type: 'create', summary: 'Built for a test', changes: [] } as unknown as CaseEvent;
  const body = await encryptJson({ event, command: null, caseHash: caseHash(c) }, unlocked.dataKey, c.id);
  const entry = await signedEntry(null, { chain: c.id, at: c.updatedAt, kind: 'create', body }, entrySigner(unlocked));
  const row = await toRow(c, unlocked, chainHead(entry, c.id));
  await db.transaction('rw', db.cases, db.audit, async () => {
    await db.audit.where('[chain+seq]').between([c.id, 0], [c.id, Infinity]).delete();
    await db.audit.add(entry);
    await db.cases.put(row);
  });
}
