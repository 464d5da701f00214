import { useState } from 'react';
import { registryCsv, type RegistryScope } from '../../domain/registry-export';
import { useReadCasesForExport } from '../../queries/export-queries';
import { downloadFile } from '../../ui/download';
import { errorMessage, todayLocal } from '../../ui/format';
import { RegistryColumnsList } from './registry-columns-list';

type State = { busy: boolean; error: string | null; done: { cases: number; rows: number; demoCases: number; fileName: string } | null };

/** A fresh random draw for every export: the row numbers mean nothing outside this file. */
const secureRandom = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

const demoNote = (n: number) => (n === 0 ? '' : `; ${n === 1 ? 'one is a demo case' : `${n} are demo cases`} (demo = yes)`);

export function RegistryExportCard() {
  const [scope, setScope] = useState<RegistryScope>('delivered');
  const [state, setState] = useState<State>({ busy: false, error: null, done: null });
  const readAllCasesForExport = useReadCasesForExport();

  const download = async () => {
    setState({ busy: true, error: null, done: null });
    try {
      const { csv, cases, rows, demoCases } = registryCsv(await readAllCasesForExport(), { scope, random: secureRandom });
      const fileName = `printpath-registry-${todayLocal()}.csv`;
      downloadFile(csv, 'text/csv;charset=utf-8', fileName);
      setState({ busy: false, error: null, done: { cases, rows, demoCases, fileName } });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e), done: null });
    }
  };

  return (
    <section className="card" aria-labelledby="registry-title">
      <h2 id="registry-title">ACR–RSNA 3D Printing Registry (de-identified CSV)</h2>
      <p>
        One row per model or guide, with columns for the registry’s case-form sections: indication, imaging, digital model,
        physical model, print, use in care, effort and assessment.
      </p>
      <div className="notice ok">
        <strong>No patient identifiers.</strong> No names, MRNs, accession numbers, case numbers, dates other than the year,
        or free text (notes, feedback); ages over 89 are shown as 90+. Rows are numbered at random for each export.
      </div>
      <fieldset className="field plain">
        <legend className="label">Which cases</legend>
        <label className="check">
          <input type="radio" name="registry-scope" checked={scope === 'delivered'} onChange={() => setScope('delivered')} />
          Delivered and closed cases (for the registry)
        </label>
        <label className="check">
          <input type="radio" name="registry-scope" checked={scope === 'all'} onChange={() => setScope('all')} />
          All cases, including open and cancelled ones
        </label>
      </fieldset>
      <div className="btn-row">
        <button type="button" className="btn primary" onClick={() => void download()} disabled={state.busy}>
          {state.busy ? 'Making the CSV…' : 'Download registry CSV'}
        </button>
        {state.done && (
          <span className="badge ok" role="status">
            {state.done.cases === 0 ? 'No case to export: the file has only the header row' : `${state.done.cases} case${state.done.cases === 1 ? '' : 's'} (${state.done.rows} rows) downloaded${demoNote(state.done.demoCases)}`}
          </span>
        )}
      </div>
      {state.error && <p className="field-error" role="alert">Could not make the CSV: {state.error}</p>}
      <RegistryColumnsList />
    </section>
  );
}
