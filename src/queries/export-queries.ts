// Lab-wide exports. The registry CSV reads every case (lab admins only; the repository
// checks) when asked, and keeps nothing in the cache: the cases hold PHI, and a second
// export must read the cases as they are then.
import { queryOptions, useQueryClient } from '@tanstack/react-query';

// The export code loads with the exports screen's first download, not with the app.
const exportRepo = () => import('../db/export-repo');

export const exportKeys = { registryCases: ['exports', 'registry', 'cases'] as const };

export const registryCasesQuery = () =>
  queryOptions({ queryKey: exportKeys.registryCases, queryFn: async () => (await exportRepo()).readAllCasesForExport(), staleTime: 0, gcTime: 0, retry: false });

/** Reads every case for the registry export, afresh each time. */
export function useReadCasesForExport() {
  const client = useQueryClient();
  return () => client.fetchQuery(registryCasesQuery());
}
