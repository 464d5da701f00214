import { useState } from 'react';
import type { Role } from '../../domain/case';
import { useAddUser, useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';
import { SecretInput, secretHint, secretLabel } from '../../ui/secret-input';
import { RoleChecks } from './role-checks';


/** The new person enters their own secret on the tablet (or a temporary one the admin resets later). */
export function AddPersonForm() {
  const policy = useSecurityPolicy().data?.secret;
  const add = useAddUser();
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [secret, setSecret] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const adminSecret = useAdminSecret();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    add.mutate({ name, roles, secret, adminSecret: adminSecret.take() }, {
      onSuccess: () => {
        setDone(name);
        setName('');
        setRoles([]);
        setSecret('');
      },
    });
  };
  return (
    <section className="card" aria-labelledby="add-person-title">
      <h2 id="add-person-title">Add a person</h2>
      <form onSubmit={submit} noValidate aria-label="Add a person">
        <div className="field">
          <label htmlFor="person-name">Name as printed on signatures</label>
          <input id="person-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </div>
        <RoleChecks legend="Roles" roles={roles} onChange={setRoles} />
        <div className="field">
          <label htmlFor="person-secret">Their {secretLabel(policy)}</label>
          <span id="person-secret-hint" className="hint">{secretHint(policy)}. Let them type it themselves.</span>
          <SecretInput id="person-secret" value={secret} onChange={setSecret} policy={policy} describedBy="person-secret-hint" autoComplete="new-password" />
        </div>
        <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={add.error} />
        {done && !add.isError && <p className="badge ok" role="status">{done} added</p>}
        <button type="submit" className="btn primary" disabled={add.isPending}>{add.isPending ? 'Adding…' : 'Add person'}</button>
      </form>
    </section>
  );
}
