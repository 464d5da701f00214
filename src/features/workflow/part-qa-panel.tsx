// Dimensional QA per printed part (domain/part-qa.ts), in the printing stage: each part's
// checks, a form to record a check (one or more measurements, pass or fail shown as typed),
// and, for a failed part, acceptance with a reason by a radiologist or lab admin.
import { useState } from 'react';
import type { Actor, Case } from '../../domain/case';
import { ACCEPTERS, legacyQaText, measurementPasses, partQaState, partQaSummary, printedParts, type PartQaLine, type PrintedPart, type QaMeasurement } from '../../domain/part-qa';
import { ACCEPT_NEEDS_REASON } from '../../domain/part-qa-commands';
import { useRunCommand } from '../../queries/case-queries';
import { Field } from '../../ui/field';
import { errorMessage } from '../../ui/format';

type Props = { caseData: Case; actor: Actor | null; disabled: boolean };

export function PartQaPanel({ caseData, actor, disabled }: Props) {
  const parts = printedParts(caseData);
  const summary = partQaSummary(caseData);
  const legacy = legacyQaText(caseData);
  if (parts.length === 0) return null;
  return (
    <section className="card" aria-labelledby="part-qa-title">
      <h3 id="part-qa-title">Dimensional QA per part</h3>
      <p className="muted">Measure each printed part against the design. A measurement passes when the measured size is within the tolerance of the nominal one; a failed part blocks delivery until it is reprinted and passes, or a radiologist or lab admin accepts it with a reason.</p>
      {legacy && <p className="notice">{legacy}.</p>}
      <ul className="lab-list" aria-label="Printed parts">
        {parts.map((p) => (
          <PartRow key={p.id} caseData={caseData} part={p} line={summary.parts.find((l) => l.partId === p.id) ?? null} legacy={legacy !== null} actor={actor} disabled={disabled} />
        ))}
      </ul>
    </section>
  );
}

type RowProps = { caseData: Case; part: PrintedPart; line: PartQaLine | null; legacy: boolean; actor: Actor | null; disabled: boolean };

function PartRow({ caseData, part, line, legacy, actor, disabled }: RowProps) {
  const [recording, setRecording] = useState(false);
  const state = partQaState(caseData, part.id);
  const badge = state.state === 'passed' || state.state === 'accepted' ? 'ok' : state.state === 'failed' ? 'bad' : 'warn';
  const canAccept = state.state === 'failed' && actor !== null && ACCEPTERS.some((r) => actor.roles.includes(r)) && !(actor.demo && !caseData.demo);
  return (
    <li aria-label={part.name}>
      <div>
        <strong>{part.name}</strong> <span className={`badge ${legacy && !line ? 'ok' : badge}`}>{line?.status ?? (legacy ? 'Covered by the single QA figure' : 'Not checked yet')}</span>
        {line?.checks.map((c, i) => (
          <div key={i} className="muted">
            <div>{c.heading}</div>
            <ul>{c.measurements.map((m, j) => <li key={j}>{m}</li>)}</ul>
            {c.accepted && <div>{c.accepted}</div>}
          </div>
        ))}
      </div>
      {actor && !disabled && (
        <div className="btn-row">
          <button type="button" className="btn" aria-expanded={recording} onClick={() => setRecording(!recording)}>
            {state.state === 'not-checked' ? `Record QA of ${part.name}` : `Measure ${part.name} again`}
          </button>
        </div>
      )}
      {recording && actor && !disabled && <CheckForm caseData={caseData} part={part} remeasure={state.state !== 'not-checked'} onDone={() => setRecording(false)} />}
      {canAccept && !disabled && <AcceptForm caseData={caseData} part={part} checkId={state.check.id} />}
    </li>
  );
}

type Row = { what: string; nominal: string; measured: string; tolerance: string };
const BLANK_ROW: Row = { what: '', nominal: '', measured: '', tolerance: '' };
const toNumber = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.replace(',', '.')));
const asMeasurement = (r: Row): QaMeasurement => ({ what: r.what, nominalMm: toNumber(r.nominal), measuredMm: toNumber(r.measured), toleranceMm: toNumber(r.tolerance) });
const complete = (m: QaMeasurement) => m.what.trim() !== '' && [m.nominalMm, m.measuredMm, m.toleranceMm].every(Number.isFinite);

