import { useEffect, useSyncExternalStore } from 'react';
import { useAnythingBusy } from '../session/busy';
import { dismissNewVersion, newVersionWaiting, subscribeUpdates, takeNewVersion, watchForUpdates } from './app-update';

/**
 * A new version waits until the user says so, and cannot be taken while a form has
 * unsaved input or a signature is being made: an automatic reload would lose them.
 */
export function UpdatePrompt() {
  useEffect(watchForUpdates, []);
  const needRefresh = useSyncExternalStore(subscribeUpdates, newVersionWaiting);
  const busy = useAnythingBusy();
  if (!needRefresh) return null;
  return (
    <div className="notice" role="status" style={{ margin: '0.5rem 1rem' }}>
      <strong>A new version of Printpath is ready.</strong>{' '}
      {busy ? 'Save or discard your unsaved input (or finish signing) first; then it can reload.' : 'Reloading takes a moment; you will sign in again.'}
      <div className="btn-row" style={{ marginTop: '0.5rem' }}>
        <button type="button" className="btn primary" disabled={busy} onClick={() => void takeNewVersion()}>Reload now</button>
        <button type="button" className="btn" onClick={dismissNewVersion}>Later</button>
      </div>
    </div>
  );
}
