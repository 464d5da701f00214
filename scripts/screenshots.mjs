// Walks the built app in Debian's chromium at a tablet viewport and saves a PNG
// per screen, to look at before calling a screen done. Usage:
//   npx vite preview &  node scripts/screenshots.mjs [outDir] [width] [height]
import { chromium } from '@playwright/test';

const out = process.argv[2] ?? 'test-results/screens';
const width = Number(process.argv[3] ?? 820), height = Number(process.argv[4] ?? 1180);
const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
const PIN = '135790';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width, height } });
const shot = (name) => page.screenshot({ path: `${out}/${name}-${width}x${height}.png`, fullPage: true });

await page.goto(base);
await page.getByRole('heading', { name: 'Set up this tablet' }).waitFor();
await shot('00-first-run');
await page.getByLabel('Your name as printed on signatures').fill('Morgan Lee');
await page.getByLabel('Choose a PIN').fill(PIN);
await page.getByLabel('PIN again').fill(PIN);
await page.getByRole('button', { name: 'Create lab admin' }).click();
await page.getByRole('heading', { name: /No cases on this tablet/ }).waitFor();
await shot('01-empty');
await page.getByLabel('Your PIN, to confirm').fill(PIN);
await page.getByRole('button', { name: /Load 12 demo cases/ }).click();
await page.getByRole('heading', { name: 'Cases', exact: true }).waitFor();
await shot('03-case-list');
await page.getByRole('link', { name: 'New case' }).click();
await page.getByRole('button', { name: 'Open case' }).click();
await shot('04-new-case-errors');
await page.getByRole('link', { name: 'Printpath' }).click(); // a reload would lock the tablet
await page.getByRole('combobox', { name: 'Show' }).selectOption('segmenting');
await page.locator('.case-row').first().click();
await page.getByRole('heading', { level: 2 }).first().waitFor();
await shot('05-case-segmenting');
await page.getByRole('button', { name: /Codes & PDF/ }).click();
await page.getByRole('button', { name: 'Export PDF' }).click();
await shot('06-codes');
await page.getByRole('button', { name: /History/ }).click();
await page.getByRole('status').filter({ hasText: /Audit chain verified/ }).waitFor();
await shot('07-history');
await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
await page.getByRole('table', { name: 'Cases by stage' }).waitFor();
await shot('07b-dashboard');
await page.getByRole('link', { name: 'People & security' }).click();
await page.getByRole('heading', { name: 'Lab audit trail' }).waitFor();
await shot('08-admin');
await page.getByRole('button', { name: 'Change roles for Alex Morgan' }).click();
await page.getByRole('form', { name: 'Roles for Alex Morgan' }).getByLabel('Your PIN, to confirm').fill('000000');
await page.getByRole('form', { name: 'Roles for Alex Morgan' }).getByRole('button', { name: 'Save roles' }).click();
await page.getByRole('form', { name: 'Roles for Alex Morgan' }).getByRole('alert').waitFor();
await shot('08b-admin-roles-wrong-pin');
await page.getByRole('button', { name: 'Disable Dr. Priya Raman' }).click();
await shot('08c-admin-disable');
await page.getByRole('button', { name: 'Lock / switch user' }).click();
await page.getByRole('button', { name: /Dr. Priya Raman/ }).click();
await page.getByLabel(/PIN for/).fill('000000');
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByText(/Wrong secret/).waitFor();
await shot('09-lock-wrong-pin');
await browser.close();
