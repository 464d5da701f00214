import { useFieldArray, useFormContext, useWatch } from 'react-hook-form';
import { blankComponent, type DeliverablesForm } from './form-values';
import { TextField, useFieldError } from './form-controls';
import { ComponentFields } from './component-fields';

/** `structures`: the order's structures, offered for each component (`structuresList`: their <datalist>'s id). */
type Props = { index: number; onRemove: () => void; structures?: readonly string[]; structuresList?: string | undefined };

const same = (a: string, b: string) => a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();

export function ModelFields({ index, onRemove, structures = [], structuresList }: Props) {
  const { control, register } = useFormContext<DeliverablesForm>();
  const base = `deliverables.${index}` as const;
  const name = useWatch({ control, name: `${base}.name` });
  const components = useWatch({ control, name: `${base}.components` }) ?? [];
  const digital = useWatch({ control, name: `${base}.digital` }) ?? false;
  const { fields, append, remove, replace } = useFieldArray({ control, name: `${base}.components` });
  // The order's structures not yet a component of this model: added in one tap, not typed again.
  const missing = [...new Set(structures.map((s) => s.trim()).filter(Boolean))].filter((s) => !components.some((c) => same(c.structure, s)));
  const addOrderStructures = () => {
    const kept = components.filter((c) => c.structure.trim() || c.colour.trim() || c.material.trim());
    replace([...kept, ...missing.map((structure) => ({ ...blankComponent(), structure }))]);
  };
  const listError = useFieldError(`${base}.components`);
  const title = name.trim() || 'unnamed';
  return (
    <fieldset className="item-card">
      <legend>Anatomic model: {title}</legend>
      <div className="grid-2">
        <TextField<DeliverablesForm> name={`${base}.name`} label="Model name" hint="e.g. Pelvis with fracture fragments" />
        {!digital && <TextField<DeliverablesForm> name={`${base}.copies`} label="Copies" type="number" inputMode="numeric" hint="Printed copies are not extra components" />}
      </div>
      <label className="check">
        <input type="checkbox" {...register(`${base}.digital`)} />
        Digital model only: the surface mesh is delivered as a file, not printed
      </label>
      {!digital && (
        <label className="check">
          <input type="checkbox" {...register(`${base}.sterile`)} />
          Enters the sterile field: sterilized for the OR, with a sterilization record at delivery like a guide
        </label>
      )}
      <h3 className="components-title">Components</h3>
      {listError && <p className="field-error" role="alert">{listError}</p>}
      {fields.length === 0 && <p className="muted">No components: add each separately prepared part.</p>}
      {fields.map((f, j) => (
        <ComponentFields key={f.id} base={`${base}.components.${j}`} position={j + 1} onRemove={() => remove(j)} structuresList={structuresList} digital={digital} />
      ))}
      <div className="btn-row">
        {missing.length > 0 && (
          <button type="button" className="btn" onClick={addOrderStructures}>
            Add the order’s {missing.length === 1 ? `structure “${missing[0]}”` : `${missing.length} structures`} to {title}
          </button>
        )}
        <button type="button" className="btn" onClick={() => append(blankComponent())}>Add component to {title}</button>
        <button type="button" className="btn danger" onClick={onRemove}>Remove model {title}</button>
      </div>
    </fieldset>
  );
}
