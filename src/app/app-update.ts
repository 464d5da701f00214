// The service worker's "a new version is waiting", as a small store: registered once for the
// page, so the prompt keeps what it knows when the screen under it changes (locked ↔ signed in).
import { registerSW } from 'virtual:pwa-register';

let waiting = false;
let update: ((reload?: boolean) => Promise<void>) | null = null;
const listeners = new Set<() => void>();

const set = (next: boolean) => {
  waiting = next;
  listeners.forEach((l) => l());
};

/** Registers the service worker (once) and starts listening for a waiting new version. */
export function watchForUpdates(): void {
  update ??= registerSW({ immediate: true, onNeedRefresh: () => set(true) });
}

export const newVersionWaiting = (): boolean => waiting;
export const dismissNewVersion = (): void => set(false);
export const takeNewVersion = (): Promise<void> => update?.(true) ?? Promise.resolve();

export function subscribeUpdates(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
