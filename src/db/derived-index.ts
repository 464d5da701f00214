// The derived keys of each case (status, list sort keys, search tokens) are
// written only from the case itself, in case-codec.ts. When they cannot be
// derived at write time they are marked stale and rebuilt after the next sign-in:
// after a restore onto a wiped tablet (they need the PHI, sealed until someone
// signs in), and after the schema upgrade that added the search tokens. The
// rebuild runs behind a usable list: a case is listed once its keys are derived,
// and INDEX_STALE holds the progress meanwhile (the list says how far it is).
import { fromRow } from './case-codec';
import { derivedKeys } from './case-encode';
import { durableDb, INDEX_STALE } from './database';
import { DERIVED_FIELDS } from './stored-case';
import { currentUnlock, type Unlocked } from './vault';

const BATCH = 500;
// The list shows its first rows as soon as this many cases are indexed.
const FIRST_BATCH = 50;

export type IndexProgress = { done: number; total: number };

/**
 * Derives the keys of every case again, a batch at a time. Stops (the mark stays, the next
 * sign-in starts again) when the person signs out; `keys` must then no longer be used.
 */
export async function rebuildIndexes(keys: Pick<Unlocked, 'dataKey' | 'searchKey'>, signedIn: () => boolean = () => true, { first = FIRST_BATCH, rest = BATCH } = {}): Promise<void> {
  const ids = await durableDb.cases.toCollection().primaryKeys();
  for (let i = 0, size = first; i < ids.length; i += size, size = rest) {
    if (!signedIn()) return;
    const rows = (await durableDb.cases.bulkGet(ids.slice(i, i + size))).filter((r) => r !== undefined);
    // Keys a case no longer has (it left the sign-off queue) are removed: Dexie deletes a property updated to undefined.
    const none = Object.fromEntries(DERIVED_FIELDS.map((f) => [f, undefined]));
    const updates = await Promise.all(rows.map(async (r) => ({ key: r.id, revision: r.revision, changes: { ...none, ...derivedKeys(await fromRow(r, keys.dataKey), keys.searchKey) } })));
    await durableDb.transaction('rw', durableDb.cases, durableDb.settings, async () => {
      // A case written meanwhile already has fresh keys.
      const current = await durableDb.cases.bulkGet(updates.map((u) => u.key));
      await durableDb.cases.bulkUpdate(updates.filter((u, n) => current[n]?.revision === u.revision).map(({ key, changes }) => ({ key, changes })));
      if (i + size < ids.length) await durableDb.settings.put({ key: INDEX_STALE, value: { done: i + rows.length, total: ids.length } satisfies IndexProgress });
    });
  }
  await durableDb.settings.delete(INDEX_STALE);
}

let running: Promise<void> = Promise.resolve();

/** After a sign-in: the rebuild runs behind the list while this person stays signed in. */
export function rebuildBehindList(unlocked: Unlocked): Promise<void> {
  running = rebuildIndexes(unlocked, () => currentUnlock() === unlocked).catch((e: unknown) => {
    // The mark stays: the next sign-in tries again. No case content in the message.
    console.error('Indexing the cases for the list stopped', e instanceof Error ? e.name : 'error');
  });
  return running;
}

/** Settles when the rebuild started at the last sign-in has stopped. */
export const indexingSettled = () => running;

/** How far the rebuild is, or null when every case is indexed. */
export async function indexProgress(): Promise<IndexProgress | null> {
  const value = (await durableDb.settings.get(INDEX_STALE))?.value;
  if (!value) return null;
  return typeof value === 'object' ? (value as IndexProgress) : { done: 0, total: await durableDb.cases.count() };
}
