import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { DashboardPage } from '../../../src/features/dashboard/dashboard-page';
import { todayLocal } from '../../../src/ui/format';
import { runCommand } from '../../../src/db/case-commands';
import { asCaseId } from '../../../src/domain/ids';
import { order } from '../../support/orders';
import { db } from '../../../src/db/database';
import { renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

const openDashboard = () => renderApp(<DashboardPage />, { route: '/dashboard' });

/** The figure cells of a chart table's row, by the row's label. */
const rowCells = (table: HTMLElement, label: string | RegExp) => {
  const row = within(table).getByRole('rowheader', { name: label }).closest('tr')!;
  return within(row).getAllByRole('cell').map((c) => c.textContent);
};

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('dashboard', () => {
  it('says so when there are no cases', async () => {
    openDashboard();
    expect(await screen.findByText(/No cases on this tablet yet/)).toBeInTheDocument();
  });

  it('says how many of the cases are demo cases only when there are some', async () => {
    await signIn('Tess Tech', ['technician']);
    await runCommand(null, { type: 'create', id: asCaseId(crypto.randomUUID()), input: order() });
    openDashboard();
    const tiles = await screen.findByLabelText('Summary');
    expect(within(tiles).getByText('Cases').nextSibling).toHaveTextContent('1');
    expect(within(tiles).queryByText(/demo/i)).toBeNull();
  });

  it('shows the demo cases’ figures as charts whose numbers are in tables', async () => {
    await loadDemoCases(12, TEST_PIN);
    await signIn('Tess Tech', ['technician']);
    openDashboard();
    expect(screen.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();

    const tiles = await screen.findByLabelText('Summary');
    expect(within(tiles).getByText('Cases').nextSibling).toHaveTextContent('12');
    expect(within(tiles).getByText('Open').nextSibling).toHaveTextContent('10');
    expect(within(tiles).getByText('Of which demo cases').nextSibling).toHaveTextContent('12');

    // The charts follow the summary once it has painted.
    const byStage = await screen.findByRole('table', { name: 'Cases by stage' });
    expect(rowCells(byStage, 'In imaging')).toEqual(['2']);
    expect(rowCells(byStage, 'Closed')).toEqual(['2']);
    expect(rowCells(byStage, 'Cancelled')).toEqual(['0']);

    const turnaround = screen.getByRole('table', { name: 'Turnaround: median and 90th percentile' });
    const [count, medianText, p90Text] = rowCells(turnaround, 'Order to delivery');
    expect(count).toBe('4');
    expect(medianText).toMatch(/^\d+\.\d (h|days)$/);
    expect(p90Text).toMatch(/^\d+\.\d (h|days)$/);
    expect(rowCells(turnaround, 'Imaging')[0]).toBe('10');

    const months = screen.getByRole('table', { name: 'Cases opened per month' });
    const perMonth = within(months).getAllByRole('cell').map((c) => Number(c.textContent));
    expect(perMonth.reduce((a, b) => a + b, 0)).toBe(12);

    const mix = screen.getByRole('table', { name: 'Models and guides made' });
    expect(Number(rowCells(mix, 'Anatomic models')[0])).toBeGreaterThan(0);

    const effort = screen.getByRole('table', { name: 'Effort hours by registry category' });
    expect(within(effort).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['Consultation', 'Segmentation', 'CAD design', 'Preparation / post-processing']);
    const [clinician, non, unknown, total] = rowCells(effort, 'Segmentation').map((t) => Number(t!.replace(' h', '')));
    expect(total).toBeGreaterThan(0);
    expect(clinician! + non! + unknown!).toBeCloseTo(total!, 0);

    const use = screen.getByRole('table', { name: 'Models and guides by use in patient care' });
    expect(Number(rowCells(use, 'Used')[0])).toBeGreaterThan(0);
    expect(screen.getByRole('region', { name: /Overdue cases/ })).toBeInTheDocument();
  });

  it('filters by the day cases were opened', async () => {
    await loadDemoCases(12, TEST_PIN);
    const { user } = openDashboard();
    await screen.findByRole('table', { name: 'Cases by stage' });
    const tomorrow = todayLocal(new Date(Date.now() + 86_400_000));
    await user.type(screen.getByLabelText('Cases opened from'), tomorrow);
    expect(await screen.findByText('No case was opened in this period.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'All dates' }));
    expect(await screen.findByRole('table', { name: 'Cases by stage' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('to'), '2000-01-01');
    await user.type(screen.getByLabelText('Cases opened from'), '2000-02-01');
    expect(screen.getByRole('alert')).toHaveTextContent('The start date is after the end date');
  });

  it('shows the clinical impact recorded at delivery, once there is some', async () => {
    await loadDemoCases(12, TEST_PIN);
    await signIn('Tess Tech', ['technician']);
    const { unmount } = openDashboard();
    const panel = () => screen.findByRole('region', { name: 'Clinical impact' });
    expect(within(await panel()).getByText(/No impact recorded yet/)).toBeInTheDocument();
    unmount();

    const done = (await db.cases.toArray()).filter((r) => r.statusKey === 'ready-for-billing' || r.statusKey === 'awaiting-use');
    expect(done.length).toBeGreaterThanOrEqual(2);
    await runCommand(asCaseId(done[0]!.id), { type: 'saveStage', stage: 'delivery', values: { procedurePerformed: 'yes', planChanged: 'yes', surgeonRating: 5, minutesSaved: 40 } });
    await runCommand(asCaseId(done[1]!.id), { type: 'saveStage', stage: 'delivery', values: { procedurePerformed: 'yes', planChanged: 'no', surgeonRating: 3 } });
    openDashboard();
    const impact = await panel();
    const value = (label: string) => within(impact).getByText(label).nextElementSibling?.textContent;
    expect(value('Procedure performed')).toBe('2 yes · 0 no');
    expect(value('Surgical plan changed')).toBe('50 % (1 yes · 1 no)');
    expect(value('Surgeon’s rating (median)')).toBe('4 of 5, over 2 ratings');
    expect(value('Operating time saved (median)')).toBe('40 min');
    expect(value('Cases with impact recorded')).toMatch(/^2 of \d+ delivered cases$/);
  });
});
