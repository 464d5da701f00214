// Data lives in IndexedDB on this device, not on a server: queries and
// mutations must run offline, and stay fresh through Dexie change events
// (which also arrive from other tabs) rather than by refetch timers.
import { notifyManager, QueryClient } from '@tanstack/react-query';
import { onDatabaseChange } from '../db/changes';

// Hand cache changes to React in the same task, not a setTimeout later: a tick
// applied to the cache then renders and paints before the write's work begins.
notifyManager.setScheduler(queueMicrotask);

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { networkMode: 'always', staleTime: Infinity, retry: false, refetchOnWindowFocus: false },
      mutations: { networkMode: 'always', retry: false },
    },
  });
}

/**
 * Invalidate cached reads whenever the database changes, in this tab or another. Reads
 * from the lab server (`meta.server`) have their own schedule: a sync writes often.
 */
export function followDatabaseChanges(client: QueryClient): () => void {
  return onDatabaseChange(() => void client.invalidateQueries({ predicate: (q) => q.meta?.server !== true }));
}
