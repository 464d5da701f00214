// The sign-off queue. Its keys sit under caseKeys.all: every write and every database
// change (this tab, another tab, a case arriving from another device) refreshes it.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Role } from '../domain/case';
import { countQueue } from '../db/queue-repo';
import { caseKeys } from './case-queries';

export { QUEUE_PAGE } from '../domain/list-index';

export const queueKeys = {
  count: (role: Role) => [...caseKeys.all, 'queue', role, 'count'] as const,
  list: (role: Role, limit: number) => [...caseKeys.all, 'queue', role, 'list', limit] as const,
};

export const useQueueCount = (role: Role | null) =>
  useQuery({ queryKey: queueKeys.count(role ?? 'radiologist'), queryFn: () => countQueue(role!), enabled: role !== null });

/** The first `limit` cases of a role's queue, in queue order; a longer list keeps showing the shorter one while it reads. */
export const queueQuery = (role: Role, limit: number) =>
  queryOptions({ queryKey: queueKeys.list(role, limit), queryFn: async () => (await import('../db/queue-list-repo')).listQueue(role, limit) });

export const useQueue = (role: Role, limit: number) => useQuery({ ...queueQuery(role, limit), placeholderData: keepPreviousData });
