// The sign-off queue's count in the navigation: loaded only for people who sign.
import type { Role } from '../domain/case';
import { useQueueCount } from '../queries/queue-queries';

export function QueueCount({ role }: { role: Role }) {
  const waiting = useQueueCount(role).data;
  if (waiting === undefined) return null;
  return <> <span className="nav-count" aria-label={`${waiting} waiting`}>{waiting}</span></>;
}
