import { useMemo, useState } from 'react';
import { computeDashboard } from '../../domain/dashboard';
import { useDashboardDays } from '../../queries/dashboard-queries';
import { errorMessage, todayLocal } from '../../ui/format';
import { DashboardView } from './dashboard-view';
import { DateRangeFilter } from './date-range-filter';
import { PrinterQaDue } from './printer-qa-due';

/** How the lab is doing: for everyone signed in, over the cases opened in a chosen period. */
export function DashboardPage() {
  const days = useDashboardDays();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const today = todayLocal();
  const dashboard = useMemo(
    () => (days.data ? computeDashboard(days.data, { from: from || null, to: to || null }, today) : null),
    [days.data, from, to, today],
  );
  return (
    <section aria-labelledby="dashboard-title" className="dashboard">
      <h1 id="dashboard-title">Dashboard</h1>
      <DateRangeFilter from={from} to={to} onFrom={setFrom} onTo={setTo} />
      {days.isError && <p className="notice bad" role="alert">The dashboard could not be read: {errorMessage(days.error)}</p>}
      {!dashboard ? <p role="status">Counting cases…</p> : <DashboardView d={dashboard} filtered={Boolean(from || to)} />}
      <PrinterQaDue today={today} />
    </section>
  );
}
