// Errors the UI can show as they are. A full disk may come wrapped (Dexie puts
// the browser's error in `inner`), so look through the chain.

export class CommandRefused extends Error {
  override name = 'CommandRefused';
}

export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor() {
    super('The tablet’s storage is full: nothing was saved. Free space (or export a backup and remove old cases), then try again.');
  }
}

export function isQuotaError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const name = (e as { name?: string }).name;
    if (name === 'QuotaExceededError' || name === 'QuotaExceeded') return true;
    e = (e as { inner?: unknown; cause?: unknown }).inner ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Turns storage failures into messages a user can act on. */
export async function guardStorage<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError();
    throw error;
  }
}
