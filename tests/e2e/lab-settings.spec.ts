// A lab admin keeps the printers and materials (demo data brings a realistic set);
// what a case uses can only be retired; the printing stage offers the printers
// that are still offered, and choosing one fills in its technology.
import type { Page } from '@playwright/test';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { DEMO_PIN, DEMO_TECH, goHome, loadDemoCases, openSection, setUpTablet, stageRecord, switchUser } from './support/app';
import { expect, test } from './support/fixtures';

const printers = (page: Page) => page.getByRole('list', { name: 'The lab’s printers' });
const entry = (page: Page, name: string) => printers(page).getByRole('listitem').filter({ has: page.getByText(name, { exact: true }) });

test('printers: in-use ones retire, unused ones delete, and the printing stage offers what is left', async ({ page }) => {
  await setUpTablet(page);
  await loadDemoCases(page);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Lab settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Lab settings' })).toBeVisible();
  await expect(entry(page, 'J750 DA')).toContainText('Not used by any case yet');

  // Every demo printer but the J750 prints demo cases: no Delete for those.
  for (const name of ['J5 #1', 'Form 3B #2', 'Fuse 1']) {
    const item = entry(page, name);
    await expect(item.getByText(/^Used by \d+ cases?: can be retired, not deleted or renamed$/)).toBeVisible();
    await expect(item.getByRole('button', { name: `Delete ${name}` })).toHaveCount(0);
  }
  await expectNoAxeViolations(page, 'lab settings');
  await expectTouchTargets(page, 'lab settings');

  await page.getByRole('button', { name: 'Delete J750 DA' }).click();
  await expect(entry(page, 'J750 DA')).toHaveCount(0);
  await page.getByRole('button', { name: 'Retire Fuse 1' }).click();
  await expect(entry(page, 'Fuse 1')).toContainText('Retired');

  const add = page.getByRole('form', { name: 'Add a printer' });
  await add.getByLabel('Label').fill('S5 #1');
  await add.getByLabel('Maker').fill('UltiMaker');
  await add.getByLabel('Model').fill('S5');
  await add.getByRole('button', { name: 'Add printer' }).click();
  await expect(add.getByRole('alert')).toHaveText('Choose the printing technology');
  await add.getByLabel('Technology').selectOption({ label: 'Material extrusion (FDM)' });
  await add.getByRole('button', { name: 'Add printer' }).click();
  await expect(add.getByRole('status')).toHaveText('Printer S5 #1 added');
  await expect(entry(page, 'S5 #1')).toContainText('UltiMaker S5 · Material extrusion (FDM)');

  // The lab audit trail has each change.
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'People & security' }).click();
  const log = page.getByRole('region', { name: 'Lab audit trail' });
  await expect(log.getByText('Printer S5 #1 added (UltiMaker S5, material extrusion (fdm))')).toBeVisible();
  await expect(log.getByText('Printer Fuse 1 retired: no longer offered')).toBeVisible();
  await expect(log.getByText('Printer J750 DA deleted')).toBeVisible();

  // A technician records printing: the offered printers only; choosing one fills the technology.
  await switchUser(page, DEMO_TECH, DEMO_PIN);
  await goHome(page);
  await page.getByRole('combobox', { name: 'Show' }).selectOption('printing');
  await page.getByRole('list', { name: 'Cases' }).getByRole('link').first().click();
  await openSection(page, 'Printing');
  const form = stageRecord(page, 'Printing');
  const printer = form.getByRole('combobox', { name: 'Printer' });
  await expect(printer.getByRole('option')).toHaveText(['Choose…', 'Form 3B #2 — Formlabs Form 3B+', 'J5 #1 — Stratasys J5 MediJet', 'S5 #1 — UltiMaker S5']);
  await printer.selectOption({ label: 'S5 #1 — UltiMaker S5' });
  await expect(form.getByRole('combobox', { name: 'Technology' })).toHaveValue('material-extrusion');
  await form.getByRole('button', { name: 'Save printing' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved');
  await expect(printer).toHaveValue('S5 #1');
});
