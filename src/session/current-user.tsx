// Who is using the tablet right now. Only the user's id is remembered
// (localStorage holds no PHI); secrets and auto-lock come with sign-off work.
import { createContext, use, useCallback, useMemo, useState, type ReactNode } from 'react';
import type { Actor } from '../domain/case';
import { toActor } from '../db/user-repo';
import { useUsers } from '../queries/user-queries';

const KEY = 'printpath.currentUserId';

type Session = { actor: Actor | null; switchTo: (userId: string | null) => void };
const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const users = useUsers();
  const [userId, setUserId] = useState<string | null>(() => localStorage.getItem(KEY));
  const switchTo = useCallback((id: string | null) => {
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
    setUserId(id);
  }, []);
  const row = users.data?.find((u) => u.id === userId) ?? null;
  const value = useMemo(() => ({ actor: row ? toActor(row) : null, switchTo }), [row, switchTo]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  const s = use(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
