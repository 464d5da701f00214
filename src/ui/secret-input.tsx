import type { SecretPolicy } from '../crypto/secret-keys';

type Props = { id: string; value: string; onChange: (v: string) => void; policy: SecretPolicy | undefined; describedBy?: string | undefined; invalid?: boolean; autoFocus?: boolean; autoComplete?: string };

/** A PIN or passphrase box: masked, numeric keypad for PINs, never autofilled by the browser. */
export function SecretInput({ id, value, onChange, policy, describedBy, invalid, autoFocus, autoComplete = 'off' }: Props) {
  const pin = policy?.kind === 'pin';
  return (
    <input
      id={id}
      type="password"
      inputMode={pin ? 'numeric' : 'text'}
      autoComplete={autoComplete}
      autoFocus={autoFocus}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-describedby={describedBy}
      aria-invalid={invalid}
      className="secret"
    />
  );
}

export const secretLabel = (policy: SecretPolicy | undefined) => (policy?.kind === 'passphrase' ? 'Passphrase' : 'PIN');
export const secretHint = (policy: SecretPolicy | undefined) =>
  policy?.kind === 'passphrase' ? `At least ${policy.minLength} characters` : `At least ${policy?.minLength ?? 6} digits`;
