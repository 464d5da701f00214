import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { DashboardPage } from '../../../src/features/dashboard/dashboard-page';
import { todayLocal } from '../../../src/ui/format';
import { TEST_PIN, renderApp, resetDatabase, signIn } from '../../support/render-app';

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

  it('shows the demo cases’ figures as charts whose numbers are in tables', async () => {
    await loadDemoCases(12, TEST_PIN);
    await signIn('Tess Tech', ['technician']);
    openDashboard();
    expect(screen.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();

    const tiles = await screen.findByLabelText('Summary');
    expect(within(tiles).getByText('Cases').nextSibling).toHaveTextContent('12');
    expect(within(tiles).getByText('Open').nextSibling).toHaveTextContent('10');

    const byStage = screen.getByRole('table', { name: 'Cases by stage' });
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
});
