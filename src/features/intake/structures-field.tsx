// The order's structures: a plain list of strings, so one registered input per
// entry (useFieldArray only holds objects) with Add and Remove buttons.
import { useEffect, useRef } from 'react';
import { get, useFormContext, useFormState, useWatch, type FieldError } from 'react-hook-form';
import { Field } from '../../ui/field';
import type { OrderForm } from './form-values';
import { useFieldError } from './form-controls';

export function StructuresField() {
  const { control, register, getValues, setValue, setFocus } = useFormContext<OrderForm>();
  const structures = useWatch({ control, name: 'structures' });
  const { errors, isSubmitted } = useFormState({ control, name: 'structures' });
  const listError = useFieldError('structures');
  const focusAdded = useRef(false);

  useEffect(() => {
    if (!focusAdded.current) return;
    focusAdded.current = false;
    setFocus(`structures.${structures.length - 1}`);
  }, [structures.length, setFocus]);

  const update = (next: string[]) => setValue('structures', next, { shouldDirty: true, shouldValidate: isSubmitted });
  const add = () => {
    focusAdded.current = true;
    update([...getValues('structures'), '']);
  };

  return (
    <fieldset className="field">
      <legend className="label">Structures to include</legend>
      <span className="hint">One structure per line, e.g. “Left kidney”, “Tumour”, “Renal artery”.</span>
      {listError && <span className="field-error" role="alert">{listError}</span>}
      {structures.map((value, i) => {
        const error = get(errors, `structures.${i}`) as FieldError | undefined;
        return (
          <div className="entry-row" key={i}>
            <Field label={`Structure ${i + 1}`} error={error && (error.type === 'too_small' ? 'Enter the structure, or remove this line' : error.message)}>
              {({ id, describedBy, invalid }) => (
                <input id={id} autoComplete="off" aria-describedby={describedBy} aria-invalid={invalid} {...register(`structures.${i}`)} />
              )}
            </Field>
            <button type="button" className="btn" disabled={structures.length === 1} onClick={() => update(getValues('structures').filter((_, j) => j !== i))}>
              Remove structure {value.trim() || i + 1}
            </button>
          </div>
        );
      })}
      <div>
        <button type="button" className="btn" onClick={add}>Add structure</button>
      </div>
    </fieldset>
  );
}
