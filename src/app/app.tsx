import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import type { Actor } from '../domain/case';
import { FirstRun } from '../features/lock/first-run';
import { LockScreen } from '../features/lock/lock-screen';
import { afterPaint } from '../queries/after-paint';
import { createQueryClient } from '../queries/query-client';
import { useClearCacheOnLock, useSession } from '../session/session';
import { Frame } from './frame';

// The first load is the lock screen: React, TanStack Query and the screen itself (≤ 120 kB gzip,
// scripts/check-bundle.mjs). The storage code (Dexie) loads with the lock screen's first read; the
// signed-in app (router, case list) once the people show, while the person types their secret.
type SignedIn = { default: ComponentType<{ actor: Actor }> };
let loaded: SignedIn | null = null;
const signedInApp = () => import('./signed-in-app').then((m) => (loaded = { default: m.SignedInApp }));
const prefetchSignedInApp = () => void afterPaint().then(signedInApp).catch(() => undefined);
// Fetched while the person typed, it renders at once: lazy() takes any thenable, and one that
// calls back synchronously does not suspend (a promise would, for a moment of "Loading…").
const LazySignedInApp = lazy(() => (loaded ? ({ then: (ok: (m: SignedIn) => void) => ok(loaded!) } as unknown as Promise<SignedIn>) : signedInApp()));

export function App() {
  const [client] = useState(createQueryClient);
  useEffect(() => {
    let stop: (() => void) | null = null;
    let gone = false;
    void import('../queries/database-changes').then(({ followDatabaseChanges }) => {
      if (!gone) stop = followDatabaseChanges(client);
    });
    return () => {
      gone = true;
      stop?.();
    };
  }, [client]);
  return (
    <QueryClientProvider client={client}>
      <SessionGate />
    </QueryClientProvider>
  );
}

const RestoreBackup = lazy(() => import('../features/backup/restore-backup').then((m) => ({ default: m.RestoreBackup })));

/** First run: set up the first lab admin, or bring a wiped or new tablet back from a backup. */
const firstRun = (
  <>
    <FirstRun />
    <div className="lock">
      <Suspense fallback={null}>
        <RestoreBackup />
      </Suspense>
    </div>
  </>
);

/** Nothing with patient data renders until someone signs in; the route waits in the URL. */
function SessionGate() {
  const { actor } = useSession();
  useClearCacheOnLock();
  if (!actor) return <Frame><LockScreen firstRun={firstRun} onShown={prefetchSignedInApp} /></Frame>;
  return (
    <Suspense fallback={<Frame><p role="status">Loading…</p></Frame>}>
      <LazySignedInApp actor={actor} />
    </Suspense>
  );
}
