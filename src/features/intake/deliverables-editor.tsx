// Edits an existing case's models and guides through the 'setDeliverables'
// command. The segmentation signature covers them, so a change voids it.
import { useId, useMemo, useState } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { FormProvider, useForm } from 'react-hook-form';
import type { Actor, Case, Deliverable } from '../../domain/case';
import { STAGES } from '../../domain/stages';
import { useRunCommand } from '../../queries/case-queries';
import { errorMessage } from '../../ui/format';
import { Notice } from '../../ui/notice';
import { DeliverablesFields } from './deliverables-fields';
import { deliverablesFormSchema, type DeliverablesForm } from './form-values';

type Props = { caseData: Case; actor: Actor | null };

const resolver = zodResolver(deliverablesFormSchema);

/** Titles of the stages whose signature was in place before and is gone after. */
const voidedBy = (before: Case, after: Case) => STAGES.filter((s) => before.stages[s.id].signature && !after.stages[s.id].signature).map((s) => s.title.toLowerCase());

export function DeliverablesEditor({ caseData, actor }: Props) {
  const titleId = useId();
  const run = useRunCommand(caseData.id);
  const values = useMemo(() => ({ deliverables: caseData.deliverables }), [caseData.deliverables]);
  const form = useForm<DeliverablesForm>({ resolver, values });
  const [saved, setSaved] = useState<string | null>(null);
  const locked = caseData.closed ? 'closed' : caseData.cancelled ? 'cancelled' : null;
  const segmentationSigned = caseData.stages.segmenting.signature !== null;

  const submit = form.handleSubmit(async (input) => {
    if (!actor) return;
    setSaved(null);
    try {
      const after = await run.mutateAsync({ command: { type: 'setDeliverables', deliverables: input.deliverables as Deliverable[] } });
      const voided = voidedBy(caseData, after);
      setSaved(voided.length ? `Models and guides saved. The ${voided.join(' and ')} sign-off was voided and must be signed again.` : 'Models and guides saved.');
    } catch {
      // shown below from run.error
    }
  });

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId}>Models and guides</h2>
      {locked ? (
        <p className="notice">This case is {locked}: its models and guides can no longer be changed.</p>
      ) : (
        <p className={segmentationSigned ? 'notice warn' : 'muted'}>
          {segmentationSigned
            ? 'Segmentation is signed off. Changing a model, component or guide now voids that signature, and a radiologist must sign it again.'
            : 'Changing models or guides after segmentation sign-off voids that signature.'}
        </p>
      )}
      {!actor && !locked && <Notice tone="warn">Choose who is using this tablet to make changes.</Notice>}
      <FormProvider {...form}>
        <form onSubmit={(e) => void submit(e)} noValidate aria-labelledby={titleId}>
          <fieldset className="plain" disabled={Boolean(locked) || !actor || run.isPending}>
            <DeliverablesFields structures={caseData.order.structures} />
            <div className="btn-row save-row">
              <button type="submit" className="btn primary">Save models and guides</button>
              <button type="button" className="btn" onClick={() => { form.reset(); setSaved(null); run.reset(); }}>Undo changes</button>
            </div>
          </fieldset>
        </form>
      </FormProvider>
      {run.error && <Notice tone="bad" title="Not saved.">{' '}{errorMessage(run.error)}</Notice>}
      {saved && !run.error && <Notice tone="ok">{saved}</Notice>}
    </section>
  );
}
