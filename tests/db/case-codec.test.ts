// The decrypted-PHI cache must never show one version of a case for another: a case
// from another device (the lab server) can carry the same revision number as the
// version this device made itself.
import { beforeEach, expect, it } from 'vitest';
import { runCommand } from '../../src/db/case-commands';
import { fromRow } from '../../src/db/case-codec';
import { toRow } from '../../src/db/case-encode';
import { db } from '../../src/db/database';
import { requireUnlock } from '../../src/db/vault';
import { asCaseId } from '../../src/domain/ids';
import { order } from '../support/orders';
import { resetDatabase, signIn } from '../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
});

it('a stored row with the same revision but other sealed PHI reads as what it holds, not the cached version', async () => {
  const mine = await runCommand(null, { type: 'create', id: asCaseId(crypto.randomUUID()), input: order({ notes: 'Made on this device' }) });
  const row = (await db.cases.get(mine.id))!;
  expect((await fromRow(row, requireUnlock().dataKey)).phi.notes).toBe('Made on this device');

  // Another device's version of the same revision replaces the row (as incoming sync does).
  const theirs = await toRow({ ...mine, phi: { ...mine.phi, notes: 'Made on another device' } }, requireUnlock(), row.auditHead);
  expect(theirs.revision).toBe(row.revision);
  await db.cases.put({ ...theirs, statusKey: row.statusKey });
  // toRow remembered what it sealed; this device's own version must not come back from the cache either.
  await db.cases.put(row);
  expect((await fromRow((await db.cases.get(mine.id))!, requireUnlock().dataKey)).phi.notes).toBe('Made on this device');
  await db.cases.put({ ...theirs, statusKey: row.statusKey });
  expect((await fromRow((await db.cases.get(mine.id))!, requireUnlock().dataKey)).phi.notes).toBe('Made on another device');
});
