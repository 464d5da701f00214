// axe-core on every screen (first run, lock screen, admin page, and the case screens
// after loading demo cases), and touch targets of at least 44×44 CSS px for every
// visible control on them.
import type { Page } from '@playwright/test';
import { expectNoAxeViolations, expectTouchTargets } from './support/a11y';
import {
  ADMIN,
  DEMO_PIN,
  DEMO_RAD,
  DEMO_TECH,
  enterPin,
  firstRunScreen,
  goHome,
  loadDemoCases,
  lockScreen,
  lockTablet,
  openAdmin,
  openSection,
  setUpTablet,
  shownName,
  signoffPanel,
  switchUser,
} from './support/app';
import { expect, test } from './support/fixtures';

// Every test starts from an empty tablet in its own browser context, so they may share out over the workers.
test.describe.configure({ mode: 'parallel' });

async function checkScreen(page: Page, screen: string) {
  await expectNoAxeViolations(page, screen);
  await expectTouchTargets(page, screen);
}

test('first-run screen, then with its error message', async ({ page }) => {
  await page.goto('/');
  const screen = firstRunScreen(page);
  await expect(screen).toBeVisible();
  await checkScreen(page, 'the first-run screen');

  await screen.getByLabel('Your name as printed on signatures').fill(ADMIN);
  await screen.getByLabel('Choose a PIN').fill('123456');
  await screen.getByLabel('PIN again').fill('123457');
  await screen.getByRole('button', { name: 'Create lab admin' }).click();
  await expect(screen.getByRole('alert')).toHaveText('The two entries differ');
  await checkScreen(page, 'the first-run screen showing its error');
});

test.describe('with demo cases loaded', () => {
  test.beforeEach(async ({ page }) => {
    await setUpTablet(page);
    await loadDemoCases(page);
  });

  test('lock screen: the list of people, a person chosen, a wrong PIN', async ({ page }) => {
    await lockTablet(page);
    await checkScreen(page, 'the lock screen');
    await enterPin(page, DEMO_TECH, '000000');
    await expect(lockScreen(page).getByRole('alert')).toContainText('Wrong secret');
    await checkScreen(page, 'the lock screen after a wrong PIN');
  });

  test('admin page: people, adding a person, policy, lab audit trail, a secret reset', async ({ page }) => {
    await openAdmin(page);
    await expect(page.getByRole('region', { name: 'Lab audit trail' }).getByRole('status')).toContainText('Lab log verified');
    await expect(page.getByRole('region', { name: 'Lab root key' })).toContainText('Lab root key:');
    await checkScreen(page, 'the admin page');
    await page.getByRole('button', { name: `Reset secret for ${shownName(DEMO_TECH)}` }).click();
    await expect(page.getByRole('form', { name: `New secret for ${shownName(DEMO_TECH)}` })).toBeVisible();
    await page.getByRole('form', { name: 'Add a person' }).getByRole('button', { name: 'Add person' }).click();
    await expect(page.getByRole('form', { name: 'Add a person' }).getByRole('alert')).toBeVisible();
    await checkScreen(page, 'the admin page with a secret reset open and an error');
    await page.getByRole('button', { name: `Change roles for ${DEMO_TECH}` }).click();
    const roles = page.getByRole('form', { name: `Roles for ${DEMO_TECH}` });
    await roles.getByLabel('Your PIN, to confirm').fill('000000');
    await roles.getByRole('button', { name: 'Save roles' }).click();
    await expect(roles.getByRole('alert')).toContainText('Wrong secret');
    await checkScreen(page, 'the admin page with a roles form and a wrong PIN');
    await page.getByRole('button', { name: `Disable ${DEMO_TECH}` }).click();
    await expect(page.getByRole('form', { name: `Disable ${DEMO_TECH}` })).toBeVisible();
    await checkScreen(page, 'the admin page with a disable form open');
  });

  test.describe('as the demo technician', () => {
    test.beforeEach(async ({ page }) => {
      await switchUser(page, DEMO_TECH, DEMO_PIN);
    });

    test('case list', async ({ page }) => {
      await expect(page.getByRole('list', { name: 'Cases' }).getByRole('link').first()).toBeVisible();
      await expect(page.getByRole('list', { name: 'Cases' }).getByRole('link').first()).toHaveAccessibleName(/^Demo case — not a real patient /);
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

    test('case page, every section, the PDF warning, and a signature as the radiologist sees it', async ({ page }) => {
      // A case part-way through, so the sign-off and the stage forms are all there.
      await page.getByRole('combobox', { name: 'Show' }).selectOption('segmenting');
      await page.getByRole('list', { name: 'Cases' }).getByRole('link').first().click();
      await expect(page.getByRole('navigation', { name: 'Case sections' })).toBeVisible();
      for (const section of ['Order', 'Imaging', 'Segmenting', 'Printing', 'Delivery', 'Codes & PDF', 'History'] as const) {
        await openSection(page, section);
        await checkScreen(page, `the case page, section ${section}`);
      }

      await openSection(page, 'Codes & PDF');
      await page.getByRole('button', { name: 'Export PDF' }).click();
      await expect(page.getByRole('group', { name: 'Patient data in the PDF' })).toBeVisible();
      await checkScreen(page, 'the case page, the PDF’s patient-data warning');

      // As the radiologist: imaging's verified signature (the signing form is checked in security.spec.ts).
      await switchUser(page, DEMO_RAD, DEMO_PIN);
      await openSection(page, 'Imaging');
      await expect(signoffPanel(page).getByLabel('Signature', { exact: true })).toContainText('verified with the signer’s key');
      await checkScreen(page, 'the case page, the radiologist’s sign-off');
    });
  });
});

test('case list as a lab admin, back from the admin page', async ({ page }) => {
  await setUpTablet(page);
  await openAdmin(page);
  await goHome(page);
  await expect(page.getByRole('heading', { name: 'No cases on this tablet yet' })).toBeVisible();
  await checkScreen(page, 'the empty lab');
});
