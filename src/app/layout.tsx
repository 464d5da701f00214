import { lazy, Suspense, type ReactNode } from 'react';
import { Link } from 'react-router';
import { HomeScreenHint } from '../features/install/home-screen-hint';
import { SecretResetNotice } from '../features/my-secret/reset-notice';
import { UserSwitcher } from '../features/users/user-switcher';
import { MainNav } from './main-nav';
import { queueRoleOf } from '../domain/stages';
import { OutdatedBanner } from './outdated-banner';
import { NetworkStatus } from './network-status';
import { SyncStatusLine } from './sync-status';
import { UpdatePrompt } from './update-prompt';
import { useSession } from '../session/session';

// Only for people who sign: not in the first load.
const QueueWatch = lazy(() => import('./queue-watch').then((m) => ({ default: m.QueueWatch })));

export function Layout({ children }: { children: ReactNode }) {
  const { actor } = useSession();
  return (
    <>
      <header className="app-header">
        <Link to="/" className="brand">Printpath</Link>
        <span className="spacer" />
        <NetworkStatus />
        <SyncStatusLine />
        <UserSwitcher />
      </header>
      <MainNav />
      {queueRoleOf(actor) && <Suspense fallback={null}><QueueWatch /></Suspense>}
      <UpdatePrompt />
      <OutdatedBanner />
      <HomeScreenHint />
      <SecretResetNotice />
      <main>{children}</main>
    </>
  );
}
