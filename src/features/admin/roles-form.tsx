import { useState } from 'react';
import type { Role } from '../../domain/case';
import type { PublicUser } from '../../db/user-repo';
import { useChangeRoles, useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';
import { RoleChecks } from './role-checks';

/** New roles for one person, signed by the acting admin. The rules (no self-grant, a last admin) are the API's. */
export function RolesForm({ person, self, onDone }: { person: PublicUser; self: boolean; onDone: () => void }) {
  const policy = useSecurityPolicy().data?.secret;
  const change = useChangeRoles();
  const adminSecret = useAdminSecret();
  const [roles, setRoles] = useState<Role[]>(person.roles);
  return (
    <form
      className="notice"
      aria-label={`Roles for ${person.name}`}
      onSubmit={(e) => { e.preventDefault(); change.mutate({ userId: person.id, roles, adminSecret: adminSecret.take() }, { onSuccess: onDone }); }}
    >
      <RoleChecks legend={`Roles for ${person.name}`} hint={self && <span className="hint">You can give up a role here, but not grant yourself one: another lab admin must.</span>} roles={roles} onChange={setRoles} />
      <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={change.error} />
      <button type="submit" className="btn primary" disabled={change.isPending}>{change.isPending ? 'Saving…' : 'Save roles'}</button>
    </form>
  );
}
