import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { CaseListPage } from '../features/case-list/case-list-page';

// Only the case list is in the first load; the rest arrives when opened.
const NewCasePage = lazy(() => import('../features/intake/new-case-page').then((m) => ({ default: m.NewCasePage })));
const CasePage = lazy(() => import('./case-page').then((m) => ({ default: m.CasePage })));
const AdminPage = lazy(() => import('../features/admin/admin-page').then((m) => ({ default: m.AdminPage })));

export function AppRoutes() {
  return (
    <Suspense fallback={<p role="status">Loading…</p>}>
      <Routes>
        <Route path="/" element={<CaseListPage />} />
        <Route path="/cases/new" element={<NewCasePage />} />
        <Route path="/cases/:caseId" element={<CasePage />} />
        <Route path="/admin" element={<AdminPage />} />
        <Route path="*" element={<CaseListPage />} />
      </Routes>
    </Suspense>
  );
}
