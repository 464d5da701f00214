import { useSession } from '../../session/session';
import { AddPersonForm } from './add-person-form';
import { LabLog } from './lab-log';
import { PeopleList } from './people-list';
import { SecurityPolicyForm } from './security-policy-form';

/** Lab admin: people on this tablet, the secret policy, and the lab audit trail. */
export function AdminPage() {
  const { actor } = useSession();
  if (!actor?.roles.includes('admin')) return <div className="notice bad">Only a lab admin can manage people and security.</div>;
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">People &amp; security</h1>
      <PeopleList />
      <AddPersonForm />
      <SecurityPolicyForm />
      <LabLog />
    </section>
  );
}
