import { useState } from 'react';
import { useJoinLab } from '../../queries/sync-queries';
import type { Merged } from '../../sync/merge';
import { errorMessage, plural } from '../../ui/format';
import { JoinWaiting } from '../../ui/join-waiting';

/**
 * A tablet with people and cases of its own joins the lab another tablet already
 * connected: its records are merged into the lab's, nothing lost, once an admin on a
 * connected device approves it.
 */
/** What the Lab server page says once the tablet joined. */
export function joinedText(m: Merged): string {
  const without = m.withoutKeys.length ? ` ${m.withoutKeys.join(', ')} must have their secret reset to read the other devices’ cases: they have not signed in since keys were shared this way.` : '';
  return `This tablet joined the lab: ${plural(m.people, 'person', 'people')} and ${plural(m.cases, 'case')} merged with the lab’s.${without}`;
}

export function JoinWithRecords({ onJoined }: { onJoined: (merged: Merged) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const join = useJoinLab(true);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    // Not mutate's own onSuccess: this card unmounts as soon as the tablet shows as connected.
    join.mutateAsync({ deviceName: name, holds: 'all' }).then((m) => m && onJoined(m), () => undefined);
  };
  return (
    <section className="card" aria-labelledby="merge-title">
      <h2 id="merge-title">Or join the lab already on the server, with this tablet’s records</h2>
      <p>
        When another tablet of your lab connected it first, this tablet joins that lab: its people and cases are merged with the lab’s, still encrypted,
        nothing lost. Each person keeps their own PIN, which then works on every device of the lab. A lab admin on a connected device approves it.
      </p>
      {!open && (
        <button type="button" className="btn" onClick={() => setOpen(true)}>
          Join the lab with this tablet’s records
        </button>
      )}
      {open && !join.joining && (
        <form onSubmit={submit} noValidate aria-label="Join the lab with this tablet’s records">
          <div className="field">
            <label htmlFor="merge-name">Name of this device</label>
            <span id="merge-name-hint" className="hint">The lab admin sees it when approving, e.g. “Bench tablet 2”.</span>
            <input id="merge-name" value={name} onChange={(e) => setName(e.target.value)} aria-describedby="merge-name-hint" autoComplete="off" />
          </div>
          {join.isError && <p className="field-error" role="alert">{errorMessage(join.error)}</p>}
          <button type="submit" className="btn primary" disabled={join.isPending}>{join.isPending ? 'Asking…' : 'Ask to join with this tablet’s records'}</button>
        </form>
      )}
      {join.joining && (
        <JoinWaiting code={join.joining.code} keyCode={join.joining.keyCode} what="tablet" error={join.isError ? join.error : null} status={join.progress ?? 'Waiting for a lab admin to approve this tablet…'} pending={join.isPending} onReset={join.reset} />
      )}
    </section>
  );
}
