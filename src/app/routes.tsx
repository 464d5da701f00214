import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { Route, Routes } from 'react-router';
import { CaseListPage } from '../features/case-list/case-list-page';
import { afterPaint } from '../queries/after-paint';

// Only the case list is in the first load; the rest arrives when opened.
const NewCasePage = lazy(() => import('../features/intake/new-case-page').then((m) => ({ default: m.NewCasePage })));

type Loaded = { default: ComponentType };
let casePage: Loaded | null = null;
let casePageLoading: Promise<Loaded> | undefined;
/** The case page's code, fetched once: while the list shows, so a tap on a row does not wait for it. */
export const preloadCasePage = () => (casePageLoading ??= import('./case-page').then((m) => (casePage = { default: m.CasePage })));
/** Whether the case page's code is here (a tap on a row then renders it without a moment of "Loading…"). */
export const casePageReady = () => casePage !== null;
// Once fetched it renders at once: lazy() takes any thenable, and one that calls back synchronously does not suspend.
const CasePage = lazy(() => (casePage ? ({ then: (ok: (m: Loaded) => void) => ok(casePage!) } as unknown as Promise<Loaded>) : preloadCasePage()));
const AdminPage = lazy(() => import('../features/admin/admin-page').then((m) => ({ default: m.AdminPage })));
const LabSettingsPage = lazy(() => import('../features/lab-settings/lab-settings-page').then((m) => ({ default: m.LabSettingsPage })));
const DashboardPage = lazy(() => import('../features/dashboard/dashboard-page').then((m) => ({ default: m.DashboardPage })));
const BackupPage = lazy(() => import('../features/backup/backup-page').then((m) => ({ default: m.BackupPage })));
const MySecretPage = lazy(() => import('../features/my-secret/my-secret-page').then((m) => ({ default: m.MySecretPage })));
const LabServerPage = lazy(() => import('../features/lab-server/lab-server-page').then((m) => ({ default: m.LabServerPage })));
const QueuePage = lazy(() => import('../features/signoff-queue/queue-page').then((m) => ({ default: m.QueuePage })));
const ReviewPage = lazy(() => import('./review-page').then((m) => ({ default: m.ReviewPage })));
const ExportsPage = lazy(() => import('../features/exports/exports-page').then((m) => ({ default: m.ExportsPage })));

export function AppRoutes() {
  return (
    <Suspense fallback={<p role="status">Loading…</p>}>
      <Routes>
        <Route path="/" element={<ListRoute />} />
        <Route path="/cases/new" element={<NewCasePage />} />
        <Route path="/cases/:caseId" element={<CasePage />} />
        <Route path="/cases/:caseId/review/:stage" element={<ReviewPage />} />
        <Route path="/queue" element={<QueuePage />} />
        <Route path="/admin" element={<AdminPage />} />
        <Route path="/lab-settings" element={<LabSettingsPage />} />
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/backup" element={<BackupPage />} />
        <Route path="/lab-server" element={<LabServerPage />} />
        <Route path="/exports" element={<ExportsPage />} />
        <Route path="/my-secret" element={<MySecretPage />} />
        <Route path="*" element={<ListRoute />} />
      </Routes>
    </Suspense>
  );
}

/** The case list; once it has painted and the page is idle, the case page's code is fetched behind it. */
function ListRoute() {
  useEffect(() => {
    let gone = false;
    const preload = () => void (gone || preloadCasePage().catch(() => (casePageLoading = undefined)));
    void afterPaint().then(() => (typeof requestIdleCallback === 'function' ? requestIdleCallback(preload, { timeout: 2000 }) : setTimeout(preload, 200)));
    return () => {
      gone = true;
    };
  }, []);
  return <CaseListPage />;
}
