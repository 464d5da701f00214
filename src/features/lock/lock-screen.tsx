import { useEffect, useState, type ReactNode } from 'react';
import { ROLE_LABELS } from '../../domain/case';
import { shownName } from '../../domain/demo-people';
import { prepareSignIn, useSecurityPolicy, useSignIn, useUsers } from '../../queries/user-queries';
import { errorMessage } from '../../ui/format';
import { SecretInput, secretLabel } from '../../ui/secret-input';

/**
 * Pick your name, enter your secret. Shown whenever the tablet is locked. Once the people show,
 * the code sign-in needs is fetched, and `onShown` runs (the app fetches what comes after sign-in):
 * not before, so that nothing competes with the first screen.
 */
export function LockScreen({ firstRun, onShown }: { firstRun: ReactNode; onShown?: () => void }) {
  const users = useUsers();
  const policy = useSecurityPolicy().data?.secret;
  const signIn = useSignIn();
  const [chosen, setChosen] = useState<string | null>(null);
  const [secret, setSecret] = useState('');
  const shown = !users.isPending;
  useEffect(() => {
    if (!shown) return;
    prepareSignIn();
    onShown?.();
  }, [shown, onShown]);

  if (users.isPending) return <p role="status">Loading…</p>;
  if (users.data?.length === 0) return <>{firstRun}</>;
  const active = users.data?.filter((u) => u.active) ?? [];
  const person = active.find((u) => u.id === chosen);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!person) return;
    signIn.mutate({ userId: person.id, secret }, { onSettled: () => setSecret('') });
  };

  return (
    <section className="card lock" aria-labelledby="lock-title">
      <h1 id="lock-title">Printpath is locked</h1>
      <p className="muted">Patient data on this tablet is encrypted. Choose your name and enter your {secretLabel(policy)}.</p>
      <ul className="user-list" aria-label="People on this tablet">
        {active.map((u) => (
          <li key={u.id}>
            <button type="button" className={`btn ${u.id === chosen ? 'primary' : ''}`} aria-pressed={u.id === chosen} onClick={() => { setChosen(u.id); signIn.reset(); }}>
              <span>
                {shownName(u)}
                {u.problem && <> <span className="badge bad">does not verify</span></>}
              </span>
              <span className="role-list">{u.roles.map((r) => ROLE_LABELS[r]).join(', ')}</span>
            </button>
          </li>
        ))}
      </ul>
      {person && (
        <form onSubmit={submit} aria-label={`Sign in as ${shownName(person)}`}>
          <div className="field">
            <label htmlFor="unlock-secret">{secretLabel(policy)} for {shownName(person)}</label>
            <SecretInput id="unlock-secret" value={secret} onChange={setSecret} policy={policy} autoFocus invalid={signIn.isError} describedBy={signIn.isError ? 'unlock-error' : undefined} />
            {signIn.isError && <span id="unlock-error" className="field-error" role="alert">{errorMessage(signIn.error)}</span>}
          </div>
          <button type="submit" className="btn primary" disabled={!secret || signIn.isPending}>{signIn.isPending ? 'Checking…' : 'Sign in'}</button>
        </form>
      )}
    </section>
  );
}
