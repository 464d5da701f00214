import type { UseFormRegisterReturn } from 'react-hook-form';
import { Field } from '../../ui/field';

type Props = { label: string; hint?: string; error: string | undefined; reg: UseFormRegisterReturn };

export function TextInput({ label, hint, error, reg }: Props) {
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => <input id={id} aria-describedby={describedBy} aria-invalid={invalid} autoComplete="off" {...reg} />}
    </Field>
  );
}
