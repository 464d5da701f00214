import { useSession } from '../../session/session';
import { ExportBackup } from './export-backup';
import { RestoreBackup } from './restore-backup';
import { StorageCard } from './storage-card';

/** Lab admin: how safe the data on this tablet is, backups out and back in. */
export function BackupPage() {
  const { actor } = useSession();
  if (!actor?.roles.includes('admin')) return <div className="notice bad">Only a lab admin can make or restore backups.</div>;
  return (
    <section aria-labelledby="backup-title">
      <h1 id="backup-title">Storage &amp; backup</h1>
      <StorageCard />
      <ExportBackup />
      <RestoreBackup />
    </section>
  );
}
