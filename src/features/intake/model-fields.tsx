import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { blankComponent, type DeliverablesForm } from './form-values';
import { TextField, useFieldError } from './form-controls';
import { ComponentFields } from './component-fields';

type Props = { index: number; onRemove: () => void };

export function ModelFields({ index, onRemove }: Props) {
  const { control } = useFormContext<DeliverablesForm>();
  const base = `deliverables.${index}` as const;
  const name = useWatch({ control, name: `${base}.name` });
  const { fields, append, remove } = useFieldArray({ control, name: `${base}.components` });
  const listError = useFieldError(`${base}.components`);
  const title = name.trim() || 'unnamed';
  return (
    <fieldset className="item-card">
      <legend>Anatomic model: {title}</legend>
      <div className="grid-2">
        <TextField<DeliverablesForm> name={`${base}.name`} label="Model name" hint="e.g. Pelvis with fracture fragments" />
        <TextField<DeliverablesForm> name={`${base}.copies`} label="Copies" type="number" inputMode="numeric" hint="Printed copies are not extra components" />
      </div>
      <h3 className="components-title">Components</h3>
      {listError && <p className="field-error" role="alert">{listError}</p>}
      {fields.length === 0 && <p className="muted">No components: add each separately prepared part.</p>}
      {fields.map((f, j) => (
        <ComponentFields key={f.id} base={`${base}.components.${j}`} position={j + 1} onRemove={() => remove(j)} />
      ))}
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => append(blankComponent())}>Add component to {title}</button>
        <button type="button" className="btn danger" onClick={onRemove}>Remove model {title}</button>
      </div>
    </fieldset>
  );
}
