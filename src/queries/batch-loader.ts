// Collects the keys asked for within one tick into one call: the rows of a
// screenful of the case list are read with one bulkGet, not one read each.
export function batchLoader<K, V>(loadMany: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | null> {
  let pending: { key: K; resolve: (v: V | null) => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const batch = pending;
    pending = [];
    loadMany([...new Set(batch.map((p) => p.key))]).then(
      (found) => batch.forEach((p) => p.resolve(found.get(p.key) ?? null)),
      (e: unknown) => batch.forEach((p) => p.reject(e)),
    );
  };
  return (key) =>
    new Promise((resolve, reject) => {
      pending.push({ key, resolve, reject });
      if (pending.length === 1) setTimeout(flush, 0);
    });
}
