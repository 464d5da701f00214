import { useSyncExternalStore } from 'react';

const subscribe = (cb: () => void) => {
  window.addEventListener('online', cb);
  window.addEventListener('offline', cb);
  return () => {
    window.removeEventListener('online', cb);
    window.removeEventListener('offline', cb);
  };
};

/** Offline is normal here: everything is stored on the tablet. */
export function NetworkStatus() {
  const online = useSyncExternalStore(subscribe, () => navigator.onLine);
  return <span className="net" aria-live="polite">{online ? 'Online' : 'Offline — saving on this tablet'}</span>;
}
