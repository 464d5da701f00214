import { useId, useState } from 'react';
import type { SecretPolicy } from '../crypto/secret-keys';
import { errorMessage } from './format';
import { SecretInput } from './secret-input';

/** "PIN" or "passphrase", inside a sentence. */
export const secretWord = (policy: SecretPolicy | undefined) => (policy?.kind === 'passphrase' ? 'passphrase' : 'PIN');

/**
 * The acting admin's own secret for one change to people or policy: it unwraps their
 * sign-off key, which signs the change on the lab log. `take()` hands the typed secret
 * to the submit and clears the box, so it is never kept for a second change.
 */
export function useAdminSecret() {
  const [value, setValue] = useState('');
  return {
    value,
    onChange: setValue,
    take: () => {
      setValue('');
      return value;
    },
  };
}

type Props = {
  policy: SecretPolicy | undefined;
  value: string;
  onChange: (v: string) => void;
  /** The change's error, if it failed: shown under the box (a wrong secret marks the box invalid). */
  error: unknown;
};

// A wrong secret or a locked-out admin, as opposed to a refused change (accounts.ts SignInError).
const secretRefused = (e: unknown) => e instanceof Error && e.name === 'SignInError';

/** The labelled box "Your PIN, to confirm", with the change's error sentence. */
export function AdminConfirm({ policy, value, onChange, error }: Props) {
  const id = useId();
  return (
    <div className="field admin-confirm">
      <label htmlFor={id}>Your {secretWord(policy)}, to confirm</label>
      <span id={`${id}-hint`} className="hint">Your own {secretWord(policy)}: it signs this change on the lab log.</span>
      <SecretInput id={id} value={value} onChange={onChange} policy={policy} invalid={secretRefused(error)} describedBy={error ? `${id}-hint ${id}-error` : `${id}-hint`} autoComplete="off" />
      {Boolean(error) && <span id={`${id}-error`} className="field-error" role="alert">{errorMessage(error)}</span>}
    </div>
  );
}
