import { shortFingerprint } from '../../crypto/signing-keys';
import { useLabRoot } from '../../queries/user-queries';
import { useSession } from '../../session/session';
import { AddPersonForm } from './add-person-form';
import { LabLog } from './lab-log';
import { PeopleList } from './people-list';
import { SecurityPolicyForm } from './security-policy-form';

/** Lab admin: the lab's root key, people on this tablet, the secret policy, and the lab audit trail. */
export function AdminPage() {
  const { actor } = useSession();
  if (!actor?.roles.includes('admin')) return <div className="notice bad">Only a lab admin can manage people and security.</div>;
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">People &amp; security</h1>
      <LabRootKey />
      <PeopleList />
      <AddPersonForm />
      <SecurityPolicyForm />
      <LabLog />
    </section>
  );
}

/** The fingerprint people compare with the PDFs: a lab log rebuilt from another root cannot show the same one. */
function LabRootKey() {
  const root = useLabRoot();
  if (root.isPending) return null;
  return (
    <section className="card root-key" aria-labelledby="root-key-title">
      <h2 id="root-key-title" className="visually-hidden">Lab root key</h2>
      {root.data ? (
        <>
          <p className="root-key-short">
            Lab root key: <strong>{shortFingerprint(root.data)} …</strong>
          </p>
          <p className="hash">{root.data}</p>
          <p>Write this down and compare it with the one printed on every case PDF: a lab log rebuilt from another root shows a different key.</p>
        </>
      ) : (
        <p className="notice bad" role="alert">This lab has no valid root key: its lab log has no valid signed start, so nobody on it can be trusted.</p>
      )}
    </section>
  );
}
