import { useState } from 'react';
import { useRecoverLab } from '../../queries/sync-queries';
import { errorMessage } from '../../ui/format';

/** First run, third way: every device of the lab was lost; the recovery key from paper brings the lab back here. */
export function RecoverLab() {
  const [open, setOpen] = useState(false);
  const [recoveryKey, setRecoveryKey] = useState('');
  const [name, setName] = useState('');
  const recover = useRecoverLab();
  if (!open) {
    return (
      <button type="button" className="btn recover-open" onClick={() => setOpen(true)}>Every device was lost? Recover the lab with its recovery key</button>
    );
  }
  return (
    <form className="recover-lab" aria-label="Recover the lab" noValidate onSubmit={(e) => (e.preventDefault(), recover.mutate({ recoveryKey, deviceName: name }))}>
      <h3>Recover the lab</h3>
      <p className="muted">The recovery key was shown once, when the lab was connected to its server, to be kept on paper.</p>
      <div className="field">
        <label htmlFor="recover-key">Recovery key</label>
        <span id="recover-key-hint" className="hint">14 groups of four letters and digits, as written on the paper.</span>
        <textarea id="recover-key" rows={2} value={recoveryKey} onChange={(e) => setRecoveryKey(e.target.value)} aria-describedby="recover-key-hint" autoComplete="off" autoCapitalize="characters" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="recover-name">Name of this device</label>
        <input id="recover-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
      </div>
      {recover.isError && <p className="field-error" role="alert">{errorMessage(recover.error)}</p>}
      {recover.isPending && <p className="notice" role="status">{recover.progress ?? 'Recovering the lab…'}</p>}
      {recover.isSuccess && <p className="notice" role="status">The lab is back on this device: choose your name to sign in with your own PIN.</p>}
      <button type="submit" className="btn primary" disabled={recover.isPending || recover.isSuccess}>{recover.isPending ? 'Recovering…' : 'Recover the lab'}</button>
    </form>
  );
}
