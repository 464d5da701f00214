import { useState } from 'react';
import { useExportBackup } from '../../queries/backup-queries';
import { errorMessage } from '../../ui/format';
import { downloadFile } from '../../ui/download';

export function ExportBackup() {
  const exp = useExportBackup();
  const [protect, setProtect] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    exp.mutate(protect ? passphrase : null, { onSuccess: (f) => downloadFile(f.blob, 'application/json', f.fileName) });
  };
  return (
    <section className="card" aria-labelledby="export-title">
      <h2 id="export-title">Make a backup</h2>
      <p>
        One file with every case, its history and signatures, the people on this tablet and the settings. Patient data in it stays encrypted with
        this tablet’s key, which only the people on the tablet can open with their PIN; still, store it only where PHI is allowed.
      </p>
      <form onSubmit={submit} aria-label="Make a backup">
        <label className="check">
          <input type="checkbox" checked={protect} onChange={(e) => setProtect(e.target.checked)} />
          Also protect the file with a passphrase
        </label>
        {protect && (
          <div className="field">
            <label htmlFor="backup-passphrase">Backup passphrase</label>
            <span id="backup-passphrase-hint" className="hint">At least 12 characters. Without it the file cannot be restored: keep it apart from the file.</span>
            <input id="backup-passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} aria-describedby="backup-passphrase-hint" />
          </div>
        )}
        {exp.isError && <p className="field-error" role="alert">{errorMessage(exp.error)}</p>}
        {exp.isSuccess && <p className="badge ok" role="status">Backup saved: {exp.data.counts.cases} cases ({exp.data.fileName})</p>}
        <button type="submit" className="btn primary" disabled={exp.isPending}>{exp.isPending ? 'Making backup…' : 'Download backup'}</button>
      </form>
    </section>
  );
}
