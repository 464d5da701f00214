import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { softwareSchema, type SoftwareEntry, type SoftwareInput } from '../../domain/traceability';
import { useSaveSoftware } from '../../queries/lab-settings-queries';
import { errorMessage } from '../../ui/format';
import { TextInput } from './text-input';
import { useLabItemSubmit } from './use-lab-item-submit';

const resolver = zodResolver(softwareSchema);
const BLANK: SoftwareInput = { name: '', version: '', fdaCleared: false };

/** Adds a software (`editing` null) or changes one. */
export function SoftwareForm({ editing, onDone }: { editing: SoftwareEntry | null; onDone?: () => void }) {
  const save = useSaveSoftware();
  const initial: SoftwareInput = editing ? { name: editing.name, version: editing.version, fdaCleared: editing.fdaCleared } : BLANK;
  const form = useForm<SoftwareInput>({ resolver, defaultValues: initial });
  const { register, formState: { errors } } = form;
  const title = editing ? `Change software ${editing.name} ${editing.version}` : 'Add a software';
  const { submit, saved } = useLabItemSubmit(form, save, editing, BLANK, (s) => `Software ${s.name.trim()} ${s.version.trim()}`, onDone);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={title} className={editing ? 'notice' : 'lab-form'}>
      <h3>{title}</h3>
      <div className="grid-2">
        <TextInput label="Software name" hint="e.g. Materialise Mimics InPrint, 3D Slicer" error={errors.name?.message} reg={register('name')} />
        <TextInput label="Version" hint="Each version is its own entry, e.g. 26.0" error={errors.version?.message} reg={register('version')} />
      </div>
      <div className="btn-row">
        <label className="check"><input type="checkbox" {...register('fdaCleared')} />FDA-cleared for this use (e.g. diagnostic anatomical models)</label>
      </div>
      {save.isError && <p className="field-error" role="alert">{errorMessage(save.error)}</p>}
      {saved && !save.isError && <p className="badge ok" role="status">{saved}</p>}
      <button type="submit" className="btn primary" disabled={save.isPending}>{editing ? `Save ${editing.name} ${editing.version}` : 'Add software'}</button>
    </form>
  );
}
