// Who is signed in, as React sees it: a view of the vault (src/db/vault.ts).
// Locking drops the data key and every cached query, so nothing decrypted
// outlives the session on screen or in memory.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import type { Actor } from '../domain/case';
import { currentUnlock, lock, subscribeVault } from '../db/vault';

export function useSession(): { actor: Actor | null; lock: () => Promise<void> } {
  const unlocked = useSyncExternalStore(subscribeVault, currentUnlock);
  return { actor: unlocked?.actor ?? null, lock };
}

/** Clears the query cache whenever the tablet locks. */
export function useClearCacheOnLock(): void {
  const client = useQueryClient();
  useEffect(() => subscribeVault(() => {
    if (!currentUnlock()) client.clear();
  }), [client]);
}
