// Wakes long-polling pulls of a lab when a push to it commits. In-process: one server
// process serves the database (docs/deploy.md, "Lab server").
type Waiter = () => void;

export class LabSignals {
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** Resolves with true when the lab gets new events, false after `ms` or when `signal` aborts. */
  wait(labId: string, ms: number, signal?: AbortSignal): { promise: Promise<boolean>; cancel: () => void } {
    let set = this.waiters.get(labId);
    if (!set) this.waiters.set(labId, (set = new Set()));
    const waiters = set;
    const map = this.waiters;
    let done: (woken: boolean) => void = () => {};
    const promise = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), ms);
      const onAbort = () => finish(false);
      const waiter = () => finish(true);
      function finish(woken: boolean) {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        waiters.delete(waiter);
        if (waiters.size === 0 && map.get(labId) === waiters) map.delete(labId);
        resolve(woken);
      }
      done = finish;
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort);
    });
    return { promise, cancel: () => done(false) };
  }

  notify(labId: string): void {
    const set = this.waiters.get(labId);
    if (!set) return;
    for (const waiter of [...set]) waiter();
  }

  waiting(labId: string): number {
    return this.waiters.get(labId)?.size ?? 0;
  }
}
