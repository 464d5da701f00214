import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { BrowserRouter } from 'react-router';
import { FirstRun } from '../features/lock/first-run';
import { LockScreen } from '../features/lock/lock-screen';
import { createQueryClient, followDatabaseChanges } from '../queries/query-client';
import { useSecurityPolicy } from '../queries/user-queries';
import { useIdleLock } from '../session/idle-lock';
import { useClearCacheOnLock, useSession } from '../session/session';
import { Layout } from './layout';
import { AppRoutes } from './routes';
import { useStartSync } from './start-sync';

export function App() {
  const [client] = useState(createQueryClient);
  useEffect(() => followDatabaseChanges(client), [client]);
  return (
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <Layout>
          <SessionGate />
        </Layout>
      </BrowserRouter>
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
  const idleMinutes = useSecurityPolicy().data?.idleMinutes ?? 5;
  useClearCacheOnLock();
  useIdleLock(idleMinutes, actor !== null);
  useStartSync(actor?.id ?? null);
  return actor ? <AppRoutes /> : <LockScreen firstRun={firstRun} />;
}
