// The models and guides of a case, as a react-hook-form field array. Used
// inside any form whose values hold `deliverables` (new case, deliverables editor).
import { useId } from 'react';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { blankGuide, blankModel, type DeliverablesForm } from './form-values';
import { useFieldError } from './form-controls';
import { GuideFields } from './guide-fields';
import { ModelFields } from './model-fields';

/** `structures`: the order's structures, offered for each model component (a new one can still be typed). */
export function DeliverablesFields({ structures = [] }: { structures?: readonly string[] }) {
  const { control } = useFormContext<DeliverablesForm>();
  const structuresList = useId();
  const offered = [...new Set(structures.map((s) => s.trim()).filter(Boolean))];
  const { fields, append, remove } = useFieldArray({ control, name: 'deliverables' });
  const listError = useFieldError('deliverables');
  return (
    <>
      <datalist id={structuresList}>
        {offered.map((s) => <option key={s} value={s} />)}
      </datalist>
      {listError && <p className="field-error" role="alert">{listError}</p>}
      {fields.length === 0 && <p className="muted">No models or guides yet. They can also be added later, before segmentation.</p>}
      {fields.map((f, i) =>
        f.kind === 'model' ? (
          <ModelFields key={f.id} index={i} onRemove={() => remove(i)} structures={offered} structuresList={offered.length ? structuresList : undefined} />
        ) : (
          <GuideFields key={f.id} index={i} onRemove={() => remove(i)} />
        ),
      )}
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => append(blankModel())}>Add anatomic model</button>
        <button type="button" className="btn" onClick={() => append(blankGuide())}>Add guide</button>
      </div>
    </>
  );
}
