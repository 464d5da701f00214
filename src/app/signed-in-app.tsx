import { BrowserRouter } from 'react-router';
import type { Actor } from '../domain/case';
import { useSecurityPolicy } from '../queries/user-queries';
import { useIdleLock } from '../session/idle-lock';
import { Layout } from './layout';
import { AppRoutes } from './routes';
import { useStartSync } from './start-sync';

/**
 * Everything after sign-in: the router, the case list and the rest. Loaded by app.tsx while
 * the lock screen shows, not with it; the route waited in the URL while the tablet was locked.
 */
export function SignedInApp({ actor }: { actor: Actor }) {
  const idleMinutes = useSecurityPolicy().data?.idleMinutes ?? 5;
  useIdleLock(idleMinutes, true);
  useStartSync(actor.id);
  return (
    <BrowserRouter>
      <Layout>
        <AppRoutes />
      </Layout>
    </BrowserRouter>
  );
}
