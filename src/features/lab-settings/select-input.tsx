import type { UseFormRegisterReturn } from 'react-hook-form';
import { Field } from '../../ui/field';

type Props = { label: string; hint?: string; error: string | undefined; reg: UseFormRegisterReturn; options: readonly { value: string; label: string }[] };

export function SelectInput({ label, hint, error, reg, options }: Props) {
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={invalid} {...reg}>
          <option value="">Choose…</option>
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}
