// axe-core on the main screens (after loading demo cases), and touch targets of at
// least 44×44 CSS px for every visible control on them.
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import { openSection, switchUser } from './support/app';

async function checkScreen(page: Page, screen: string) {
  await expectNoAxeViolations(page, screen);
  await expectTouchTargets(page, screen);
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Load 12 demo cases' }).click();
  await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
  await switchUser(page, 'Alex Morgan');
});

test('case list', async ({ page }) => {
  await expect(page.getByRole('list', { name: 'Cases' }).getByRole('link').first()).toBeVisible();
  await checkScreen(page, 'the case list');
});

test('new-case form, with a model and a guide, then with its error messages', async ({ page }) => {
  await page.getByRole('link', { name: 'New case' }).click();
  const form = page.getByRole('form', { name: 'New case' });
  await form.getByRole('button', { name: 'Add anatomic model' }).click();
  await form.getByRole('button', { name: 'Add guide' }).click();
  await expect(form.getByRole('group', { name: /^Guide:/ })).toBeVisible();
  await checkScreen(page, 'the new-case form');

  await form.getByRole('button', { name: 'Open case' }).click();
  await expect(form.getByRole('alert').first()).toBeVisible();
  await checkScreen(page, 'the new-case form showing its errors');
});

test('case page, every section', async ({ page }) => {
  // A case part-way through, so the sign-off and the stage forms are all there.
  await page.getByRole('combobox', { name: 'Show' }).selectOption('segmenting');
  await page.getByRole('list', { name: 'Cases' }).getByRole('link').first().click();
  await expect(page.getByRole('navigation', { name: 'Case sections' })).toBeVisible();
  for (const section of ['Order', 'Imaging', 'Segmenting', 'Printing', 'Delivery', 'Codes & PDF', 'History'] as const) {
    await openSection(page, section);
    await checkScreen(page, `the case page, section ${section}`);
  }
});
