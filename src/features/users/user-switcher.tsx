import { useState } from 'react';
import { ROLE_LABELS } from '../../domain/case';
import { useSession } from '../../session/current-user';
import { UserPicker } from './user-picker';

/** Header button: who is using the tablet; two taps to switch. */
export function UserSwitcher() {
  const { actor } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-haspopup="dialog">
        {actor ? `${actor.name} · ${actor.roles.map((r) => ROLE_LABELS[r]).join(', ')}` : 'Who is using this tablet?'}
      </button>
      {open && <UserPicker onClose={() => setOpen(false)} />}
    </>
  );
}
