import { useRegisterSW } from 'virtual:pwa-register/react';

/** A new version waits until the user says so: an automatic reload could drop a half-filled form. */
export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW();
  if (!needRefresh) return null;
  return (
    <div className="notice" role="status" style={{ margin: '0.5rem 1rem' }}>
      <strong>A new version of Printpath is ready.</strong> Save what you are doing, then reload.
      <div className="btn-row" style={{ marginTop: '0.5rem' }}>
        <button type="button" className="btn primary" onClick={() => void updateServiceWorker(true)}>Reload now</button>
        <button type="button" className="btn" onClick={() => setNeedRefresh(false)}>Later</button>
      </div>
    </div>
  );
}
