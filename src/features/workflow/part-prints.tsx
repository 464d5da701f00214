// The printing stage, per printed part: which printer, software and material lot made it,
// and when; per model, whether it is labelled Diagnostic or For reference only, and why.
import { useState } from 'react';
import type { Actor, Case } from '../../domain/case';
import { sameName } from '../../domain/lab-settings';
import { describePartPrint, labelText, LABEL_TEXT, modelVerdicts, partStatus, printedPartsOf, softwareName, type Part } from '../../domain/traceability';
import { useRunCommand } from '../../queries/case-queries';
import { useCombinations, useMaterials, usePrinters, useSoftware } from '../../queries/lab-settings-queries';
import { Field } from '../../ui/field';
import { errorMessage, todayLocal } from '../../ui/format';

type Props = { caseData: Case; actor: Actor | null; disabled: boolean };

export function PartPrints({ caseData, actor, disabled }: Props) {
  const combinations = useCombinations().data ?? [];
  const parts = printedPartsOf(caseData.deliverables);
  if (parts.length === 0) return null;
  const verdicts = modelVerdicts(caseData, combinations);
  const guides = parts.filter((p) => p.deliverable.kind === 'guide').map((p) => partStatus(caseData, p, combinations));
  return (
    <section className="card" aria-labelledby="part-prints-title">
      <h3 id="part-prints-title">How each part was made</h3>
      <p className="muted">Printer, software and material lot per part. A model is Diagnostic only when every part was made with a validated combination (Lab settings).</p>
      <ul className="lab-list" aria-label="Model labels">
        {verdicts.map((v) => (
          <li key={v.model.id}>
            <div>
              <strong>{v.model.name}</strong> <span className={`badge ${v.label === 'diagnostic' ? 'ok' : 'warn'}`}>{LABEL_TEXT[v.label]}</span>
              <div>Label text: “{labelText(v)}”</div>
              {v.reasons.length > 0 && <ul className="muted">{v.reasons.map((r) => <li key={r}>{r}</li>)}</ul>}
            </div>
          </li>
        ))}
        {guides.map((g) => (
          <li key={g.part.id}>
            <div>
              <strong>{g.part.name}</strong>{' '}
              <span className={`badge ${g.problem ? 'warn' : 'ok'}`}>{g.problem ? 'Not made with a validated combination' : 'Made with a validated combination'}</span>
              {g.problem && <div className="muted">{g.problem}</div>}
            </div>
          </li>
        ))}
      </ul>
      {parts.map((p) => <PartPrintForm key={p.id} caseData={caseData} part={p} disabled={disabled || !actor} />)}
    </section>
  );
}

function PartPrintForm({ caseData, part, disabled }: { caseData: Case; part: Part; disabled: boolean }) {
  const printers = (usePrinters().data ?? []).filter((p) => !p.retired);
  const software = (useSoftware().data ?? []).filter((s) => !s.retired);
  const material = (useMaterials().data ?? []).find((m) => sameName(m.name, part.material));
  const recorded = caseData.printedParts?.[part.id];
  const stagePrinter = caseData.stages.printing.values.printer;
  const lots = [...(material?.lots ?? []).map((l) => ({ value: l.lot, label: `${l.lot} (expires ${l.expires})` })), ...(material?.lot && !material.lots?.some((l) => l.lot === material.lot) ? [{ value: material.lot, label: `${material.lot} (no expiry listed)` }] : [])];
  const [printer, setPrinter] = useState(recorded?.printer ?? (typeof stagePrinter === 'string' && printers.some((p) => p.label === stagePrinter) ? stagePrinter : ''));
  const [softwareId, setSoftwareId] = useState(recorded?.softwareId ?? '');
  const [lot, setLot] = useState(recorded?.lot ?? '');
  const [printedOn, setPrintedOn] = useState(recorded?.printedOn ?? todayLocal());
  const [saved, setSaved] = useState(false);
  const run = useRunCommand(caseData.id);
  const chosen = software.find((s) => s.id === softwareId);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const print = { printer, lot: lot.trim(), softwareId, software: chosen ? softwareName(chosen) : recorded?.software ?? '', printedOn };
    run.mutate({ command: { type: 'recordPartPrint', partId: part.id, print } }, { onSuccess: () => setSaved(true) });
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`How ${part.name} was made`} className="notice">
      <h4>{part.name}</h4>
      <p className="muted">Material: {part.material || 'not chosen yet'}{recorded ? ` · Recorded: ${describePartPrint(recorded)}` : ' · Not recorded yet'}</p>
      <div className="grid-2">
        <Field label={`Printer for ${part.name}`}>
          {({ id }) => (
            <select id={id} value={printer} disabled={disabled} onChange={(e) => setPrinter(e.target.value)}>
              <option value="">Choose…</option>
              {printer && !printers.some((p) => p.label === printer) && <option value={printer}>{printer} (not on the lab’s list)</option>}
              {printers.map((p) => <option key={p.id} value={p.label}>{p.label}</option>)}
            </select>
          )}
        </Field>
        <Field label={`Software for ${part.name}`}>
          {({ id }) => (
            <select id={id} value={softwareId} disabled={disabled} onChange={(e) => setSoftwareId(e.target.value)}>
              <option value="">Choose…</option>
              {recorded && !software.some((s) => s.id === recorded.softwareId) && <option value={recorded.softwareId}>{recorded.software} (not on the lab’s list)</option>}
              {software.map((s) => <option key={s.id} value={s.id}>{softwareName(s)}{s.fdaCleared ? ' (FDA-cleared)' : ''}</option>)}
            </select>
          )}
        </Field>
        <Field label={`Material lot for ${part.name}`} hint={lots.length ? undefined : 'The lab lists no lot for this material: type it'}>
          {({ id, describedBy }) =>
            lots.length ? (
              <select id={id} value={lot} disabled={disabled} onChange={(e) => setLot(e.target.value)}>
                <option value="">Choose…</option>
                {lot && !lots.some((l) => l.value === lot) && <option value={lot}>{lot} (not on the lab’s list)</option>}
                {lots.map((l) => <option key={l.value} value={l.value}>{l.label}</option>)}
              </select>
            ) : (
              <input id={id} aria-describedby={describedBy} value={lot} disabled={disabled} autoComplete="off" onChange={(e) => setLot(e.target.value)} />
            )
          }
        </Field>
        <Field label={`Print date for ${part.name}`} hint="YYYY-MM-DD">
          {({ id, describedBy }) => <input id={id} aria-describedby={describedBy} value={printedOn} disabled={disabled} autoComplete="off" onChange={(e) => setPrintedOn(e.target.value)} />}
        </Field>
      </div>
      {run.isError && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
      {saved && !run.isError && <p className="badge ok" role="status">Saved how {part.name} was made</p>}
      <button type="submit" className="btn primary" disabled={disabled || run.isPending}>Save how {part.name} was made</button>
    </form>
  );
}
