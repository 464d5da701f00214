import { lazy, Suspense, useState } from 'react';
import { useSecurityPolicy, useSetUpTablet } from '../../queries/user-queries';
import { errorMessage } from '../../ui/format';
import { SecretInput, secretHint, secretLabel } from '../../ui/secret-input';

// Joining a lab server is rare (a new device, once): its code loads with the screen, not the first load.
const JoinLab = lazy(() => import('./join-lab').then((m) => ({ default: m.JoinLab })));

/** First run: the first lab admin, who can then add everyone else; or join the lab server's lab. */
export function FirstRun() {
  const policy = useSecurityPolicy().data?.secret;
  const setUp = useSetUpTablet();
  const [name, setName] = useState('');
  const [alsoTech, setAlsoTech] = useState(false);
  const [secret, setSecret] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (secret !== confirm) return setMismatch(true);
    setMismatch(false);
    setUp.mutate({ name, roles: alsoTech ? ['admin', 'technician'] : ['admin'], secret });
  };

  return (
    <>
      <section className="card lock" aria-labelledby="setup-title">
        <h1 id="setup-title">Set up this tablet</h1>
        <p>
          Printpath keeps a 3D printing lab’s cases on this tablet, encrypted, and works without a network. Start with the first
          <strong> lab admin</strong>: they add the technicians and radiologists, each with their own {secretLabel(policy)}.
        </p>
        <form onSubmit={submit} noValidate aria-label="Create the first lab admin">
          <div className="field">
            <label htmlFor="setup-name">Your name as printed on signatures</label>
            <input id="setup-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
          </div>
          <label className="check">
            <input type="checkbox" checked={alsoTech} onChange={(e) => setAlsoTech(e.target.checked)} />
            I also work cases as a lab technician
          </label>
          <div className="field">
            <label htmlFor="setup-secret">Choose a {secretLabel(policy)}</label>
            <span id="setup-secret-hint" className="hint">{secretHint(policy)}. It cannot be recovered: another admin can reset it.</span>
            <SecretInput id="setup-secret" value={secret} onChange={setSecret} policy={policy} describedBy="setup-secret-hint" autoComplete="new-password" />
          </div>
          <div className="field">
            <label htmlFor="setup-confirm">{secretLabel(policy)} again</label>
            <SecretInput id="setup-confirm" value={confirm} onChange={setConfirm} policy={policy} invalid={mismatch} describedBy={mismatch ? 'setup-mismatch' : undefined} autoComplete="new-password" />
            {mismatch && <span id="setup-mismatch" className="field-error" role="alert">The two entries differ</span>}
          </div>
          {setUp.isError && <p className="field-error" role="alert">{errorMessage(setUp.error)}</p>}
          <button type="submit" className="btn primary" disabled={setUp.isPending}>{setUp.isPending ? 'Setting up…' : 'Create lab admin'}</button>
        </form>
      </section>
      <Suspense fallback={null}>
        <JoinLab />
      </Suspense>
    </>
  );
}
