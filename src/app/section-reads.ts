// What a section shows first is read from the tap on its link, side by side with the section's
// code arriving and rendering, instead of after its first render: the render-as-you-fetch order.
// Each read is the section's own query (same key and function), so the section finds it in the
// cache or in flight; queries stay fresh until a database change (query-client.ts), so a read
// begun at the pointer and asked again at the click is read once.
import type { QueryClient } from '@tanstack/react-query';
import type { Role } from '../domain/case';
import { QUEUE_PAGE } from '../domain/list-index';

type Ahead = (client: QueryClient, role: Role | null) => Promise<unknown>;

const SECTION_READS: Record<string, Ahead> = {
  '/dashboard': (client) =>
    Promise.all([
      import('../queries/dashboard-queries').then((q) => client.prefetchQuery(q.dashboardDaysQuery())),
      import('../queries/lab-settings-queries').then((q) => client.prefetchQuery(q.printersQuery())),
    ]),
  '/lab-settings': (client) =>
    Promise.all([
      import('../queries/lab-settings-queries').then((q) =>
        Promise.all([client.prefetchQuery(q.printersQuery()), client.prefetchQuery(q.materialsQuery()), client.prefetchQuery(q.softwareQuery()), client.prefetchQuery(q.combinationsQuery()), client.prefetchQuery(q.labListUsageQuery())]),
      ),
      import('../queries/case-queries').then((q) => client.prefetchQuery(q.codeTableQuery())),
    ]),
  '/queue': (client, role) => (role ? import('../queries/queue-queries').then((q) => client.prefetchQuery(q.queueQuery(role, QUEUE_PAGE))) : Promise.resolve()),
};

/** Starts the first reads of the section at `to`, if it has any; never throws (a failed read shows on the section). */
export function readAhead(client: QueryClient, to: string, role: Role | null): void {
  SECTION_READS[to]?.(client, role).catch(() => undefined);
}
