import { useState } from 'react';
import { useHasRecoveryKey, useMakeRecoveryKey } from '../../queries/sync-queries';
import { useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';

/** The lab's recovery key, shown this once: nobody, not even the server, can show it again. */
export function RecoveryKeyShown({ recoveryKey, onDone }: { recoveryKey: string; onDone: () => void }) {
  return (
    <section className="card recovery-key" aria-labelledby="recovery-key-title">
      <h2 id="recovery-key-title">The lab’s recovery key</h2>
      <p>
        Write it down now and keep the paper with the lab’s records, away from the tablets. If every device of the lab is lost, a new device takes
        the whole lab back with it; each person’s own PIN then works there. <strong>It is shown only now</strong>: nobody, not even the server, can
        show it again.
      </p>
      <p className="recovery-key-text" aria-label="Recovery key">
        {recoveryKey.split('-').map((group, i) => <span key={i}>{group}</span>)}
      </p>
      <button type="button" className="btn primary" onClick={onDone}>I have written it down</button>
    </section>
  );
}

/** A lab connected before recovery keys existed has none: an admin makes it here. */
export function MissingRecoveryKey({ onMade }: { onMade: (key: string) => void }) {
  const has = useHasRecoveryKey(true);
  const make = useMakeRecoveryKey();
  const policy = useSecurityPolicy().data?.secret;
  const secret = useAdminSecret();
  const [open, setOpen] = useState(false);
  if (has.data !== false) return null;
  return (
    <section className="card" aria-labelledby="no-recovery-title">
      <h2 id="no-recovery-title">This lab has no recovery key</h2>
      <p>Without one, losing every device of the lab loses its records. Make it now and write it down: it is shown once.</p>
      {!open ? (
        <button type="button" className="btn" onClick={() => setOpen(true)}>Make the recovery key…</button>
      ) : (
        <form aria-label="Make the recovery key" noValidate onSubmit={(e) => (e.preventDefault(), make.mutateAsync({ adminSecret: secret.take() }).then(onMade, () => undefined))}>
          <AdminConfirm policy={policy} value={secret.value} onChange={secret.onChange} error={make.error} />
          <button type="submit" className="btn primary" disabled={make.isPending}>{make.isPending ? 'Making…' : 'Make the recovery key'}</button>
        </form>
      )}
    </section>
  );
}
