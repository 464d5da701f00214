// Patients named in Devanagari and in Arabic: each case PDF downloads (a Devanagari name once made the export
// hang) with the name in it. The Arabic font is fetched only for the Arabic case, never on the first load, and the
// service worker keeps it: with the network off, after a reload, the PDF still prints the name.
import { ADMIN, ADMIN_PIN, controlledByServiceWorker, createCase, exportPdf, lockScreen, openSection, setUpTablet, signIn } from './support/app';
import { expect, test } from './support/fixtures';
import { pdfText } from './support/pdf';

const MODEL = { name: 'Pelvis', components: [{ structure: 'Pelvis', colour: 'White', material: 'PLA' }] };
// pdftotext writes right-to-left letters as they stand on the line, left to right.
const printedRightToLeft = (s: string) => [...s].reverse().join('');

test('a Devanagari and an Arabic name print; the Arabic font loads only then and stays for offline use', async ({ page, context, traffic }, testInfo) => {
  test.setTimeout(150_000);
  await page.goto('/');
  await controlledByServiceWorker(page);
  await setUpTablet(page, { goto: false, alsoTechnician: true });
  const fontRequests = () => traffic.urls.filter((u) => new URL(u).pathname.startsWith('/fonts/'));
  expect(fontRequests(), 'no script font on the first load').toEqual([]);

  const printed = async (patientName: string, mrn: string) => {
    await createCase(page, { patientName, mrn, models: [MODEL] });
    await openSection(page, 'Codes & PDF');
    return printedAgain();
  };
  const printedAgain = async () => {
    const download = await exportPdf(page);
    const path = testInfo.outputPath(download.suggestedFilename());
    await download.saveAs(path);
    return pdfText(path);
  };

  expect(await printed('प्रिया शर्मा', 'DEV-1001')).toContain('Name प्रिया शर्मा');
  expect(fontRequests(), 'Noto Sans, loaded with the PDF code, has Devanagari').toEqual([]);

  expect(await printed('محمد عبد الله', 'ARA-1001')).toContain(printedRightToLeft('محمد عبد الله'));
  expect(fontRequests().length).toBeGreaterThan(0);
  for (const url of fontRequests()) expect(url).toMatch(/\/fonts\/NotoSansArabic-Regular\.\w+\.ttf$/);
  const cached = await page.evaluate(async () => (await (await caches.open('pdf-fonts')).keys()).map((r) => new URL(r.url).pathname));
  expect(cached).toEqual([expect.stringMatching(/^\/fonts\/NotoSansArabic-Regular\.\w+\.ttf$/)]);

  // A reload starts with nothing in memory (and locks the tablet): the font can only come from the service worker now.
  await context.setOffline(true);
  await page.reload();
  await expect(lockScreen(page)).toBeVisible();
  await signIn(page, ADMIN, ADMIN_PIN);
  await expect(page.getByRole('heading', { level: 1, name: 'محمد عبد الله' })).toBeVisible();
  await openSection(page, 'Codes & PDF');
  expect(await printedAgain()).toContain(printedRightToLeft('محمد عبد الله'));
});
