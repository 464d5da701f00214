import type { OrderForm } from './form-values';
import { SelectField, TextField } from './form-controls';
import { SEX_OPTIONS } from './labels';

export function PatientFields() {
  return (
    <div className="grid-2">
      <TextField<OrderForm> name="patientName" label="Patient name" />
      <TextField<OrderForm> name="mrn" label="MRN" hint="Medical record number: 3–20 letters, digits or dashes" />
      <TextField<OrderForm> name="dateOfBirth" label="Date of birth" type="date" />
      <SelectField<OrderForm> name="sex" label="Sex" options={SEX_OPTIONS} placeholder="Choose…" />
    </div>
  );
}
