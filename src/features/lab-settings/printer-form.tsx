import { useId } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { PrinterRow } from '../../db/database';
import { printerSchema, TECHNOLOGY_OPTIONS, type PrinterInput } from '../../domain/lab-settings';
import { useSavePrinter } from '../../queries/lab-settings-queries';
import { errorMessage } from '../../ui/format';
import { TextInput } from './text-input';
import { useLabItemSubmit } from './use-lab-item-submit';

const resolver = zodResolver(printerSchema);
const BLANK: PrinterInput = { label: '', maker: '', model: '', technology: '' };

/** Adds a printer (`editing` null) or changes one. */
export function PrinterForm({ editing, onDone }: { editing: PrinterRow | null; onDone?: () => void }) {
  const save = useSavePrinter();
  const initial: PrinterInput = editing ? { label: editing.label, maker: editing.maker, model: editing.model, technology: editing.technology } : BLANK;
  const form = useForm<PrinterInput>({ resolver, defaultValues: initial });
  const { register, formState: { errors } } = form;
  const title = editing ? `Change printer ${editing.label}` : 'Add a printer';
  const techId = useId();
  const { submit, saved } = useLabItemSubmit(form, save, editing, BLANK, (p) => `Printer ${p.label.trim()}`, onDone);
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={title} className={editing ? 'notice' : 'lab-form'}>
      <h3>{title}</h3>
      <div className="grid-2">
        <TextInput label="Label" hint="What the lab calls it, e.g. “J5 #1”: a case records this" error={errors.label?.message} reg={register('label')} />
        <TextInput label="Maker" hint="e.g. Stratasys, Formlabs" error={errors.maker?.message} reg={register('maker')} />
        <TextInput label="Model" hint="e.g. J5 MediJet, Form 3B+" error={errors.model?.message} reg={register('model')} />
        <div className="field">
          <label htmlFor={techId}>Technology</label>
          <select id={techId} aria-invalid={Boolean(errors.technology)} aria-describedby={errors.technology ? `${techId}-error` : undefined} {...register('technology')}>
            <option value="">Choose…</option>
            {TECHNOLOGY_OPTIONS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
          {errors.technology && <span id={`${techId}-error`} className="field-error" role="alert">{errors.technology.message}</span>}
        </div>
      </div>
      {save.isError && <p className="field-error" role="alert">{errorMessage(save.error)}</p>}
      {saved && !save.isError && <p className="badge ok" role="status">{saved}</p>}
      <button type="submit" className="btn primary" disabled={save.isPending}>{editing ? `Save ${editing.label}` : 'Add printer'}</button>
    </form>
  );
}
