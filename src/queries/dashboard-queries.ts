// The dashboard's per-case facts (clear data only); the figures are computed from
// them on screen for the chosen date range. Refreshed by database change events.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { readDashboardFacts } from '../db/dashboard-repo';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  facts: () => [...dashboardKeys.all, 'facts'] as const,
};

export const dashboardFactsQuery = () => queryOptions({ queryKey: dashboardKeys.facts(), queryFn: () => readDashboardFacts() });

export const useDashboardFacts = () => useQuery(dashboardFactsQuery());
