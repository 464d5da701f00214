import { useId } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import type { DeliverablesForm } from './form-values';
import { SelectField, TextField } from './form-controls';
import { GUIDE_TYPE_OPTIONS } from './labels';
import { MaterialOptions } from './material-options';

type Props = { index: number; onRemove: () => void };

export function GuideFields({ index, onRemove }: Props) {
  const { control } = useFormContext<DeliverablesForm>();
  const base = `deliverables.${index}` as const;
  const name = useWatch({ control, name: `${base}.name` });
  const title = name.trim() || 'unnamed';
  const materials = useId();
  return (
    <fieldset className="item-card">
      <legend>Guide: {title}</legend>
      <div className="grid-2">
        <TextField<DeliverablesForm> name={`${base}.name`} label="Guide name" hint="e.g. Mandible osteotomy guide" />
        <SelectField<DeliverablesForm> name={`${base}.guideType`} label="Guide type" options={GUIDE_TYPE_OPTIONS} placeholder="Choose…" />
        <TextField<DeliverablesForm> name={`${base}.material`} label="Material" list={materials} />
        <MaterialOptions id={materials} />
      </div>
      <div className="btn-row">
        <button type="button" className="btn danger" onClick={onRemove}>Remove guide {title}</button>
      </div>
    </fieldset>
  );
}
