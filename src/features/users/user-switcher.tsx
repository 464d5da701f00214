import { Link } from 'react-router';
import { ROLE_LABELS } from '../../domain/case';
import { shownName } from '../../domain/demo-people';
import { useSession } from '../../session/session';

/** Header: who is signed in; locking is also how to switch user (then tap your name). */
export function UserSwitcher() {
  const { actor, lock } = useSession();
  if (!actor) return null;
  return (
    <>
      <span className="who">{shownName(actor)} · {actor.roles.map((r) => ROLE_LABELS[r]).join(', ')}</span>
      <Link to="/my-secret" className="btn">My secret</Link>
      <button type="button" className="btn" onClick={() => void lock()}>Lock / switch user</button>
    </>
  );
}
