import { useState } from 'react';
import { useExportBackup } from '../../queries/backup-queries';
import { useSecurityPolicy } from '../../queries/user-queries';
import { errorMessage } from '../../ui/format';
import { downloadFile } from '../../ui/download';
import { SecretInput, secretLabel } from '../../ui/secret-input';

export function ExportBackup() {
  const exp = useExportBackup((f) => downloadFile(f.blob, 'application/json', f.fileName));
  const [protect, setProtect] = useState(false);
  const [modelFiles, setModelFiles] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [adminSecret, setAdminSecret] = useState('');
  const policy = useSecurityPolicy().data?.secret;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    exp.mutate({ passphrase: protect ? passphrase : null, adminSecret, modelFiles }, { onSettled: () => setAdminSecret('') });
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
          <input type="checkbox" checked={modelFiles} onChange={(e) => setModelFiles(e.target.checked)} />
          Include model files (STL, OBJ): the backup can become much larger
        </label>
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
        <div className="field">
          <label htmlFor="backup-admin-secret">Your {secretLabel(policy)}, to sign this backup</label>
          <span id="backup-admin-secret-hint" className="hint">Your sign-off key signs the file, so a copy edited afterwards is refused when restored.</span>
          <SecretInput id="backup-admin-secret" value={adminSecret} onChange={setAdminSecret} policy={policy} describedBy="backup-admin-secret-hint" />
        </div>
        {exp.isError && <p className="field-error" role="alert">{errorMessage(exp.error)}</p>}
        {exp.isSuccess && <p className="badge ok" role="status">Backup saved: {exp.data.counts.cases} cases, model files {exp.data.modelFiles === 'included' ? 'included' : 'left out'} ({exp.data.fileName})</p>}
        {exp.isSuccess && exp.data.casesElsewhere > 0 && (
          <p className="notice warn" role="status">
            {exp.data.casesElsewhere} older closed cases are left out: this device holds only their records, their histories stay on the lab server. Back up the whole lab from a device that holds its whole archive.
          </p>
        )}
        <button type="submit" className="btn primary" disabled={exp.isPending}>{exp.isPending ? 'Making backup…' : 'Download backup'}</button>
      </form>
    </section>
  );
}
