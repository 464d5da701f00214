import type { QueryClient } from '@tanstack/react-query';
import { onDatabaseChange } from '../db/changes';

/**
 * Invalidate cached reads whenever the database changes, in this tab or another. Reads
 * from the lab server (`meta.server`) have their own schedule: a sync writes often.
 */
export function followDatabaseChanges(client: QueryClient): () => void {
  return onDatabaseChange(() => void client.invalidateQueries({ predicate: (q) => q.meta?.server !== true }));
}