function CheckForm({ caseData, part, remeasure, onDone }: { caseData: Case; part: PrintedPart; remeasure: boolean; onDone: () => void }) {
  const run = useRunCommand(caseData.id);
  const [rows, setRows] = useState<Row[]>([BLANK_ROW]);
  const [reprinted, setReprinted] = useState(false);
  const set = (i: number, patch: Partial<Row>) => setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    run.mutate({ command: { type: 'recordPartQa', partId: part.id, measurements: rows.map(asMeasurement), ...(reprinted ? { reprinted: true } : {}) } }, { onSuccess: onDone });
  };
  return (
    <form aria-label={`QA of ${part.name}`} onSubmit={submit} noValidate className="notice">
      {rows.map((r, i) => {
        const m = asMeasurement(r);
        const id = `qa-${part.id}-${i}`;
        return (
          <fieldset key={i} className="grid-2">
            <legend>Measurement {i + 1}</legend>
            <div className="field">
              <label htmlFor={`${id}-what`}>What was measured</label>
              <input id={`${id}-what`} type="text" value={r.what} onChange={(e) => set(i, { what: e.target.value })} placeholder="e.g. slot length" />
            </div>
            <MmInput id={`${id}-nominal`} label="Nominal" value={r.nominal} onChange={(v) => set(i, { nominal: v })} />
            <MmInput id={`${id}-measured`} label="Measured" value={r.measured} onChange={(v) => set(i, { measured: v })} />
            <MmInput id={`${id}-tolerance`} label="Tolerance (±)" value={r.tolerance} onChange={(v) => set(i, { tolerance: v })} />
            {complete(m) && (
              <p className={`badge ${measurementPasses(m) ? 'ok' : 'bad'}`} aria-live="polite">
                Measurement {i + 1}: {measurementPasses(m) ? 'pass' : 'fail — out of tolerance'}
              </p>
            )}
          </fieldset>
        );
      })}
      <div className="btn-row">
        <button type="button" className="btn" onClick={() => setRows([...rows, BLANK_ROW])}>Add a measurement</button>
        {rows.length > 1 && <button type="button" className="btn" onClick={() => setRows(rows.slice(0, -1))}>Remove the last measurement</button>}
      </div>
      {remeasure && (
        <label className="check">
          <input type="checkbox" checked={reprinted} onChange={(e) => setReprinted(e.target.checked)} /> The part was printed again
        </label>
      )}
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={run.isPending}>{run.isPending ? 'Saving…' : `Save QA of ${part.name}`}</button>
        <button type="button" className="btn" onClick={onDone}>Cancel</button>
      </div>
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </form>
  );
}

function MmInput({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label} (mm)</label>
      <input id={id} type="text" inputMode="decimal" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function AcceptForm({ caseData, part, checkId }: { caseData: Case; part: PrintedPart; checkId: string }) {
  const run = useRunCommand(caseData.id);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setMissing(true);
    run.mutate({ command: { type: 'acceptPartQa', checkId, reason } }, { onSuccess: () => setReason('') });
  };
  return (
    <form aria-label={`Accept ${part.name} out of tolerance`} onSubmit={submit} noValidate>
      <Field label={`Why is ${part.name} accepted as it is?`} hint="Goes on the case’s audit trail with your name and the time." error={missing ? ACCEPT_NEEDS_REASON : undefined}>
        {({ id, describedBy, invalid }) => (
          <textarea id={id} value={reason} onChange={(e) => { setReason(e.target.value); setMissing(false); }} aria-invalid={invalid || undefined} aria-describedby={describedBy} />
        )}
      </Field>
      <button type="submit" className="btn danger" disabled={run.isPending}>Accept {part.name} out of tolerance</button>
      {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
    </form>
  );
}
