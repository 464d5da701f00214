import { useState } from 'react';
import { ROLE_LABELS } from '../../domain/case';
import { shownName } from '../../domain/demo-people';
import type { PublicUser } from '../../db/user-repo';
import { useUsers } from '../../queries/user-queries';
import { useSession } from '../../session/session';
import { ActiveForm } from './active-form';
import { ResetSecretForm } from './reset-secret-form';
import { RolesForm } from './roles-form';

type Open = { userId: string; form: 'reset' | 'roles' | 'active' } | null;

/** A problem sentence from the lab log check, as the end of "Not trusted: …". */
const asClause = (problem: string) => problem.charAt(0).toLowerCase() + problem.slice(1).replace(/\.$/, '');

export function PeopleList() {
  const users = useUsers();
  const me = useSession().actor?.id;
  const [open, setOpen] = useState<Open>(null);
  const [done, setDone] = useState<string | null>(null);
  const isOpen = (u: PublicUser, form: NonNullable<Open>['form']) => open?.userId === u.id && open.form === form;
  const toggle = (u: PublicUser, form: NonNullable<Open>['form']) => {
    setDone(null);
    setOpen(isOpen(u, form) ? null : { userId: u.id, form });
  };
  const finish = (message: string) => {
    setOpen(null);
    setDone(message);
  };
  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title">People on this tablet</h2>
      <ul className="people">
        {users.data?.map((u) => (
          <li key={u.id}>
            <div>
              <strong>{shownName(u)}</strong> — {u.roles.map((r) => ROLE_LABELS[r]).join(', ')}
              {u.demo && <> <span className="badge">Demo</span></>}
              {!u.active && <> <span className="badge bad">Disabled</span></>}
              {u.problem && <> <span className="badge bad">Does not verify</span></>}
              {u.lockedUntil && u.lockedUntil > new Date().toISOString() && <> <span className="badge warn">Locked out until {u.lockedUntil.slice(11, 16)} UTC</span></>}
              {u.problem && <p className="field-error">Not trusted, and cannot sign in: {asClause(u.problem)}. Restore the lab from a backup.</p>}
              <div className="muted hash">Signing key {u.keyFingerprint.slice(0, 16)}…</div>
            </div>
            <div className="btn-row">
              <button type="button" className="btn" onClick={() => toggle(u, 'reset')} aria-expanded={isOpen(u, 'reset')}>Reset secret for {shownName(u)}</button>
              <button type="button" className="btn" onClick={() => toggle(u, 'roles')} aria-expanded={isOpen(u, 'roles')}>Change roles for {shownName(u)}</button>
              {u.id !== me && (
                <button type="button" className={`btn ${u.active ? 'danger' : ''}`} onClick={() => toggle(u, 'active')} aria-expanded={isOpen(u, 'active')}>
                  {u.active ? `Disable ${shownName(u)}` : `Enable ${shownName(u)}`}
                </button>
              )}
            </div>
            {isOpen(u, 'reset') && <ResetSecretForm userId={u.id} name={shownName(u)} onDone={() => finish(`New secret saved for ${u.name}`)} />}
            {isOpen(u, 'roles') && <RolesForm person={u} self={u.id === me} onDone={() => finish(`Roles saved for ${u.name}`)} />}
            {isOpen(u, 'active') && <ActiveForm person={u} onDone={() => finish(`${u.name} ${u.active ? 'disabled' : 'enabled'}`)} />}
          </li>
        ))}
      </ul>
      {done && <p className="badge ok" role="status">{done}</p>}
    </section>
  );
}
