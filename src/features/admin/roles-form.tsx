import { useState } from 'react';
import { ROLE_LABELS, type Role } from '../../domain/case';
import type { PublicUser } from '../../db/user-repo';
import { useChangeRoles, useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';

const ROLES: Role[] = ['technician', 'radiologist', 'admin'];

/** New roles for one person, signed by the acting admin. The rules (no self-grant, a last admin) are the API's. */
export function RolesForm({ person, self, onDone }: { person: PublicUser; self: boolean; onDone: () => void }) {
  const policy = useSecurityPolicy().data?.secret;
  const change = useChangeRoles();
  const adminSecret = useAdminSecret();
  const [roles, setRoles] = useState<Role[]>(person.roles);
  const toggle = (r: Role) => setRoles((rs) => (rs.includes(r) ? rs.filter((x) => x !== r) : [...rs, r]));
  return (
    <form
      className="notice"
      aria-label={`Roles for ${person.name}`}
      onSubmit={(e) => { e.preventDefault(); change.mutate({ userId: person.id, roles, adminSecret: adminSecret.take() }, { onSuccess: onDone }); }}
    >
      <fieldset className="field">
        <legend className="label">Roles for {person.name}</legend>
        {self && <span className="hint">You can give up a role here, but not grant yourself one: another lab admin must.</span>}
        {ROLES.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" checked={roles.includes(r)} onChange={() => toggle(r)} />
            {ROLE_LABELS[r]}
          </label>
        ))}
      </fieldset>
      <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={change.error} />
      <button type="submit" className="btn primary" disabled={change.isPending}>{change.isPending ? 'Saving…' : 'Save roles'}</button>
    </form>
  );
}
