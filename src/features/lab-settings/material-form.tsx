import { zodResolver } from '@hookform/resolvers/zod';
import { useFieldArray, useForm } from 'react-hook-form';
import type { MaterialRow } from '../../db/database';
import { materialSchema, type MaterialInput } from '../../domain/lab-settings';
import { useSaveMaterial } from '../../queries/lab-settings-queries';
import { errorMessage } from '../../ui/format';
import { TextInput } from './text-input';
import { useLabItemSubmit } from './use-lab-item-submit';

const resolver = zodResolver(materialSchema);
const BLANK: MaterialInput = { name: '', colour: '', biocompatible: false, sterilizable: false, lot: '', lots: [] };

/** Adds a material (`editing` null) or changes one. */
export function MaterialForm({ editing, onDone }: { editing: MaterialRow | null; onDone?: () => void }) {
  const save = useSaveMaterial();
  const initial: MaterialInput = editing
    ? { name: editing.name, colour: editing.colour, biocompatible: editing.biocompatible, sterilizable: editing.sterilizable, lot: editing.lot, lots: editing.lots ?? [] }
    : BLANK;
  const form = useForm<MaterialInput>({ resolver, defaultValues: initial });
  const { register, control, formState: { errors } } = form;
  const lots = useFieldArray({ control, name: 'lots' });
  const title = editing ? `Change material ${editing.name}` : 'Add a material';
  const { submit, saved } = useLabItemSubmit(form, save, editing, BLANK, (m) => `Material ${m.name.trim()}`, onDone);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={title} className={editing ? 'notice' : 'lab-form'}>
      <h3>{title}</h3>
      <div className="grid-2">
        <TextInput label="Name" hint="As parts and guides record it, e.g. “Surgical Guide resin”" error={errors.name?.message} reg={register('name')} />
        <TextInput label="Colour" hint="e.g. clear, white" error={errors.colour?.message} reg={register('colour')} />
        <TextInput label="Lot (if relevant)" hint="Needed for biocompatible materials, so a guide can be traced to its lot" error={errors.lot?.message} reg={register('lot')} />
      </div>
      <div className="btn-row">
        <label className="check"><input type="checkbox" {...register('biocompatible')} />Biocompatible</label>
        <label className="check"><input type="checkbox" {...register('sterilizable')} />Sterilizable</label>
      </div>
      <fieldset className="notice">
        <legend>Lots and their expiry dates</legend>
        <p className="muted">A part printed from a lot after its expiry date is refused.</p>
        {lots.fields.length === 0 && <p className="muted">No lot with an expiry date listed.</p>}
        {lots.fields.map((f, i) => (
          <div key={f.id} className="grid-2">
            <TextInput label={`Lot ${i + 1}`} error={errors.lots?.[i]?.lot?.message} reg={register(`lots.${i}.lot`)} />
            <TextInput label={`Lot ${i + 1} expires`} hint="YYYY-MM-DD" error={errors.lots?.[i]?.expires?.message} reg={register(`lots.${i}.expires`)} />
            <div className="btn-row">
              <button type="button" className="btn" onClick={() => lots.remove(i)}>Remove lot {i + 1}</button>
            </div>
          </div>
        ))}
        {errors.lots?.message && <p className="field-error" role="alert">{errors.lots.message}</p>}
        {errors.lots?.root?.message && <p className="field-error" role="alert">{errors.lots.root.message}</p>}
        <button type="button" className="btn" onClick={() => lots.append({ lot: '', expires: '' })}>Add a lot with its expiry</button>
      </fieldset>
      {save.isError && <p className="field-error" role="alert">{errorMessage(save.error)}</p>}
      {saved && !save.isError && <p className="badge ok" role="status">{saved}</p>}
      <button type="submit" className="btn primary" disabled={save.isPending}>{editing ? `Save ${editing.name}` : 'Add material'}</button>
    </form>
  );
}
