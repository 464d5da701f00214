import { useState } from 'react';
import { ROLE_LABELS } from '../../domain/case';
import { shownName } from '../../domain/demo-people';
import { useSetUserActive, useUsers } from '../../queries/user-queries';
import { useSession } from '../../session/session';
import { errorMessage } from '../../ui/format';
import { ResetSecretForm } from './reset-secret-form';

export function PeopleList() {
  const users = useUsers();
  const setActive = useSetUserActive();
  const me = useSession().actor?.id;
  const [resetting, setResetting] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">People on this tablet</h2>
      <ul className="people">
        {users.data?.map((u) => (
          <li key={u.id}>
            <div>
              <strong>{shownName(u)}</strong> — {u.roles.map((r) => ROLE_LABELS[r]).join(', ')}
              {!u.active && <span className="badge bad"> Disabled</span>}
              {u.lockedUntil && u.lockedUntil > new Date().toISOString() && <span className="badge warn"> Locked out until {u.lockedUntil.slice(11, 16)} UTC</span>}
              <div className="muted hash">Signing key {u.keyFingerprint.slice(0, 16)}…</div>
            </div>
            <div className="btn-row">
              <button type="button" className="btn" onClick={() => setResetting(resetting === u.id ? null : u.id)} aria-expanded={resetting === u.id}>Reset secret for {shownName(u)}</button>
              {u.id !== me && (
                <button type="button" className={`btn ${u.active ? 'danger' : ''}`} onClick={() => setActive.mutate({ userId: u.id, active: !u.active })}>
                  {u.active ? `Disable ${shownName(u)}` : `Enable ${shownName(u)}`}
                </button>
              )}
            </div>
            {resetting === u.id && <ResetSecretForm userId={u.id} name={shownName(u)} onDone={() => setResetting(null)} />}
          </li>
        ))}
      </ul>
      {setActive.isError && <p className="field-error" role="alert">{errorMessage(setActive.error)}</p>}
    </section>
  );
}
