// Opens a case from an order. Nothing is stored until every field is valid;
// the new case's URL carries only its random id (no PHI).
import { useState } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { FormProvider, useForm, useWatch } from 'react-hook-form';
import { useDraft } from '../../session/drafts';
import { Link, useNavigate } from 'react-router';
import { newCaseSchema, type NewCaseInput } from '../../domain/case-input';
import { asCaseId } from '../../domain/ids';
import { useRunCommand } from '../../queries/case-queries';
import { useSession } from '../../session/session';
import { errorMessage, todayLocal } from '../../ui/format';
import { Notice } from '../../ui/notice';
import { DeliverablesFields } from './deliverables-fields';
import { NEW_CASE_DEFAULTS, type NewCaseForm } from './form-values';
import { OrderFields } from './order-fields';
import { PatientFields } from './patient-fields';

export function NewCasePage() {
  const { actor } = useSession();
  const run = useRunCommand(null);
  const navigate = useNavigate();
  const [resolver] = useState(() => zodResolver(newCaseSchema(todayLocal())));
  const form = useForm<NewCaseForm, unknown, NewCaseInput>({ resolver, defaultValues: NEW_CASE_DEFAULTS });
  const draft = useDraft('new-case', form);
  const structures = useWatch({ control: form.control, name: 'structures' });

  const submit = form.handleSubmit(async (input) => {
    if (!actor) return;
    const id = asCaseId(crypto.randomUUID());
    try {
      await run.mutateAsync({ command: { type: 'create', id, input } });
    } catch {
      return; // shown below from run.error
    }
    draft.discard(); // saved as a case now
    await navigate(`/cases/${id}`);
  });

  return (
    <section aria-labelledby="new-case-title">
      <h1 id="new-case-title">New case</h1>
      {draft.restoredAt && (
        <div className="notice warn" role="status">
          <strong>Draft restored.</strong> What you typed earlier is back; it is not saved until you open the case.{' '}
          <button type="button" className="btn" onClick={draft.discard}>Discard draft</button>
        </div>
      )}
      {!actor && <Notice tone="warn" title="The tablet is locked."> Sign in before opening a case.</Notice>}
      <FormProvider {...form}>
        <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-case-title">
          <section className="card" aria-labelledby="patient-title">
            <h2 id="patient-title">Patient</h2>
            <PatientFields />
          </section>
          <section className="card" aria-labelledby="order-title">
            <h2 id="order-title">Order</h2>
            <OrderFields />
          </section>
          <section className="card" aria-labelledby="deliverables-title">
            <h2 id="deliverables-title">Models and guides</h2>
            <DeliverablesFields structures={structures} />
          </section>
          {run.error && <Notice tone="bad" title="The case was not saved.">{' '}{errorMessage(run.error)}</Notice>}
          <div className="btn-row">
            <button type="submit" className="btn primary" disabled={!actor || run.isPending}>Open case</button>
            <Link to="/" className="btn">Cancel</Link>
          </div>
        </form>
      </FormProvider>
    </section>
  );
}
