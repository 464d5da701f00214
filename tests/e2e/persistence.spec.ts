// Data lives in the browser profile: closing the browser entirely and starting it
// again with the same profile keeps the cases (and who was using the tablet).
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { switchUser, userButton } from './support/app';

const launch = (dir: string, baseURL: string) =>
  chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 820, height: 1180 },
    baseURL,
    serviceWorkers: 'allow',
  });

const firstPage = async (context: BrowserContext): Promise<Page> => context.pages()[0] ?? (await context.newPage());

const listedCases = (page: Page) => page.getByRole('list', { name: 'Cases' }).getByRole('link');

test('cases survive closing and reopening the browser', async ({ baseURL }) => {
  const profile = await mkdtemp(join(tmpdir(), 'printpath-profile-'));
  let context: BrowserContext | null = null;
  try {
    context = await launch(profile, baseURL!);
    let page = await firstPage(context);
    await page.goto('/');
    await page.getByRole('button', { name: 'Load 12 demo cases' }).click();
    await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
    await switchUser(page, 'Alex Morgan');
    await expect(listedCases(page).first()).toBeVisible();
    const before = await listedCases(page).allInnerTexts();
    expect(before.length).toBeGreaterThan(0);
    await context.close();
    context = null;

    // A new browser process on the same profile directory.
    context = await launch(profile, baseURL!);
    page = await firstPage(context);
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Cases' })).toBeVisible();
    await expect(listedCases(page)).toHaveCount(before.length);
    expect(await listedCases(page).allInnerTexts()).toEqual(before);
    await expect(userButton(page)).toContainText('Alex Morgan');
  } finally {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  }
});
