import { useState } from 'react';
import type { Actor, Case, StageId } from '../../domain/case';
import { ROLE_LABELS } from '../../domain/case';
import { SEND_BACK_NEEDS_REASON } from '../../domain/commands';
import { shownName } from '../../domain/demo-people';
import { stageDef } from '../../domain/stages';
import { awaitingSignoff } from '../../domain/signoff-wait';
import type { Distrusted } from '../../domain/workflow';
import { useRunCommand } from '../../queries/case-queries';
import { useBusyWhile } from '../../session/busy';
import { errorMessage } from '../../ui/format';

type Props = { caseData: Case; stage: StageId; actor: Actor | null; distrusted: Distrusted };

/** "Not yet, because…": a signer sends a stage that waits for them back to the technician, with a reason (required). */
export function SendBack({ caseData, stage, actor, distrusted }: Props) {
  const run = useRunCommand(caseData.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const [sent, setSent] = useState(false);
  useBusyWhile(`send-back:${caseData.id}:${stage}`, open && reason.trim() !== '');
  const signoff = stageDef(stage).signoff;
  const id = `send-back-${stage}`;
  if (sent) return <p className="notice ok" role="status">Sent back to the technician. It returns to the queue once they change the stage.</p>;
  if (!signoff || !actor?.roles.includes(signoff.role) || (actor.demo && !caseData.demo)) return null;
  if (caseData.cancelled || caseData.closed || awaitingSignoff(caseData, distrusted)?.stage !== stage) return null;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setMissing(true);
      return;
    }
    run.mutate({ command: { type: 'sendBack', stage, reason } }, { onSuccess: () => { setSent(true); setOpen(false); setReason(''); } });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Not ready to sign?</h3>
      {!open ? (
        <button type="button" className="btn" onClick={() => setOpen(true)}>Send back…</button>
      ) : (
        <form aria-label="Send back to the technician" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-reason`}>What needs to change?</label>
            <span id={`${id}-hint`} className="hint">The technician sees this with your name ({shownName(actor)}, {ROLE_LABELS[signoff.role]}) and the time; it goes on the case’s audit trail.</span>
            <textarea
              id={`${id}-reason`}
              value={reason}
              onChange={(e) => { setReason(e.target.value); setMissing(false); }}
              aria-invalid={missing || undefined}
              aria-describedby={missing ? `${id}-hint ${id}-error` : `${id}-hint`}
              autoFocus
            />
            {missing && <span id={`${id}-error`} className="field-error" role="alert">{SEND_BACK_NEEDS_REASON}</span>}
          </div>
          <div className="btn-row">
            <button type="submit" className="btn danger" disabled={run.isPending}>{run.isPending ? 'Sending back…' : 'Send back to the technician'}</button>
            <button type="button" className="btn" onClick={() => { setOpen(false); setMissing(false); run.reset(); }}>Cancel</button>
          </div>
          {run.error && <p className="field-error" role="alert">{errorMessage(run.error)}</p>}
        </form>
      )}
    </section>
  );
}
