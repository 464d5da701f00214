// The derived keys of each case (status, list sort keys, search tokens) are
// written only from the case itself, in case-codec.ts. When they cannot be
// derived at write time they are marked stale and rebuilt at the next sign-in:
// after a restore onto a wiped tablet (they need the PHI, sealed until someone
// signs in), and after the schema upgrade that added the search tokens.
import { fromRow } from './case-codec';
import { derivedKeys } from './case-encode';
import { DERIVED_FIELDS, durableDb, INDEX_STALE } from './database';
import type { Unlocked } from './vault';

const BATCH = 500;

/** Derives the keys of every case again; sign-in runs it when INDEX_STALE is set. */
export async function rebuildIndexes(keys: Pick<Unlocked, 'dataKey' | 'searchKey'>): Promise<void> {
  const ids = await durableDb.cases.toCollection().primaryKeys();
  for (let i = 0; i < ids.length; i += BATCH) {
    const rows = (await durableDb.cases.bulkGet(ids.slice(i, i + BATCH))).filter((r) => r !== undefined);
    // Keys a case no longer has (it left the sign-off queue) are removed: Dexie deletes a property updated to undefined.
    const none = Object.fromEntries(DERIVED_FIELDS.map((f) => [f, undefined]));
    const updates = await Promise.all(rows.map(async (r) => ({ key: r.id, revision: r.revision, changes: { ...none, ...derivedKeys(await fromRow(r, keys.dataKey), keys.searchKey) } })));
    await durableDb.transaction('rw', durableDb.cases, async () => {
      // A case written meanwhile already has fresh keys.
      const current = await durableDb.cases.bulkGet(updates.map((u) => u.key));
      await durableDb.cases.bulkUpdate(updates.filter((u, n) => current[n]?.revision === u.revision).map(({ key, changes }) => ({ key, changes })));
    });
  }
  await durableDb.settings.delete(INDEX_STALE);
}
