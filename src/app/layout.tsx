import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
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
  const header = useStickyHeaderHeight();
  return (
    <>
      <header className="app-header" ref={header}>
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

/**
 * The sticky header's height as `--header-h` on the page (it wraps to two or three lines on a
 * narrow tablet): the page's scroll padding keeps a focused control from hiding under it.
 */
function useStickyHeaderHeight() {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--header-h', `${el.offsetHeight}px`));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return ref;
}
