// The status index (cases.statusKey) is written only from deriveStatus(). After
// a restore onto a wiped tablet it cannot be derived until someone signs in
// (signed content includes sealed PHI), so the restore marks it stale and the
// first sign-in derives it again for every case.
import { deriveStatus, statusKey } from '../domain/workflow';
import { fromRow } from './case-codec';
import { durableDb } from './database';

export const STATUS_INDEX_STALE = 'statusIndexStale';

export async function refreshStatusIndexIfStale(dataKey: CryptoKey): Promise<void> {
  if (!(await durableDb.settings.get(STATUS_INDEX_STALE))?.value) return;
  const rows = await durableDb.cases.toArray();
  const keys = await Promise.all(rows.map(async (r) => [r.id, statusKey(deriveStatus(await fromRow(r, dataKey)))] as const));
  await durableDb.transaction('rw', durableDb.cases, durableDb.settings, async () => {
    for (const [id, key] of keys) await durableDb.cases.update(id, { statusKey: key });
    await durableDb.settings.delete(STATUS_INDEX_STALE);
  });
}
