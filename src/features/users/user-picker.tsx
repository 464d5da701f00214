import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { ROLE_LABELS } from '../../domain/case';
import { useUsers } from '../../queries/user-queries';
import { useSession } from '../../session/current-user';
import { AddUserForm } from './add-user-form';

export function UserPicker({ onClose }: { onClose: () => void }) {
  const users = useUsers();
  const { actor, switchTo } = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const choose = (id: string) => {
    switchTo(id);
    onClose();
  };

  // A portal: opened from the header, it must not inherit the header's colours.
  return createPortal(
    <div className="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div role="dialog" aria-modal="true" aria-labelledby="user-picker-title" className="card dialog-card">
        <h2 id="user-picker-title" tabIndex={-1} ref={heading}>Who is using this tablet?</h2>
        {users.data && users.data.length > 0 ? (
          <ul className="user-list">
            {users.data.map((u) => (
              <li key={u.id}>
                <button type="button" className={`btn ${actor?.id === u.id ? 'primary' : ''}`} onClick={() => choose(u.id)} aria-pressed={actor?.id === u.id}>
                  <span>{u.name}</span>
                  <span className="role-list">{u.roles.map((r) => ROLE_LABELS[r]).join(', ')}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p>No one has been added on this tablet yet. Add yourself below.</p>
        )}
        <details open={!users.data?.length}>
          <summary className="btn">Add a person</summary>
          <AddUserForm onAdded={(id) => choose(id)} />
        </details>
        <div className="btn-row" style={{ marginTop: '1rem' }}>
          <button type="button" className="btn" onClick={onClose}>Close</button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
