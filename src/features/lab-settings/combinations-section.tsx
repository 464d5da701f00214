// Lab admin: which printer–material–software combinations are validated, since when and on
// what evidence; a validation can be withdrawn from a date on. A model is "Diagnostic" only
// when every part was made with a combination validated on its print date.
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { combinationSchema, describeCombination, softwareName, withdrawalSchema, type Combination, type CombinationInput, type SoftwareEntry, type WithdrawalInput } from '../../domain/traceability';
import { useCombinations, useMaterials, usePrinters, useSoftware, useValidateCombination, useWithdrawCombination } from '../../queries/lab-settings-queries';
import { errorMessage, todayLocal } from '../../ui/format';
import { SelectInput } from './select-input';
import { TextInput } from './text-input';

export function CombinationsSection() {
  const combinations = useCombinations();
  const software = useSoftware().data ?? [];
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  const rows = combinations.data;
  return (
    <section className="card" aria-labelledby="combinations-title">
      <h2 id="combinations-title">Validated combinations</h2>
      <p className="muted">
        A model is labelled <strong>Diagnostic</strong> only when every part was made with a printer–material–software combination
        validated on its print date; otherwise it is <strong>For reference only</strong>. A withdrawn validation still covers parts printed before it was withdrawn.
      </p>
      {!rows ? (
        <p role="status">Loading…</p>
      ) : (
        <>
          {rows.length === 0 && <p className="muted">No combination validated yet: every printed model is for reference only.</p>}
          <ul className="lab-list" aria-label="Validated combinations">
            {rows.map((k) => {
              const what = describeCombination(k, software);
              return (
                <li key={k.id} className={k.withdrawn ? 'retired' : undefined}>
                  <div>
                    <strong>{what}</strong> {k.withdrawn ? <span className="badge warn">Withdrawn</span> : <span className="badge ok">Validated</span>}
                    <div className="muted">Validated {k.validatedOn} by {k.validatedBy}: {k.evidence}</div>
                    {k.withdrawn && <div className="muted">Withdrawn from {k.withdrawn.on} by {k.withdrawn.by}: {k.withdrawn.reason}</div>}
                  </div>
                  {!k.withdrawn && (
                    <div className="btn-row">
                      <button type="button" className="btn" aria-expanded={withdrawing === k.id} onClick={() => setWithdrawing(withdrawing === k.id ? null : k.id)}>Withdraw {what}</button>
                    </div>
                  )}
                  {withdrawing === k.id && <WithdrawForm combination={k} what={what} onDone={() => setWithdrawing(null)} />}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <ValidateForm software={software} />
    </section>
  );
}

function ValidateForm({ software }: { software: readonly SoftwareEntry[] }) {
  const printers = (usePrinters().data ?? []).filter((p) => !p.retired);
  const materials = (useMaterials().data ?? []).filter((m) => !m.retired);
  const offered = software.filter((s) => !s.retired);
  const save = useValidateCombination();
  const blank: CombinationInput = { printer: '', material: '', softwareId: '', validatedOn: todayLocal(), evidence: '' };
  const form = useForm<CombinationInput>({ resolver: zodResolver(combinationSchema(todayLocal())), defaultValues: blank });
  const { register, formState: { errors } } = form;
  const [saved, setSaved] = useState<string | null>(null);
  const submit = form.handleSubmit((input) => {
    setSaved(null);
    save.mutate(input, {
      onSuccess: (k) => {
        setSaved(`${describeCombination(k, software)} marked as validated`);
        form.reset(blank);
      },
    });
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Mark a combination as validated" className="lab-form">
      <h3>Mark a combination as validated</h3>
      <div className="grid-2">
        <SelectInput label="Printer" error={errors.printer?.message} reg={register('printer')} options={printers.map((p) => ({ value: p.label, label: p.label }))} />
        <SelectInput label="Material" error={errors.material?.message} reg={register('material')} options={materials.map((m) => ({ value: m.name, label: m.name }))} />
        <SelectInput label="Software" error={errors.softwareId?.message} reg={register('softwareId')} options={offered.map((s) => ({ value: s.id, label: softwareName(s) }))} />
        <TextInput label="Validated on" hint="YYYY-MM-DD" error={errors.validatedOn?.message} reg={register('validatedOn')} />
        <TextInput label="Evidence" hint="e.g. “Phantom study 2026-03, report QA-12”" error={errors.evidence?.message} reg={register('evidence')} />
      </div>
      {save.isError && <p className="field-error" role="alert">{errorMessage(save.error)}</p>}
      {saved && !save.isError && <p className="badge ok" role="status">{saved}</p>}
      <button type="submit" className="btn primary" disabled={save.isPending}>Mark as validated</button>
    </form>
  );
}

function WithdrawForm({ combination, what, onDone }: { combination: Combination; what: string; onDone: () => void }) {
  const withdraw = useWithdrawCombination();
  const form = useForm<WithdrawalInput>({ resolver: zodResolver(withdrawalSchema(todayLocal())), defaultValues: { on: todayLocal(), reason: '' } });
  const { register, formState: { errors } } = form;
  const submit = form.handleSubmit((input) => withdraw.mutate({ id: combination.id, input }, { onSuccess: onDone }));
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label={`Withdraw ${what}`} className="notice">
      <div className="grid-2">
        <TextInput label="Withdrawn from" hint="Parts printed from this day on are for reference only" error={errors.on?.message} reg={register('on')} />
        <TextInput label="Why it is withdrawn" error={errors.reason?.message} reg={register('reason')} />
      </div>
      {withdraw.isError && <p className="field-error" role="alert">{errorMessage(withdraw.error)}</p>}
      <button type="submit" className="btn danger" disabled={withdraw.isPending}>Withdraw the validation</button>
    </form>
  );
}
