import { useSyncExternalStore } from 'react';

// Whether a newer tab took the database, for the whole page: the banner stays up when the
// screen under it changes. The storage code loads after the first paint, not with it.
let outdated = false;
let watching = false;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!watching) {
    watching = true;
    void import('../db/changes').then(({ onDatabaseOutdated }) => onDatabaseOutdated(() => {
      outdated = true;
      listeners.forEach((l) => l());
    }));
  }
  return () => listeners.delete(listener);
}

export function OutdatedBanner() {
  if (!useSyncExternalStore(subscribe, () => outdated)) return null;
  return (
    <div className="notice warn" role="alert" style={{ margin: '0.5rem 1rem' }}>
      <strong>Printpath was updated in another tab.</strong> This tab can no longer save. What you typed is kept as a draft and comes back after you
      reload and sign in.
      <div className="btn-row" style={{ marginTop: '0.5rem' }}>
        <button type="button" className="btn primary" onClick={() => window.location.reload()}>Reload</button>
      </div>
    </div>
  );
}
