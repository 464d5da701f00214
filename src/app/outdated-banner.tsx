import { useEffect, useState } from 'react';
import { onDatabaseOutdated } from '../db/changes';

export function OutdatedBanner() {
  const [outdated, setOutdated] = useState(false);
  useEffect(() => onDatabaseOutdated(() => setOutdated(true)), []);
  if (!outdated) return null;
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
