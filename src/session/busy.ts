// What must not be interrupted by an app update: a form with unsaved input, a
// signature being made. Components mark it; the update prompt reads it.
import { useEffect, useSyncExternalStore } from 'react';

const busy = new Set<string>();
const listeners = new Set<() => void>();
let snapshot = 0;

export function setBusy(reason: string, on: boolean): void {
  const had = busy.has(reason);
  if (on === had) return;
  if (on) busy.add(reason);
  else busy.delete(reason);
  snapshot++;
  listeners.forEach((l) => l());
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** True while anything is marked busy. */
export function useAnythingBusy(): boolean {
  useSyncExternalStore(subscribe, () => snapshot);
  return busy.size > 0;
}

/** Marks `reason` busy while `on` holds and the component is mounted. */
export function useBusyWhile(reason: string, on: boolean): void {
  useEffect(() => {
    setBusy(reason, on);
    return () => setBusy(reason, false);
  }, [reason, on]);
}
