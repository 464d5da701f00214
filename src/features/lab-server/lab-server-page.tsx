import { useState } from 'react';
import { useSyncState } from '../../queries/sync-queries';
import { useSession } from '../../session/session';
import { ConnectForm } from './connect-form';
import { JoinWithRecords, joinedText } from './join-with-records';
import { LabDevices } from './lab-devices';
import { ParkedLabChanges } from './parked-lab-changes';
import { MissingRecoveryKey, RecoveryKeyShown } from './recovery-key';
import { SyncCard } from './sync-card';
import { WaitingDevices } from './waiting-devices';

/** Lab admin: connect this tablet to the lab server, then let other devices join (or revoke them). */
export function LabServerPage() {
  const { actor } = useSession();
  const state = useSyncState();
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);
  const [joined, setJoined] = useState<string | null>(null);
  if (!actor?.roles.includes('admin')) return <div className="notice bad">Only a lab admin can connect devices to the lab server.</div>;
  return (
    <section aria-labelledby="lab-server-title">
      <h1 id="lab-server-title">Lab server</h1>
      {joined && <p className="notice ok" role="status">{joined}</p>}
      {recoveryKey && <RecoveryKeyShown recoveryKey={recoveryKey} onDone={() => setRecoveryKey(null)} />}
      {state.isPending ? (
        <p role="status">Loading…</p>
      ) : state.data ? (
        <>
          <SyncCard state={state.data} />
          <ParkedLabChanges />
          {!state.data.revoked && (
            <>
              {!recoveryKey && <MissingRecoveryKey onMade={setRecoveryKey} />}
              <WaitingDevices />
              <LabDevices />
            </>
          )}
        </>
      ) : (
        <>
          <ConnectForm onRecoveryKey={setRecoveryKey} />
          <JoinWithRecords onJoined={(m) => setJoined(joinedText(m))} />
        </>
      )}
    </section>
  );
}
