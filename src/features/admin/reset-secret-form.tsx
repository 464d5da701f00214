import { useId, useState } from 'react';
import { useResetSecret, useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';
import { SecretInput, secretHint, secretLabel } from '../../ui/secret-input';

export function ResetSecretForm({ userId, name, onDone }: { userId: string; name: string; onDone: () => void }) {
  const policy = useSecurityPolicy().data?.secret;
  const reset = useResetSecret();
  const [secret, setSecret] = useState('');
  const id = useId();
  const adminSecret = useAdminSecret();
  return (
    <form
      className="notice"
      aria-label={`New secret for ${name}`}
      onSubmit={(e) => { e.preventDefault(); reset.mutate({ userId, secret, adminSecret: adminSecret.take() }, { onSuccess: onDone }); }}
    >
      <div className="field">
        <label htmlFor={id}>New {secretLabel(policy)} for {name}</label>
        <span id={`${id}-hint`} className="hint">{secretHint(policy)}. {name} gets a new signing key; their earlier signatures still verify.</span>
        <SecretInput id={id} value={secret} onChange={setSecret} policy={policy} describedBy={`${id}-hint`} autoComplete="new-password" />
      </div>
      <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={reset.error} />
      <button type="submit" className="btn primary" disabled={reset.isPending}>Save new {secretLabel(policy)}</button>
    </form>
  );
}
