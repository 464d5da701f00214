// Data lives in the browser profile: closing the browser entirely and starting it
// again with the same profile keeps the cases. Who was signed in does not survive
// (the keys live in memory only): the new browser opens on the lock screen, and the
// same cases come back once the technician signs in.
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { DEMO_PIN, DEMO_TECH, expectSignedIn, loadDemoCases, lockScreen, setUpTablet, signIn, switchUser } from './support/app';
import { expect, test } from './support/fixtures';

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
    await setUpTablet(page);
    await loadDemoCases(page);
    await switchUser(page, DEMO_TECH, DEMO_PIN);
    await expect(listedCases(page).first()).toBeVisible();
    const before = await listedCases(page).allInnerTexts();
    expect(before.length).toBeGreaterThan(0);
    await context.close();
    context = null;

    // A new browser process on the same profile directory: locked, no patient on screen.
    context = await launch(profile, baseURL!);
    page = await firstPage(context);
    await page.goto('/');
    await expect(lockScreen(page)).toBeVisible();
    await expect(listedCases(page)).toHaveCount(0);
    await signIn(page, DEMO_TECH, DEMO_PIN);
    await expect(page.getByRole('heading', { level: 1, name: 'Cases', exact: true })).toBeVisible();
    await expect(listedCases(page)).toHaveCount(before.length);
    expect(await listedCases(page).allInnerTexts()).toEqual(before);
    await expectSignedIn(page, DEMO_TECH);
  } finally {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  }
});
