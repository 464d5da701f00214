// A lab admin records a printer's QA check (a phantom printed and measured) on Lab settings;
// the dashboard shows each printer's next due date, overdue ones marked. Axe and 44 px checks
// on the open form.
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { loadDemoCases, setUpTablet } from './support/app';
import { expect, test } from './support/fixtures';

const pad = (n: number) => String(n).padStart(2, '0');
const day = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

test('a printer QA check on Lab settings sets the next due date the dashboard shows; an overdue one is marked', async ({ page }) => {
  await setUpTablet(page);
  await loadDemoCases(page);
  const sections = page.getByRole('navigation', { name: 'Sections' });
  await sections.getByRole('link', { name: 'Lab settings' }).click();

  // J5 #1: checked 40 days ago on a 30-day schedule (overdue); Form 3B #2: checked today, every 14 days.
  for (const [printer, date, interval] of [['J5 #1', day(-40), '30'], ['Form 3B #2', day(0), '14']] as const) {
    const log = page.getByRole('region', { name: `QA log of ${printer}` });
    await expect(log.getByText('No QA recorded yet')).toBeVisible();
    await log.getByRole('button', { name: `Record a QA check of ${printer}` }).click();
    const form = log.getByRole('form', { name: `QA check of ${printer}` });
    await form.getByLabel('Date of the check').fill(date);
    await form.getByLabel('Result').selectOption({ label: 'Pass' });
    await form.getByLabel('Next check after (days)').fill(interval);
    if (printer === 'J5 #1') {
      await expectNoAxeViolations(page, 'lab settings with a printer QA form open');
      await expectTouchTargets(page, 'lab settings with a printer QA form open');
    }
    await form.getByRole('button', { name: `Save QA check of ${printer}` }).click();
    await expect(form).toHaveCount(0);
  }
  await expect(page.getByRole('region', { name: 'QA log of J5 #1' }).getByText(`Overdue since ${day(-10)}`)).toBeVisible();
  await expect(page.getByRole('region', { name: 'QA log of Form 3B #2' }).getByText(`Next due ${day(14)}`)).toBeVisible();

  await sections.getByRole('link', { name: 'Dashboard' }).click();
  const panel = page.getByRole('region', { name: 'Printer QA (1 overdue)' });
  await expect(panel).toBeVisible();
  const rows = panel.getByRole('list', { name: 'Printer QA due' }).getByRole('listitem');
  await expect(rows.first()).toContainText(`J5 #1Overdue Overdue since ${day(-10)}`);
  await expect(rows.filter({ hasText: 'Form 3B #2' })).toContainText(`Next due ${day(14)}`);
  await expectNoAxeViolations(page, 'dashboard with printer QA');
});
