// The dashboard's totals per day of opening (clear data only); the figures are computed from
// them on screen for the chosen date range. Refreshed by database change events.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { readDashboardDays } from '../db/dashboard-repo';

export const dashboardKeys = {
  all: ['dashboard'] as const,
  days: () => [...dashboardKeys.all, 'days'] as const,
};

export const dashboardDaysQuery = () => queryOptions({ queryKey: dashboardKeys.days(), queryFn: () => readDashboardDays() });

export const useDashboardDays = () => useQuery(dashboardDaysQuery());
