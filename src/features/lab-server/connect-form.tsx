import { useState } from 'react';
import { useConnectLab } from '../../queries/sync-queries';
import { useSecurityPolicy } from '../../queries/user-queries';
import { AdminConfirm, useAdminSecret } from '../../ui/admin-confirm';
import { Field } from '../../ui/field';

/** A tablet not yet connected: the admin types the server's one-time set-up code. */
export function ConnectForm({ onRecoveryKey }: { onRecoveryKey: (key: string | null) => void }) {
  const policy = useSecurityPolicy().data?.secret;
  const connect = useConnectLab();
  const [code, setCode] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const adminSecret = useAdminSecret();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    // Not mutate's own onSuccess: this form unmounts as soon as the tablet shows as connected.
    connect.mutateAsync({ code, deviceName, adminSecret: adminSecret.take() }).then((r) => onRecoveryKey(r.recoveryKey), () => undefined);
  };
  return (
    <section className="card" aria-labelledby="connect-title">
      <h2 id="connect-title">Connect this tablet to the lab server</h2>
      <p>
        Everything on this tablet goes up to the lab server sealed with the lab’s key: the server keeps it but cannot read patient data.
        The tablet keeps working offline as before, and catches up whenever it reaches the server.
      </p>
      <form onSubmit={submit} noValidate aria-label="Connect this tablet to the lab server">
        <Field label="Set-up code" hint="The code the lab server printed when it first started.">
          {({ id, describedBy }) => <input id={id} value={code} onChange={(e) => setCode(e.target.value)} aria-describedby={describedBy} autoComplete="off" autoCapitalize="characters" spellCheck={false} />}
        </Field>
        <Field label="Name of this device" hint="How the other devices of the lab see it, e.g. “Bench tablet 1”.">
          {({ id, describedBy }) => <input id={id} value={deviceName} onChange={(e) => setDeviceName(e.target.value)} aria-describedby={describedBy} autoComplete="off" />}
        </Field>
        <AdminConfirm policy={policy} value={adminSecret.value} onChange={adminSecret.onChange} error={connect.error} />
        <button type="submit" className="btn primary" disabled={connect.isPending}>{connect.isPending ? 'Connecting…' : 'Connect'}</button>
      </form>
    </section>
  );
}
