import type { PublicUser } from '../../db/user-repo';
import { useSecurityPolicy, useSetUserActive } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';

/** Disabling or enabling a person, confirmed with the acting admin's secret. */
export function ActiveForm({ person, onDone }: { person: PublicUser; onDone: () => void }) {
  const policy = useSecurityPolicy().data?.secret;
  const setActive = useSetUserActive();
  const adminSecret = useAdminSecret();
  const action = person.active ? `Disable ${person.name}` : `Enable ${person.name}`;
  return (
    <form
      className="notice"
      aria-label={action}
      onSubmit={(e) => { e.preventDefault(); setActive.mutate({ userId: person.id, active: !person.active, adminSecret: adminSecret.take() }, { onSuccess: onDone }); }}
    >
      <p>
        {person.active
          ? `${person.name} will no longer be able to sign in. Their earlier signatures and entries stay valid.`
          : `${person.name} will be able to sign in again, with their current secret.`}
      </p>
      <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={setActive.error} />
      <button type="submit" className={`btn ${person.active ? 'danger' : 'primary'}`} disabled={setActive.isPending}>{action}</button>
    </form>
  );
}
