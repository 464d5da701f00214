import { Link } from 'react-router';
import { useSecretResetBy } from '../../queries/user-queries';
import { useSession } from '../../session/session';
import { formatDateTime } from '../../ui/format';

/** After an admin reset someone's secret, the admin knows it: say so until the person chooses their own. */
export function SecretResetNotice() {
  const { actor } = useSession();
  const resetBy = useSecretResetBy(actor?.id ?? null).data;
  if (!resetBy) return null;
  return (
    <p className="notice warn" role="status">
      {resetBy.by} reset your secret on {formatDateTime(resetBy.at)}, so they know it. <Link to="/my-secret">Choose one only you know</Link>.
    </p>
  );
}
