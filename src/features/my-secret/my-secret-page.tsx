import { useState } from 'react';
import { useChangeOwnSecret, useSecretResetBy, useSecurityPolicy } from '../../queries/user-queries';
import { useSession } from '../../session/session';
import { errorMessage, formatDateTime } from '../../ui/format';
import { SecretInput, secretHint, secretLabel } from '../../ui/secret-input';

/** The signed-in person chooses a new secret of their own, typing the current one (new keys, signed by them on the lab log). */
export function MySecretPage() {
  const { actor } = useSession();
  const policy = useSecurityPolicy().data?.secret;
  const change = useChangeOwnSecret();
  const resetBy = useSecretResetBy(actor?.id ?? null).data;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const word = secretLabel(policy);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setMismatch(next !== again);
    if (next !== again) return;
    change.mutate({ current, next }, { onSettled: () => setCurrent(''), onSuccess: () => { setNext(''); setAgain(''); } });
  };
  return (
    <section className="card" aria-labelledby="my-secret-title" style={{ maxWidth: 640 }}>
      <h1 id="my-secret-title">My {word}</h1>
      {resetBy && (
        <p className="notice warn" role="status">
          {resetBy.by} reset your {word.toLowerCase()} on {formatDateTime(resetBy.at)}, so they know it. Choose one only you know.
        </p>
      )}
      <p className="muted">A new {word.toLowerCase()} also gives you new signing keys; your earlier signatures keep verifying. The change is signed by you on the lab log.</p>
      <form onSubmit={submit} noValidate aria-label={`Change my ${word}`}>
        <div className="field">
          <label htmlFor="my-current">Current {word}</label>
          <SecretInput id="my-current" value={current} onChange={setCurrent} policy={policy} autoComplete="current-password" />
        </div>
        <div className="field">
          <label htmlFor="my-next">New {word}</label>
          <span id="my-next-hint" className="hint">{secretHint(policy)}</span>
          <SecretInput id="my-next" value={next} onChange={setNext} policy={policy} describedBy="my-next-hint" autoComplete="new-password" />
        </div>
        <div className="field">
          <label htmlFor="my-again">New {word} again</label>
          <SecretInput id="my-again" value={again} onChange={setAgain} policy={policy} invalid={mismatch} autoComplete="new-password" />
        </div>
        {mismatch && <p className="field-error" role="alert">The two new {word}s differ: type the same one twice.</p>}
        {change.isError && <p className="field-error" role="alert">{errorMessage(change.error)}</p>}
        {change.isSuccess && <p className="badge ok" role="status">New {word} saved</p>}
        <button type="submit" className="btn primary" disabled={change.isPending || !current || !next}>{change.isPending ? 'Saving…' : `Save new ${word}`}</button>
      </form>
    </section>
  );
}
