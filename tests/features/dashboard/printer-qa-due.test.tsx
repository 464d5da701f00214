// The dashboard shows each offered printer's next QA check, overdue ones marked.
import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordPrinterQa, savePrinter, setPrinterRetired } from '../../../src/db/lab-settings-repo';
import { addDays } from '../../../src/domain/printer-qa';
import { DashboardPage } from '../../../src/features/dashboard/dashboard-page';
import { todayLocal } from '../../../src/ui/format';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('dashboard: printer QA', () => {
  it('shows the next due date per offered printer, overdue first and marked, to anyone signed in', async () => {
    const today = todayLocal();
    const j5 = await savePrinter({ label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' });
    const form = await savePrinter({ label: 'Form 3B #2', maker: 'Formlabs', model: 'Form 3B+', technology: 'vat-photopolymerization' });
    const old = await savePrinter({ label: 'Objet 260', maker: 'Stratasys', model: 'Objet260', technology: 'material-jetting' });
    await recordPrinterQa(j5.id, { date: addDays(today, -40), what: 'QA phantom', result: 'pass', intervalDays: 30 }, today);
    await recordPrinterQa(form.id, { date: addDays(today, -2), what: 'QA phantom', result: 'pass', intervalDays: 30 }, today);
    await setPrinterRetired(old.id, true);
    await signIn('Tess Tech', ['technician']);
    renderApp(<DashboardPage />, { route: '/dashboard' });
    const panel = await screen.findByRole('region', { name: 'Printer QA (1 overdue)' });
    const rows = within(within(panel).getByRole('list', { name: 'Printer QA due' })).getAllByRole('listitem');
    expect(rows.map((r) => r.textContent)).toEqual([`J5 #1Overdue Overdue since ${addDays(today, -10)}`, `Form 3B #2Next due ${addDays(today, 28)}`]);
    expect(within(rows[0]!).getByText('Overdue')).toHaveClass('bad');
    expect(within(rows[1]!).queryByText('Overdue')).toBeNull();
  });

  it('is not shown while the lab has no printers', async () => {
    renderApp(<DashboardPage />, { route: '/dashboard' });
    expect(await screen.findByText(/No cases on this tablet yet/)).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /Printer QA/ })).toBeNull();
  });
});
