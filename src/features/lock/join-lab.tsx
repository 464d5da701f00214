import { useState } from 'react';
import { useJoinLab } from '../../queries/sync-queries';
import { errorMessage } from '../../ui/format';
import { RecoverLab } from './recover-lab';
import { HoldingChoice } from '../../ui/holding-choice';
import { JoinWaiting } from '../../ui/join-waiting';
import type { Holding } from '../../domain/holding';

/** First run, second way: this device joins the lab server's lab, once a lab admin approves it. */
export function JoinLab() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [holds, setHolds] = useState<Holding>('all');
  const join = useJoinLab();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    join.mutate({ deviceName: name, holds });
  };

  return (
    <section className="card lock" aria-labelledby="join-title">
      <h2 id="join-title">Or join your lab’s server</h2>
      <p className="muted">If your lab runs a Printpath lab server, this device can join it and receive the lab’s people and cases, still encrypted.</p>
      {!open && (
        <>
          <button type="button" className="btn" onClick={() => setOpen(true)}>Join a lab server</button>
          <RecoverLab />
        </>
      )}
      {open && !join.joining && (
        <form onSubmit={submit} noValidate aria-label="Join a lab server">
          <div className="field">
            <label htmlFor="join-name">Name of this device</label>
            <span id="join-name-hint" className="hint">The lab admin sees it when approving, e.g. “Reading room workstation”.</span>
            <input id="join-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="join-name-hint" autoComplete="off" />
          </div>
          <HoldingChoice value={holds} onChange={setHolds} />
          {join.isError && <p className="field-error" role="alert">{errorMessage(join.error)}</p>}
          <button type="submit" className="btn primary" disabled={join.isPending}>{join.isPending ? 'Asking…' : 'Ask to join'}</button>
        </form>
      )}
      {join.joining && (
        <JoinWaiting code={join.joining.code} keyCode={join.joining.keyCode} what="device" error={join.isError ? join.error : null} status={join.isSuccess ? 'This device joined the lab: choose your name to sign in.' : (join.progress ?? 'Waiting for a lab admin to approve this device…')} pending={join.isPending} onReset={join.reset} />
      )}
    </section>
  );
}
