// Walks the built app in Debian's chromium at a tablet viewport and saves a PNG
// per screen, to look at before calling a screen done. Usage:
//   npx vite preview &  node scripts/screenshots.mjs [outDir] [width] [height]
import { chromium } from '@playwright/test';

const out = process.argv[2] ?? 'test-results/screens';
const width = Number(process.argv[3] ?? 820), height = Number(process.argv[4] ?? 1180);
const base = process.env.BASE_URL ?? 'http://127.0.0.1:4173';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage({ viewport: { width, height } });
const shot = (name) => page.screenshot({ path: `${out}/${name}-${width}x${height}.png`, fullPage: true });

await page.goto(base);
await page.getByRole('heading', { name: /No cases on this tablet/ }).waitFor();
await shot('01-empty');
await page.getByRole('button', { name: /Load 12 demo cases/ }).click();
await page.getByRole('heading', { name: 'Cases' }).waitFor();
await page.getByRole('button', { name: /Who is using this tablet/ }).click();
await page.getByRole('dialog').waitFor();
await shot('02-user-picker');
await page.getByRole('button', { name: /Alex Morgan/ }).click();
await shot('03-case-list');
await page.getByRole('link', { name: 'New case' }).click();
await page.getByRole('button', { name: /Open case|Create case|Save/ }).first().click();
await shot('04-new-case-errors');
await page.goto(base);
await page.getByRole('combobox', { name: 'Show' }).selectOption('segmenting');
await page.locator('.case-row').first().click();
await page.getByRole('heading', { level: 2 }).first().waitFor();
await shot('05-case-segmenting');
await page.getByRole('button', { name: /Codes & PDF/ }).click();
await shot('06-codes');
await page.getByRole('button', { name: /History/ }).click();
await shot('07-history');
await page.getByRole('button', { name: /^Order/ }).click();
await shot('08-order');
await browser.close();
