import { useState } from 'react';
import { zodResolver } from '@hookform/resolvers/zod';
import { FormProvider, useForm } from 'react-hook-form';
import type { Case } from '../../domain/case';
import { orderSchema, type OrderInput } from '../../domain/case-input';
import { useRunCommand } from '../../queries/case-queries';
import { errorMessage, todayLocal } from '../../ui/format';
import { Notice } from '../../ui/notice';
import { orderValues, type OrderForm } from './form-values';
import { OrderFields } from './order-fields';
import { PatientFields } from './patient-fields';

type Props = { caseData: Case; onDone: () => void };

export function OrderEditForm({ caseData, onDone }: Props) {
  const run = useRunCommand(caseData.id);
  const [resolver] = useState(() => zodResolver(orderSchema(todayLocal())));
  const form = useForm<OrderForm, unknown, OrderInput>({ resolver, defaultValues: orderValues(caseData) });

  const submit = form.handleSubmit(async (input) => {
    try {
      await run.mutateAsync({ command: { type: 'editOrder', input } });
    } catch {
      return; // shown below from run.error
    }
    onDone();
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Edit order">
        <h3>Patient</h3>
        <PatientFields />
        <h3>Order</h3>
        <OrderFields />
        {run.error && <Notice tone="bad" title="Not saved.">{' '}{errorMessage(run.error)}</Notice>}
        <div className="btn-row">
          <button type="submit" className="btn primary" disabled={run.isPending}>Save order</button>
          <button type="button" className="btn" onClick={onDone}>Cancel</button>
        </div>
      </form>
    </FormProvider>
  );
}
