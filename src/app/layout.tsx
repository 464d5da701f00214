import { lazy, Suspense, type ReactNode } from 'react';
import { Link } from 'react-router';
import { SecretResetNotice } from '../features/my-secret/reset-notice';
import { UserSwitcher } from '../features/users/user-switcher';
import { MainNav } from './main-nav';
import { queueRoleOf } from '../domain/stages';
import { Frame } from './frame';
import { useSession } from '../session/session';

// Only for people who sign: not with the case list.
const QueueWatch = lazy(() => import('./queue-watch').then((m) => ({ default: m.QueueWatch })));

/** The frame as a signed-in person sees it: home link, who they are, the sections. */
export function Layout({ children }: { children: ReactNode }) {
  const { actor } = useSession();
  return (
    <Frame
      brand={<Link to="/" className="brand">Printpath</Link>}
      account={<UserSwitcher />}
      nav={
        <>
          <MainNav />
          {queueRoleOf(actor) && <Suspense fallback={null}><QueueWatch /></Suspense>}
        </>
      }
      notices={<SecretResetNotice />}
    >
      {children}
    </Frame>
  );
}
