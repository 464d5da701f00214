// Who is signed in on this tablet, and the device keys that open PHI. All
// live only in memory: a reload, a lock or an idle timeout drops them, and with
// them everything decrypted (listeners clear their caches). Nothing here is
// written to storage.
import type { Actor } from '../domain/case';
import type { SearchKey } from '../domain/search-terms';
import type { KeyRing } from '../crypto/key-ring';
import { forgetVerifications } from '../crypto/signing-keys';

/**
 * Who is signed in (roles as the signed lab log says), the keys that open PHI (the lab's
 * key ring), the key of the blind search index, their entry key, which signs their audit
 * entries (never sign-offs), and their key-agreement key, which opens a new key epoch
 * granted to them while they are signed in.
 */
export type Unlocked = { actor: Actor; dataKey: KeyRing; searchKey: SearchKey; entryKey: CryptoKey; entryKeyId: string; agreementKey?: CryptoKey };

let unlocked: Unlocked | null = null;
const listeners = new Set<() => void>();
const onLockHooks = new Set<(key: KeyRing, actor: Actor) => Promise<void> | void>();

export class LockedError extends Error {
  override name = 'LockedError';
  constructor() {
    super('The tablet is locked: sign in to see or change cases.');
  }
}

export const currentUnlock = (): Unlocked | null => unlocked;

export function requireUnlock(): Unlocked {
  if (!unlocked) throw new LockedError();
  return unlocked;
}

export function setUnlocked(u: Unlocked): void {
  unlocked = u;
  listeners.forEach((l) => l());
}

/** Runs `hook` with the key just before it is dropped (e.g. to seal unsaved drafts). */
export function beforeLock(hook: (key: KeyRing, actor: Actor) => Promise<void> | void): () => void {
  onLockHooks.add(hook);
  return () => onLockHooks.delete(hook);
}

export async function lock(): Promise<void> {
  const was = unlocked;
  if (!was) return;
  for (const hook of onLockHooks) await hook(was.dataKey, was.actor);
  unlocked = null;
  // The next person's session proves what it shows afresh: no signature counts as checked because an earlier session checked it.
  forgetVerifications();
  listeners.forEach((l) => l());
}

export function subscribeVault(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
