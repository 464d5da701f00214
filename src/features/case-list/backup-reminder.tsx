import { useState } from 'react';
import { Link } from 'react-router';
import { useBackupPolicy, useLastBackup } from '../../queries/backup-queries';
import { useSession } from '../../session/session';

/** The tablet may be the only copy of the lab's records: remind the admin when the last backup is old. */
export function BackupReminder() {
  const isAdmin = useSession().actor?.roles.includes('admin') ?? false;
  const last = useLastBackup();
  const days = useBackupPolicy().data?.remindAfterDays ?? 7;
  const [now] = useState(Date.now);
  if (!isAdmin || last.isPending) return null;
  const age = last.data ? Math.floor((now - Date.parse(last.data)) / 86_400_000) : null;
  if (age !== null && age < days) return null;
  return (
    <div className="notice warn" role="status">
      <strong>{age === null ? 'No backup has been made on this tablet yet.' : `The last backup is ${age} days old.`}</strong>{' '}
      This tablet may be the only copy of these records. <Link to="/backup">Make a backup</Link>
    </div>
  );
}
