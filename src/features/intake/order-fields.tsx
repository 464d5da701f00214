import { useCodeTable } from '../../queries/case-queries';
import type { OrderForm } from './form-values';
import { SelectField, TextAreaField, TextField } from './form-controls';
import { ENCOUNTER_OPTIONS, PRIORITY_OPTIONS } from './labels';
import { StructuresField } from './structures-field';

export function OrderFields() {
  // The payers the lab has noted a position for are offered; any other name may be typed.
  const payers = useCodeTable().data?.payerNotes ?? [];
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
      <TextField<OrderForm> name="payer" label="Payer (optional)" hint="The plan’s name only, e.g. “Aetna” — never a member or policy number" list="payer-names" />
      <datalist id="payer-names">{payers.map((p) => <option key={p.payer} value={p.payer} />)}</datalist>
      <SelectField<OrderForm> name="encounter" label="Encounter setting (optional)" hint="Some codes are paid in one setting only (C8001: hospital outpatient)" options={ENCOUNTER_OPTIONS} placeholder="Not recorded" />
      <fieldset className="plain">
        <legend>Appropriateness (optional)</legend>
        <p className="muted">The RSNA 3D Printing SIG’s rating of this clinical scenario, as the lab reads it: a coder defending medical necessity needs it.</p>
        <TextField<OrderForm> name="scenario" label="Clinical scenario" hint="In the criteria’s words, e.g. “Complex acetabular fracture”" />
        <div className="grid-2">
          <TextField<OrderForm> name="appropriatenessRating" label="Rating (1–9)" inputMode="numeric" hint="7–9 usually appropriate, 1–3 rarely" />
          <TextField<OrderForm> name="criteriaYear" label="Year of the criteria" inputMode="numeric" hint="e.g. 2018" />
        </div>
      </fieldset>
      <TextAreaField<OrderForm> name="notes" label="Notes (optional)" />
    </>
  );
}
