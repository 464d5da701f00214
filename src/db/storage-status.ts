// Whether the browser may evict this site's data, and how much room is left.
// IndexedDB is "best effort" unless persistence is granted; Safari also deletes
// data of sites not used for 7 days unless the app is on the home screen.
export type StorageStatus = {
  /** null: the browser cannot say (no StorageManager). */
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
};

const manager = (): StorageManager | null => (typeof navigator !== 'undefined' && navigator.storage ? navigator.storage : null);

/** Asks the browser to keep our data; returns whether it is now persistent (null: cannot ask). */
export async function requestPersistence(): Promise<boolean | null> {
  const m = manager();
  if (!m?.persist) return null;
  try {
    return (await m.persisted?.()) || (await m.persist());
  } catch {
    return null;
  }
}

export async function storageStatus(): Promise<StorageStatus> {
  const m = manager();
  const [persisted, estimate] = await Promise.all([m?.persisted?.().catch(() => null) ?? null, m?.estimate?.().catch(() => null) ?? null]);
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}
