import type { OrderForm } from './form-values';
import { SelectField, TextAreaField, TextField } from './form-controls';
import { PRIORITY_OPTIONS } from './labels';
import { StructuresField } from './structures-field';

export function OrderFields() {
  return (
    <>
      <div className="grid-2">
        <TextField<OrderForm> name="orderingPhysician" label="Ordering physician" />
        <TextField<OrderForm> name="physicianContact" label="Contact" hint="Pager, phone or e-mail" />
      </div>
      <TextAreaField<OrderForm> name="indication" label="Indication" />
      <div className="grid-2">
        <TextField<OrderForm> name="icd10" label="ICD-10 code" hint="e.g. S32.401A or C41.4" />
        <TextField<OrderForm> name="anatomicRegion" label="Anatomic region" />
      </div>
      <StructuresField />
      <div className="grid-2">
        <TextField<OrderForm> name="dateNeeded" label="Date needed" type="date" />
        <SelectField<OrderForm> name="priority" label="Priority" options={PRIORITY_OPTIONS} />
      </div>
      <TextAreaField<OrderForm> name="notes" label="Notes (optional)" />
    </>
  );
}
