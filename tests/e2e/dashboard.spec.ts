// The dashboard after loading the demo cases, in a real browser: every figure is
// there for the eye (bars, columns) and in tables for a screen reader; the date
// range filters; anyone signed in may look, and it passes axe and the 44 px check.
import type { Locator, Page } from '@playwright/test';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { DEMO_PIN, DEMO_TECH, loadDemoCases, setUpTablet, switchUser } from './support/app';
import { expect, test } from './support/fixtures';

const sections = (page: Page) => page.getByRole('navigation', { name: 'Sections' });

async function openDashboard(page: Page) {
  await sections(page).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cases by stage' })).toBeVisible();
}

/** A summary tile's figure, by its term. */
const tile = (page: Page, term: string) => page.getByLabel('Summary').getByRole('term').filter({ hasText: new RegExp(`^${term}$`) }).locator('xpath=following-sibling::dd');

/** The figure cells of a chart table's row, by the row's label. */
const cells = (table: Locator, label: string) => table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: label, exact: true }) }).getByRole('cell');

const tomorrow = () => {
  const d = new Date(Date.now() + 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

test('the dashboard shows the demo cases’ figures, filters by date, and reads out its numbers', async ({ page }) => {
  await setUpTablet(page);
  await loadDemoCases(page);
  await openDashboard(page);

  await expect(tile(page, 'Cases')).toHaveText('12');
  await expect(tile(page, 'Of which demo cases')).toHaveText('12');
  await expect(tile(page, 'Open')).toHaveText('10');
  await expect(tile(page, 'Order to delivery \\(median\\)')).toHaveText(/^\d+\.\d (h|days)$/);
  await expect(tile(page, 'Used in patient care')).toHaveText(/^\d+ %$/);

  // Cases by stage: demo cases spread over every stage, two of each (0…5 of the way through).
  const byStage = page.getByRole('table', { name: 'Cases by stage' });
  for (const label of ['In imaging', 'In segmenting', 'In printing', 'Closed']) await expect(cells(byStage, label)).toHaveText(['2']);
  await expect(cells(byStage, 'Cancelled')).toHaveText(['0']);

  // Turnaround: the four delivered cases; per stage, every case past it.
  const turnaround = page.getByRole('table', { name: 'Turnaround: median and 90th percentile' });
  await expect(cells(turnaround, 'Order to delivery')).toHaveText(['4', /^\d+\.\d (h|days)$/, /^\d+\.\d (h|days)$/]);
  await expect(cells(turnaround, 'Imaging').first()).toHaveText('10');
  await expect(cells(turnaround, 'Delivery').first()).toHaveText('4');

  // Cases per month: columns drawn for the eye, the same counts in a table for a screen reader.
  const months = page.getByRole('table', { name: 'Cases opened per month' });
  const counts = (await months.getByRole('cell').allInnerTexts()).map(Number);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
  await expect(page.locator('svg.month-chart rect.column')).toHaveCount(counts.length);

  const mix = page.getByRole('table', { name: 'Models and guides made' });
  expect(Number(await cells(mix, 'Anatomic models').innerText())).toBeGreaterThan(0);

  const effort = page.getByRole('table', { name: 'Effort hours by registry category' });
  await expect(effort.getByRole('rowheader')).toHaveText(['Consultation', 'Segmentation', 'CAD design', 'Preparation / post-processing']);
  for (const category of ['Consultation', 'Segmentation', 'Preparation / post-processing']) {
    const [clinician, non, unknown, total] = (await cells(effort, category).allInnerTexts()).map((t) => Number(t.replace(' h', '')));
    expect(total).toBeGreaterThan(0);
    expect(Math.abs(clinician! + non! + unknown! - total!)).toBeLessThan(0.2);
  }

  const use = page.getByRole('table', { name: 'Models and guides by use in patient care' });
  expect(Number(await cells(use, 'Used').innerText())).toBeGreaterThan(0);
  await expect(page.getByRole('region', { name: /^Overdue cases \(\d+\)$/ })).toBeVisible();

  await expectNoAxeViolations(page, 'the dashboard');
  await expectTouchTargets(page, 'the dashboard');

  // Every panel's table fits its card, on the tablet and on a workstation (the effort table takes a whole row there).
  for (const size of [{ width: 820, height: 1180 }, { width: 1280, height: 900 }]) {
    await page.setViewportSize(size);
    const cutOff = await page.locator('.dash-panel').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.querySelector('h2')?.textContent));
    expect(cutOff, `panels wider than their card at ${size.width} px`).toEqual([]);
  }

  // Nothing was opened tomorrow; "All dates" brings everything back.
  await page.getByLabel('Cases opened from').fill(tomorrow());
  await expect(page.getByText('No case was opened in this period.')).toBeVisible();
  await page.getByRole('button', { name: 'All dates' }).click();
  await expect(tile(page, 'Cases')).toHaveText('12');
});

test('anyone signed in sees the dashboard; Lab settings is for lab admins', async ({ page }) => {
  await setUpTablet(page);
  await loadDemoCases(page);
  await expect(sections(page).getByRole('link', { name: 'Lab settings' })).toBeVisible();
  await switchUser(page, DEMO_TECH, DEMO_PIN);
  await expect(sections(page).getByRole('link', { name: 'Lab settings' })).toHaveCount(0);
  await openDashboard(page);
  await expect(tile(page, 'Cases')).toHaveText('12');
  await page.setViewportSize({ width: 1180, height: 820 }); // landscape
  await expectTouchTargets(page, 'the dashboard in landscape');
});
