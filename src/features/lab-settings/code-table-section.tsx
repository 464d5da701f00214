import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useFieldArray, useForm, type Control, type FieldErrors, type UseFormRegister } from 'react-hook-form';
import { codeTableEditOf, codeTableEditSchema, type CodeTableEdit } from '../../domain/code-table';
import { MUE_CONSEQUENCE, type CodeTable } from '../../domain/cpt';
import { useCodeTable } from '../../queries/case-queries';
import { useSaveCodeTable } from '../../queries/lab-settings-queries';
import { errorMessage } from '../../ui/format';
import { TextInput } from './text-input';

const resolver = zodResolver(codeTableEditSchema);

/** Lab admin: each code's MUEs by date and the payers' positions on the codes, used by every case's suggestion. */
export function CodeTableSection() {
  const table = useCodeTable();
  // Kept here: the form starts again from the saved table once it is read back.
  const save = useSaveCodeTable();
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="code-table-title">
      <h2 id="code-table-title">CPT codes: MUEs and payers</h2>
      <p className="muted">
        An MUE (medically unlikely edit) is the most units of a code per patient per date of service. {MUE_CONSEQUENCE} The
        suggestion keeps the full count and says when it is above the MUE for its date of service. Defaults: the CMS Medicare NCCI
        MUEs of 1 April 2026 (0560T 5 and 0562T 2 from that day, 1 before; 0559T and 0561T 1).
      </p>
      {table.data ? <CodeTableForm key={JSON.stringify(table.data)} table={table.data} save={save} onSaved={setSaved} /> : <p className="muted">Loading the code table…</p>}
      {saved && <p className="badge ok" role="status">Code table saved</p>}
    </section>
  );
}

type FormProps = { table: CodeTable; save: ReturnType<typeof useSaveCodeTable>; onSaved: (saved: boolean) => void };

function CodeTableForm({ table, save, onSaved }: FormProps) {
  const form = useForm<CodeTableEdit>({ resolver, defaultValues: codeTableEditOf(table) });
  const { register, control, formState: { errors } } = form;
  const payers = useFieldArray({ control, name: 'payerNotes' });
  const submit = form.handleSubmit((edit) => {
    onSaved(false);
    save.mutateAsync(edit).then(() => onSaved(true), () => undefined);
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Code table">
      {table.codes.map((def, i) => (
        <MuePeriods key={def.code} index={i} code={def.code} description={def.description} control={control} register={register} errors={errors} />
      ))}
      <h3>Payers’ positions</h3>
      <p className="muted">Shown beside the suggestion (on screen and in the case PDF) when a case’s order names the payer.</p>
      {payers.fields.length === 0 && <p className="muted">No payer noted.</p>}
      {payers.fields.map((f, i) => (
        <fieldset key={f.id} className="notice">
          <legend>Payer note {i + 1}</legend>
          <div className="grid-2">
            <TextInput label="Payer" hint="As the order names it, e.g. “Aetna”" error={errors.payerNotes?.[i]?.payer?.message} reg={register(`payerNotes.${i}.payer`)} />
            <TextInput label="Position on the codes" hint="e.g. “considers 0559T–0562T experimental/investigational”" error={errors.payerNotes?.[i]?.note?.message} reg={register(`payerNotes.${i}.note`)} />
          </div>
          <button type="button" className="btn" onClick={() => payers.remove(i)}>Remove payer note {i + 1}</button>
        </fieldset>
      ))}
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => payers.append({ payer: '', note: '' })}>Add a payer note</button>
      </div>
      {save.isError && <p className="field-error" role="alert">{errorMessage(save.error)}</p>}
      <button type="submit" className="btn primary" disabled={save.isPending}>Save code table</button>
    </form>
  );
}

type PeriodsProps = { index: number; code: string; description: string; control: Control<CodeTableEdit>; register: UseFormRegister<CodeTableEdit>; errors: FieldErrors<CodeTableEdit> };

function MuePeriods({ index, code, description, control, register, errors }: PeriodsProps) {
  const periods = useFieldArray({ control, name: `codes.${index}.mue` });
  const err = errors.codes?.[index]?.mue;
  return (
    <fieldset className="notice">
      <legend>{code} MUE</legend>
      <p className="muted">{description}</p>
      {periods.fields.length === 0 && <p className="muted">No MUE recorded for {code}.</p>}
      {periods.fields.map((f, j) => (
        <div key={f.id} className="grid-2">
          <TextInput label={`${code} MUE units (period ${j + 1})`} error={err?.[j]?.units?.message} reg={register(`codes.${index}.mue.${j}.units`, { valueAsNumber: true })} />
          <TextInput label={`${code} from (period ${j + 1})`} hint="First date of service, YYYY-MM-DD" error={err?.[j]?.from?.message} reg={register(`codes.${index}.mue.${j}.from`)} />
          <TextInput label={`${code} to (period ${j + 1})`} hint="Last date of service; empty while in force" error={err?.[j]?.to?.message} reg={register(`codes.${index}.mue.${j}.to`)} />
          <div className="btn-row">
            <button type="button" className="btn" onClick={() => periods.remove(j)}>Remove {code} period {j + 1}</button>
          </div>
        </div>
      ))}
      {err?.root?.message && <p className="field-error" role="alert">{err.root.message}</p>}
      {err?.message && <p className="field-error" role="alert">{err.message}</p>}
      <button type="button" className="btn" onClick={() => periods.append({ units: 1, from: '', to: '' })}>Add an MUE period for {code}</button>
    </fieldset>
  );
}
