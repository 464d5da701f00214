import { useEffect, useRef, type ReactNode } from 'react';
import { HomeScreenHint } from '../features/install/home-screen-hint';
import { NetworkStatus } from './network-status';
import { OutdatedBanner } from './outdated-banner';
import { SyncStatusLine } from './sync-status';
import { UpdatePrompt } from './update-prompt';

type Slots = {
  /** The brand: a link home once signed in (layout.tsx); plain text on the lock screen, which has no router. */
  brand?: ReactNode;
  /** Who is signed in, at the header's end. */
  account?: ReactNode;
  nav?: ReactNode;
  notices?: ReactNode;
  children: ReactNode;
};

/**
 * The page around every screen, locked or signed in. It is in the first load, so it needs no
 * router and no storage code: what only a signed-in person sees comes in as slots.
 */
export function Frame({ brand = <span className="brand">Printpath</span>, account, nav, notices, children }: Slots) {
  const header = useStickyHeaderHeight();
  return (
    <>
      <header className="app-header" ref={header}>
        {brand}
        <span className="spacer" />
        <NetworkStatus />
        <SyncStatusLine />
        {account}
      </header>
      {nav}
      <UpdatePrompt />
      <OutdatedBanner />
      <HomeScreenHint />
      {notices}
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
