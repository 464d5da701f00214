import { useState } from 'react';
import type { LabDevice } from '../../sync/lab-server';
import { useLabDevices, useRevokeDevice } from '../../queries/sync-queries';
import { useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';
import { errorMessage, formatDateTime } from '../../ui/format';

/** Every device that joined this lab; a lost one is revoked here. */
export function LabDevices() {
  const devices = useLabDevices(true);
  const [done, setDone] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="devices-title">
      <h2 id="devices-title">Devices of this lab</h2>
      {devices.isError && <p className="notice warn" role="status">{errorMessage(devices.error)}</p>}
      {devices.isPending && <p role="status">Asking the lab server…</p>}
      <ul className="lab-list">
        {devices.data?.map((d) => (
          <Device key={d.deviceId} device={d} onDone={setDone} />
        ))}
      </ul>
      {done && <p className="badge ok" role="status">{done}</p>}
    </section>
  );
}

function Device({ device, onDone }: { device: LabDevice; onDone: (text: string) => void }) {
  const policy = useSecurityPolicy().data?.secret;
  const revoke = useRevokeDevice();
  const adminSecret = useAdminSecret();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    revoke.mutateAsync({ deviceId: device.deviceId, name: device.name, adminSecret: adminSecret.take() }).then(() => onDone(`${device.name} revoked: the server refuses it from now on, and what is written from now on is sealed under a new key it never receives.`), () => undefined);
  };
  return (
    <li aria-label={device.name} className={device.revokedAt ? 'retired' : undefined}>
      <div>
        <strong>{device.name}</strong>
        {device.self && <> <span className="badge ok">This device</span></>}
        {device.revokedAt && <> <span className="badge bad">Revoked {formatDateTime(device.revokedAt)}</span></>}
        <div className="muted">Joined {formatDateTime(device.createdAt)}</div>
      </div>
      {!device.self && !device.revokedAt && (
        <form onSubmit={submit} noValidate aria-label={`Revoke ${device.name}`}>
          <p className="muted">Revoke a lost or retired device: the server refuses it from its next request, and the lab starts a new key that it never receives.</p>
          <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={revoke.error} />
          <button type="submit" className="btn danger" disabled={revoke.isPending}>Revoke</button>
        </form>
      )}
    </li>
  );
}
