import { useState } from 'react';
import type { WaitingDevice } from '../../sync/lab-server';
import { useApproveDevice, useRejectDevice, useWaitingDevices } from '../../queries/sync-queries';
import { useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';
import { errorMessage, formatDateTime, plural } from '../../ui/format';
import { JoinCodes } from '../../ui/join-waiting';

/** Devices asking to join, asked again every few seconds while this page is open. */
export function WaitingDevices() {
  const waiting = useWaitingDevices(true);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="waiting-title">
      <h2 id="waiting-title">Devices waiting to join</h2>
      {waiting.isError && <p className="notice warn" role="status">{errorMessage(waiting.error)}</p>}
      {waiting.isPending && <p role="status">Asking the lab server…</p>}
      {waiting.data?.length === 0 && <p className="muted">No device is waiting. On a new device, open Printpath and choose “Join a lab server”.</p>}
      {waiting.data && waiting.data.length > 0 && (
        <ul className="lab-list">
          {waiting.data.map((d) => (
            <Waiting key={d.enrolmentId} device={d} onDone={setDone} />
          ))}
        </ul>
      )}
      {done && <p className="badge ok" role="status">{done}</p>}
    </section>
  );
}

// The row leaves the list when the refreshed list no longer has the device, so the
// sentence goes to the list (mutate's own callbacks would not run once the row is gone).
const ignore = () => undefined; // the error shows through the mutation's state

function Waiting({ device, onDone }: { device: WaitingDevice; onDone: (text: string) => void }) {
  const policy = useSecurityPolicy().data?.secret;
  const approve = useApproveDevice();
  const reject = useRejectDevice();
  const adminSecret = useAdminSecret();
  const busy = approve.isPending || reject.isPending;
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    reject.reset();
    approve.mutateAsync({ enrolmentId: device.enrolmentId, adminSecret: adminSecret.take() }).then(() => onDone(`${device.deviceName} approved: it is receiving the lab’s records.`), ignore);
  };
  const refuse = () => {
    approve.reset();
    reject.mutateAsync(device.enrolmentId).then(() => onDone(`${device.deviceName} rejected.`), ignore);
  };
  return (
    <li aria-label={device.deviceName}>
      <div>
        <strong>{device.deviceName}</strong> <span className="muted">asked {formatDateTime(device.createdAt)}</span>
      </div>
      <JoinCodes code={device.code} keyCode={device.keyCode} />
      {device.brings && (
        <p className="notice">
          This tablet brings records of its own: {plural(device.brings.people, 'person', 'people')} and {plural(device.brings.cases, 'case', 'cases')}. Approving it vouches for its lab log: its people join the lab with the roles and keys it gives them.
        </p>
      )}
      <p className="notice warn">Approve only if the joining device shows the same code and key code.</p>
      <form onSubmit={submit} noValidate aria-label={`Approve ${device.deviceName}`}>
        <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={approve.error} />
        {reject.isError && <p className="field-error" role="alert">{errorMessage(reject.error)}</p>}
        <div className="btn-row">
          <button type="submit" className="btn primary" disabled={busy}>Approve</button>
          <button type="button" className="btn danger" onClick={refuse} disabled={busy}>Reject</button>
        </div>
      </form>
    </li>
  );
}
