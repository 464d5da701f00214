// Data lives in IndexedDB on this device, not on a server: queries and
// mutations must run offline, and stay fresh through Dexie change events
// (database-changes.ts: that module loads Dexie, so it is not in the lock screen's first load).
import { notifyManager, QueryClient } from '@tanstack/react-query';

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
