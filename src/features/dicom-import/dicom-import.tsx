import { useId, useState } from 'react';
import type { Actor, Case, FieldValue } from '../../domain/case';
import { fieldDef } from '../../domain/stages';
import { useRunCommand } from '../../queries/case-queries';
import { errorMessage } from '../../ui/format';
import { readDicomFiles, type DicomReading } from './read-dicom';

type Props = { caseData: Case; actor: Actor | null };

type Step =
  | { step: 'idle' }
  | { step: 'reading' }
  | { step: 'error'; message: string }
  | { step: 'confirm'; reading: DicomReading; changes: [string, FieldValue][] }
  | { step: 'saving' }
  | { step: 'done'; text: string; reading: DicomReading };

const label = (key: string) => fieldDef('imaging', key)?.label ?? key;
/** A value in words: an option's label, a number with its unit. */
const shown = (key: string, v: FieldValue) => {
  const def = fieldDef('imaging', key);
  if (def?.type === 'select') return def.options.find((o) => o.value === v)?.label ?? String(v);
  if (def?.type === 'number') return `${v} ${def.unit}`;
  return String(v);
};

/**
 * Fills the imaging record from DICOM headers. A file whose patient does not match
 * the case fills nothing until the technician says to use it anyway.
 */
export function DicomImport({ caseData, actor }: Props) {
  const inputId = useId();
  const [state, setState] = useState<Step>({ step: 'idle' });
  const run = useRunCommand(caseData.id);
  const rec = caseData.stages.imaging;
  if (caseData.closed || caseData.cancelled) return null;

  const fill = async (reading: DicomReading, changes: [string, FieldValue][]) => {
    setState({ step: 'saving' });
    try {
      await run.mutateAsync({ command: { type: 'saveStage', stage: 'imaging', values: Object.fromEntries(changes) } });
      setState({ step: 'done', reading, text: `Filled from ${reading.files === 1 ? 'the DICOM file' : `${reading.files} DICOM files`}: ${changes.map(([k]) => label(k)).join(', ')}.` });
    } catch (e) {
      setState({ step: 'error', message: `Nothing was filled: ${errorMessage(e)}` });
    }
  };

  const pick = async (files: File[]) => {
    if (files.length === 0) return;
    setState({ step: 'reading' });
    const r = await readDicomFiles(files, caseData.phi).catch((e: unknown) => ({ ok: false as const, message: errorMessage(e) }));
    if (!r.ok) return setState({ step: 'error', message: `Nothing was filled. ${r.message}` });
    const changes = Object.entries(r.reading.fill.values).filter(([k, v]) => rec.values[k] !== v);
    if (changes.length === 0) return setState({ step: 'done', reading: r.reading, text: 'The imaging record already has these values.' });
    if (!r.reading.patient.matches || rec.signature) return setState({ step: 'confirm', reading: r.reading, changes });
    await fill(r.reading, changes);
  };

  const busy = state.step === 'reading' || state.step === 'saving';
  return (
    <section className="card" aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`}>Fill from DICOM</h3>
      <p className="muted">Pick one file of the study, or several of one series. Only the header is read; no image is stored.</p>
      {state.step !== 'confirm' && (
        <div className="field">
          <label htmlFor={inputId}>DICOM file or files</label>
          <input
            id={inputId}
            type="file"
            multiple
            disabled={!actor || busy}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = ''; // the same file can be picked again
              void pick(files);
            }}
          />
        </div>
      )}
      {busy && <p role="status">{state.step === 'reading' ? 'Reading the DICOM header…' : 'Filling the imaging record…'}</p>}
      {state.step === 'error' && <div className="notice bad" role="alert">{state.message}</div>}
      {state.step === 'confirm' && (
        <div className="notice warn" role="group" aria-label="Check before filling">
          {!state.reading.patient.matches && (
            <>
              <p><strong>This file may be of another patient.</strong> Nothing has been filled in.</p>
              <ul>{state.reading.patient.problems.map((p) => <li key={p}>{p}</li>)}</ul>
            </>
          )}
          {rec.signature && <p><strong>Imaging is signed off.</strong> Filling in these values voids {rec.signature.signerName}’s signature: a radiologist must sign again.</p>}
          <p>It would fill:</p>
          <dl className="details">
            {state.changes.map(([k, v]) => (
              <div key={k}><dt>{label(k)}</dt><dd>{shown(k, v)}</dd></div>
            ))}
          </dl>
          <div className="btn-row dicom-actions">
            <button type="button" className="btn primary" onClick={() => void fill(state.reading, state.changes)}>
              {state.reading.patient.matches ? 'Fill and void the sign-off' : 'Use anyway'}
            </button>
            <button type="button" className="btn" onClick={() => setState({ step: 'idle' })}>Cancel</button>
          </div>
        </div>
      )}
      {state.step === 'done' && (
        <div className="notice ok" role="status">
          <p>{state.text}</p>
          {[...state.reading.notes, ...state.reading.fill.skipped.map((s) => `Not filled: ${s}.`)].map((n) => <p key={n}>{n}</p>)}
        </div>
      )}
    </section>
  );
}
