import { useId, type ReactNode } from 'react';

type Props = {
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  /** Not an error (the value saves), but likely wrong: said at the field while typing. */
  warning?: ReactNode;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
};

/** A labelled control with its hint and its error message, wired for screen readers. */
export function Field({ label, error, hint, warning, children }: Props) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const warningId = warning ? `${id}-warning` : undefined;
  const describedBy = [hintId, errorId, warningId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && <span id={hintId} className="hint">{hint}</span>}
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error && <span id={errorId} className="field-error" role="alert">{error}</span>}
      {warning && <span id={warningId} className="field-warning" aria-live="polite">{warning}</span>}
    </div>
  );
}
