import { zodResolver } from '@hookform/resolvers/zod';
import { memo, type ReactNode } from 'react';
import { useForm, useWatch, type Control, type UseFormRegister } from 'react-hook-form';
import { useDraft } from '../../session/drafts';
import type { Actor, Case, FieldValue, StageId } from '../../domain/case';
import { BoundedMap } from '../../domain/bounded-map';
import { fieldsKey, stageValuesSchema } from '../../domain/case-input';
import { stageDateWarnings } from '../../domain/stage-dates';
import { stageDef, type FieldDef } from '../../domain/stages';
import { deliverableFieldsFor } from '../../domain/sterilization';
import { applicableFields } from '../../domain/workflow';
import { useRunCommand } from '../../queries/case-queries';
import { Field } from '../../ui/field';
import { errorMessage, stageClock } from '../../ui/format';
import { NoBreakDates } from '../../ui/no-break-dates';
import { z } from '../../domain/zod';
import { PrinterChoice } from './printer-choice';

type Props = { caseData: Case; stage: StageId; actor: Actor | null; disabled: boolean };
type Values = { values: Record<string, FieldValue>; perDeliverable: Record<string, Record<string, FieldValue>> };

const formSchemaOf = (fields: readonly FieldDef[], perFields: ReadonlyMap<string, readonly FieldDef[]>) =>
  z.object({ values: stageValuesSchema(fields), perDeliverable: z.object(Object.fromEntries([...perFields].map(([id, f]) => [id, stageValuesSchema(f)]))) });
// One schema per form shape: the form renders on every keystroke, and a new schema would be compiled again.
const formSchemas = new BoundedMap<string, ReturnType<typeof formSchemaOf>>(100);
function formSchema(fields: readonly FieldDef[], perFields: ReadonlyMap<string, readonly FieldDef[]>) {
  const key = [fieldsKey(fields), ...[...perFields].map(([id, f]) => `${id}:${fieldsKey(f)}`)].join(';');
  return formSchemas.of(key, () => formSchemaOf(fields, perFields));
}

const blankToNull = (v: unknown) => (v === '' || v === undefined ? null : v);

/** What the form shows: a tick (a new checklist, the same values) leaves it as it is, and it does not render again. */
const sameForm = (a: Props, b: Props) =>
  a.stage === b.stage &&
  a.actor === b.actor &&
  a.disabled === b.disabled &&
  a.caseData.id === b.caseData.id &&
  a.caseData.deliverables === b.caseData.deliverables &&
  a.caseData.stages[a.stage].values === b.caseData.stages[b.stage].values &&
  // The study date bounds the later stages' dates (stage-dates.ts).
  a.caseData.stages.imaging.values === b.caseData.stages.imaging.values &&
  a.caseData.stages[a.stage].perDeliverable === b.caseData.stages[b.stage].perDeliverable;

