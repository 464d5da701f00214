// The case stages on a tablet at the bench, laid out by a real browser: at 820 px portrait,
// 1180 px landscape and 390 px wide, nothing is cut off (the stepper's labels, a component's
// structure, colour and material while typed, a date in a warning), and the sticky header
// never covers the control that takes focus.
import type { Page } from '@playwright/test';
import { goHome, loadDemoCases, setUpTablet } from './support/app';
import { expect, test } from './support/fixtures';

test.describe.configure({ mode: 'parallel' });

const SIZES = [
  { name: 'portrait tablet', width: 820, height: 1180 },
  { name: 'landscape tablet', width: 1180, height: 820 },
  { name: 'phone', width: 390, height: 844 },
];

async function openFirst(page: Page, status: string) {
  await goHome(page);
  await page.getByRole('combobox', { name: 'Show' }).selectOption(status);
  const row = page.getByRole('list', { name: 'Cases' }).getByRole('link').first();
  await row.click();
  await expect(page.getByRole('navigation', { name: 'Case sections' })).toBeVisible();
}

const section = (page: Page, name: RegExp) => page.getByRole('navigation', { name: 'Case sections' }).getByRole('button', { name });

/** Controls whose text does not fit their box (the browser would cut it or scroll it inside). */
const overflowing = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => (el as HTMLInputElement).value || el.textContent));

/** Focuses every control on the page, coming from below as Shift+Tab would; returns those left under the sticky header. */
const coveredWhenFocused = (page: Page) =>
  page.evaluate(() => {
    const header = document.querySelector('.app-header')!;
    const covered: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('main input, main select, main textarea, main button')) {
      if ((el as HTMLButtonElement).disabled || el.offsetParent === null) continue;
      window.scrollTo(0, document.documentElement.scrollHeight);
      el.focus();
      if (el.getBoundingClientRect().top < header.getBoundingClientRect().bottom - 1) covered.push(el.getAttribute('aria-label') ?? el.id);
    }
    return covered;
  });

for (const size of SIZES) {
  test(`${size.name} (${size.width}×${size.height}): stepper, component rows and date warnings fit; focus is never under the header`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: size.width, height: size.height });
    await setUpTablet(page);
    await loadDemoCases(page);

    await openFirst(page, 'segmenting');
    // Every tab's label on its box, none cut: "2. Segmenting" is as wide as it needs.
    await expect(section(page, /^2\. Segmenting/)).toBeVisible();
    expect(await overflowing(page, '.stepper .step > span')).toEqual([]);
    for (const step of await page.locator('.stepper .step').all()) expect(await step.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

    const models = page.getByRole('region', { name: 'Models and guides' });
    const structure = models.getByLabel('Structure').first();
    await structure.fill('Right hemipelvis with acetabulum');
    await models.getByLabel('Colour').first().fill('Bone white (opaque)');
    await models.getByLabel('Material').first().fill('VeroUltraClear');
    // What is typed is readable in full while typing, on a tablet either way up (a phone scrolls a long name inside its box).
    if (size.width >= 800) expect(await overflowing(page, '.component-row input')).toEqual([]);
    expect(await coveredWhenFocused(page)).toEqual([]);

    await openFirst(page, 'delivery');
    await section(page, /^4\. Delivery/).click();
    const at = page.getByRole('form', { name: 'Delivery record' }).getByLabel('Delivered at');
    await at.fill('2020-01-05T10:30');
    const warning = page.locator('.field-warning');
    await expect(warning).toContainText(/^Delivered at 2020-01-05 10:30 is before the case was opened \(\d{4}-\d{2}-\d{2}\)\.$/);
    // No date is broken over two lines: each sits on one line box.
    for (const date of await warning.locator('.nowrap').all()) {
      const lines = await date.evaluate((el) => el.getClientRects().length);
      expect(lines).toBe(1);
    }
    expect(await coveredWhenFocused(page)).toEqual([]);
  });
}
