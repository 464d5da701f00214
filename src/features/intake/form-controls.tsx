// Labelled inputs bound to the surrounding react-hook-form by name; each shows
// its own error at the field (through Field: aria-invalid, role=alert).
import { get, useFormContext, useFormState, type FieldError, type FieldValues, type Path } from 'react-hook-form';
import { Field } from '../../ui/field';

type Common<T extends FieldValues> = { name: Path<T>; label: string; hint?: string };

/** The error message at `name` (an array's own error sits on `root` once its items are registered). */
export function useFieldError(name: string): string | undefined {
  const { errors } = useFormState({ name });
  const e = get(errors, name) as (FieldError & { root?: FieldError }) | undefined;
  return e?.message ?? e?.root?.message;
}

type TextProps<T extends FieldValues> = Common<T> & { type?: 'text' | 'date' | 'number'; autoComplete?: string; inputMode?: 'numeric' | 'text'; /** A <datalist> id: suggestions, free text still allowed. */ list?: string };

export function TextField<T extends FieldValues>({ name, label, hint, type = 'text', autoComplete = 'off', inputMode, list }: TextProps<T>) {
  const { register } = useFormContext<T>();
  const error = useFieldError(name);
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          type={type}
          inputMode={inputMode}
          list={list}
          autoComplete={autoComplete}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          {...register(name, type === 'number' ? { valueAsNumber: true } : {})}
        />
      )}
    </Field>
  );
}

export function TextAreaField<T extends FieldValues>({ name, label, hint }: Common<T>) {
  const { register } = useFormContext<T>();
  const error = useFieldError(name);
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => <textarea id={id} aria-describedby={describedBy} aria-invalid={invalid} {...register(name)} />}
    </Field>
  );
}

type SelectProps<T extends FieldValues> = Common<T> & { options: readonly { value: string; label: string }[]; placeholder?: string };

export function SelectField<T extends FieldValues>({ name, label, hint, options, placeholder }: SelectProps<T>) {
  const { register } = useFormContext<T>();
  const error = useFieldError(name);
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={invalid} {...register(name)}>
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}