export const StageForm = memo(function StageForm({ caseData, stage, actor, disabled }: Props) {
  const def = stageDef(stage);
  const fields = applicableFields(def, caseData);
  const rec = caseData.stages[stage];
  const ids = def.deliverableFields.length ? caseData.deliverables.map((d) => d.id as string) : [];
  // Each model or guide gets the fields asked of it (a guide's sterilization record too).
  const perFields = new Map(def.deliverableFields.length ? caseData.deliverables.map((d) => [d.id as string, deliverableFieldsFor(def, d)]) : []);
  const run = useRunCommand(caseData.id);
  const form = useForm<Values>({
    resolver: zodResolver(formSchema(fields, perFields)) as never,
    values: {
      values: Object.fromEntries(fields.map((f) => [f.key, rec.values[f.key] ?? (f.type === 'number' ? null : '')])),
      perDeliverable: Object.fromEntries([...perFields].map(([id, fs]) => [id, Object.fromEntries(fs.map((f) => [f.key, rec.perDeliverable[id]?.[f.key] ?? '']))])),
    },
    // A change from another tab or person must not wipe what is being typed here.
    resetOptions: { keepDirtyValues: true },
  });
  const { register, handleSubmit, formState, reset } = form;
  const draft = useDraft(`stage:${caseData.id}:${stage}`, form);
  // Dates checked as they are typed: a delivery before the case was opened is a wrong date of service.
  const typed = useWatch({ control: form.control, name: 'values' });
  const dateWarnings = stageDateWarnings(caseData, stageClock(caseData.createdAt), { stage, values: typed ?? {} }).filter((w) => w.stage === stage);
  const warningOf = (key: string) => {
    const texts = dateWarnings.filter((w) => w.key === key).map((w) => w.text);
    return texts.length ? <NoBreakDates text={texts.join(' ')} /> : undefined;
  };

  const save = handleSubmit(async (v) => {
    if (!actor) return;
    const clean = (o: Record<string, FieldValue>) => Object.fromEntries(Object.entries(o).map(([k, x]) => [k, blankToNull(x) as FieldValue]));
    const perDeliverable = Object.fromEntries(Object.entries(v.perDeliverable ?? {}).map(([id, o]) => [id, clean(o)]));
    await run.mutateAsync({ command: { type: 'saveStage', stage, values: clean(v.values), ...(ids.length ? { perDeliverable } : {}) } });
    // Not the form's resetOptions: a field kept as dirty here would never take a later change from elsewhere.
    reset(v, { keepDirtyValues: false });
  });

  const refused = run.error && errorMessage(run.error);
  return (
    <form className="card" onSubmit={(e) => void save(e)} noValidate aria-label={`${def.title} record`}>
      <h3>Record</h3>
      <fieldset disabled={disabled || !actor} style={{ border: 'none', padding: 0, margin: 0 }}>
        <div className="grid-2">
          {fields.map((f) => (
            <StageField key={f.key} def={f} name={`values.${f.key}`} register={register} warning={warningOf(f.key)} error={(formState.errors.values as Record<string, { message?: string }> | undefined)?.[f.key]?.message} control={form.control} onPrinter={(technology) => form.setValue('values.technology', technology, { shouldDirty: true, shouldValidate: true })} />
          ))}
        </div>
        {ids.length > 0 && (
          <div className="per-deliverable">
            {caseData.deliverables.map((d) => {
              const field = (f: FieldDef) => (
                <StageField key={f.key} def={{ ...f, label: `${d.name}: ${f.label}` }} name={`perDeliverable.${d.id}.${f.key}`} register={register} error={(formState.errors.perDeliverable as Record<string, Record<string, { message?: string }>> | undefined)?.[d.id]?.[f.key]?.message} />
              );
              const own = perFields.get(d.id) ?? [];
              const sterile = own.filter((f) => f.sterileFieldOnly);
              return (
                <div key={d.id}>
                  <div className="grid-2">{own.filter((f) => !f.sterileFieldOnly).map(field)}</div>
                  {sterile.length > 0 && (
                    <fieldset className="plain">
                      <legend>Sterilization record: {d.name}</legend>
                      <div className="grid-2">{sterile.map(field)}</div>
                    </fieldset>
                  )}
                </div>
              );
            })}
          </div>
        )}
        <div className="btn-row">
          <button type="submit" className="btn primary" disabled={formState.isSubmitting || !formState.isDirty}>Save {def.title.toLowerCase()}</button>
          {formState.isDirty && <span className="badge warn">{draft.restoredAt ? 'Unsaved draft restored' : 'Unsaved changes'}</span>}
          {formState.isDirty && draft.restoredAt && <button type="button" className="btn" onClick={draft.discard}>Discard draft</button>}
          {run.isSuccess && !formState.isDirty && <span className="badge ok" role="status">Saved</span>}
        </div>
        {refused && <p className="field-error" role="alert">{refused}</p>}
      </fieldset>
    </form>
  );
}, sameForm);

type FieldProps = {
  def: FieldDef;
  name: string;
  register: UseFormRegister<Values>;
  error: string | undefined;
  warning?: ReactNode;
  /** For a field chosen from the lab's printers: choosing one fills in its technology. */
  control?: Control<Values>;
  onPrinter?: (technology: string) => void;
};

function StageField({ def, name, register, error, warning, control, onPrinter }: FieldProps) {
  const label = def.required ? def.label : `${def.label} (optional)`;
  const reg = register(name as `values.${string}`, def.type === 'number' ? { setValueAs: (v: unknown) => (v === '' || v === null ? null : Number(v)) } : {});
  return (
    <Field label={label} error={error} hint={def.hint} warning={warning}>
      {({ id, describedBy, invalid }) => {
        const common = { id, 'aria-describedby': describedBy, 'aria-invalid': invalid, ...reg };
        switch (def.type) {
          case 'select':
            return (
              <select {...common}>
                <option value="">Choose…</option>
                {def.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            );
          case 'textarea':
            return <textarea {...common} />;
          case 'number':
            return (
              <span className="unit-input">
                <input {...common} type="number" inputMode="decimal" step={def.step ?? 'any'} min={def.min} max={def.max} />
                <span>{def.unit}</span>
              </span>
            );
          case 'date':
            return <input {...common} type="date" />;
          case 'datetime':
            return <input {...common} type="datetime-local" />;
          default:
            if (def.choices === 'printers' && control && onPrinter) return <PrinterChoice common={common} control={control} onChosen={onPrinter} />;
            return <input {...common} type="text" autoComplete="off" />;
        }
      }}
    </Field>
  );
}
