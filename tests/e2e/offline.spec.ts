// After the first visit the service worker serves the app: with the network off
// it reloads, the tablet is set up, a person added, a case opened and edited, and
// all of it survives another reload (which locks the tablet: the keys live in memory).
import { controlledByServiceWorker, createCase, goHome, lockScreen, openSection, saveStage, setUpLab, signIn, stageRecord } from './support/app';
import { expect, test } from './support/fixtures';

const INES = { name: 'Ines Offline', roles: ['Lab technician' as const], pin: '902761' };

test('after the first load the app works with the network off', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Set up this tablet' })).toBeVisible();

  await controlledByServiceWorker(page);

  await context.setOffline(true);
  const offlineLoad = await page.reload();
  expect(offlineLoad?.fromServiceWorker(), 'the offline page comes from the service worker').toBe(true);
  await expect(page.getByRole('heading', { name: 'Set up this tablet' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Offline — saving on this tablet');

  // Everything below happens offline: set the tablet up, add a person on the admin page
  // (its code arrives from the service worker's cache), open a case, record imaging.
  await setUpLab(page, [INES], INES);
  const { caseNumber, url } = await createCase(page, {
    patientName: 'Zofia Wójcik-Brzęczyszczykiewicz',
    mrn: 'OFF-1001',
    models: [{ name: 'Mandible', components: [{ structure: 'Mandible', colour: 'White', material: 'PLA' }] }],
  });
  await openSection(page, 'Imaging');
  await saveStage(page, 'Imaging', { Modality: { select: 'Cone-beam CT' }, 'Study date': '2025-04-02', 'Accession number': 'OFF-ACC-77', 'Slice thickness': '0.4' });

  // Still offline: reload the case page. The reload locks the tablet; Ines signs in again.
  expect((await page.reload())?.fromServiceWorker()).toBe(true);
  await expect(page.getByRole('banner')).toContainText('Offline — saving on this tablet');
  await expect(lockScreen(page)).toBeVisible();
  await expect(page.getByText('Zofia Wójcik-Brzęczyszczykiewicz')).toHaveCount(0);
  await signIn(page, INES.name, INES.pin);
  await expect(page.getByRole('heading', { level: 1, name: 'Zofia Wójcik-Brzęczyszczykiewicz' })).toBeVisible();
  await expect(page.getByRole('article')).toContainText(caseNumber);
  await openSection(page, 'Imaging');
  const imaging = stageRecord(page, 'Imaging');
  await expect(imaging.getByLabel('Modality')).toHaveValue('CBCT');
  await expect(imaging.getByLabel('Study date')).toHaveValue('2025-04-02');
  await expect(imaging.getByLabel('Accession number')).toHaveValue('OFF-ACC-77');
  await expect(imaging.getByLabel('Slice thickness')).toHaveValue('0.4');

  await goHome(page);
  const list = page.getByRole('list', { name: 'Cases' });
  await expect(list.getByRole('link', { name: /Zofia Wójcik-Brzęczyszczykiewicz/ })).toContainText(caseNumber);
  await list.getByRole('link', { name: /Zofia Wójcik-Brzęczyszczykiewicz/ }).click();
  await expect(page).toHaveURL(url);
});
