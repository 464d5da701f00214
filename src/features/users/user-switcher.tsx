import { lazy, Suspense, useState } from 'react';
import { ROLE_LABELS } from '../../domain/case';
import { useSession } from '../../session/current-user';

// The picker carries the add-person form (react-hook-form, zod): load it when opened.
const UserPicker = lazy(() => import('./user-picker').then((m) => ({ default: m.UserPicker })));

/** Header button: who is using the tablet; two taps to switch. */
export function UserSwitcher() {
  const { actor } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-haspopup="dialog">
        {actor ? `${actor.name} · ${actor.roles.map((r) => ROLE_LABELS[r]).join(', ')}` : 'Who is using this tablet?'}
      </button>
      {open && (
        <Suspense fallback={null}>
          <UserPicker onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
