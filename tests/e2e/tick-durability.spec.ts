// Nothing shown as saved is lost (issue 11): a checklist tick flips at once but
// says "Ticked by …" / "Unticked by …" only once its transaction has committed,
// so a reload at that very moment keeps it. The page reloads itself from inside
// the DOM change that shows the text (before that frame is even painted), many
// times over, alternating ticks and unticks; after each reload the person signs
// in again and finds the box and its text as they were shown.
import type { Page } from '@playwright/test';
import { createCase, lockScreen, openSection, setUpLab, signIn, type Person } from './support/app';
import { expect, test } from './support/fixtures';

const TECH: Person = { name: 'Kofi Mensah', roles: ['Lab technician'], pin: '418265' };
const ITEM = 'Study retrieved from PACS';
const ROUNDS = 16;

const checkbox = (page: Page) => page.getByRole('group', { name: 'Checklist' }).getByRole('checkbox', { name: new RegExp(`^${ITEM}`) });

/** Reloads the page in the same task as the DOM change that makes the item say `said` with its box `checked`. */
async function reloadWhenShown(page: Page, said: string, checked: boolean) {
  await page.evaluate(
    ({ item, said, checked }) => {
      const shown = () =>
        [...document.querySelectorAll('label')].some((label) => {
          const box = label.querySelector<HTMLInputElement>('input[type="checkbox"]');
          return !!box && box.checked === checked && (label.textContent ?? '').startsWith(`${item}${said}`);
        });
      const watcher = new MutationObserver(() => {
        if (!shown()) return;
        watcher.disconnect();
        location.reload();
      });
      watcher.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    { item: ITEM, said, checked },
  );
}

test('a tick or untick shown with who did it survives a reload at that moment, every time', async ({ page }) => {
  // Sixteen reloads, each followed by a sign-in (its key stretching is slow on purpose): 32–36 s alone on a
  // 2-core machine, about 60 s beside another test (measured 2026-12-07, before and after that day's changes).
  test.setTimeout(120_000);
  await setUpLab(page, [TECH], TECH);
  await createCase(page, { patientName: 'Mateus Ferreira', mrn: 'DUR-1616' });
  await openSection(page, 'Imaging');
  await expect(checkbox(page)).not.toBeChecked();

  for (let round = 1; round <= ROUNDS; round++) {
    const tick = round % 2 === 1;
    const said = `${tick ? 'Ticked' : 'Unticked'} by ${TECH.name}, `;
    const box = checkbox(page);
    await expect(box).toBeEnabled();
    await reloadWhenShown(page, said, tick);
    await box.click();

    // The reload locks the tablet (the keys live in memory only).
    await expect(lockScreen(page), `round ${round}: the page reloaded once "${said}" showed`).toBeVisible();
    await signIn(page, TECH.name, TECH.pin);
    await expect(page.getByRole('heading', { level: 1, name: 'Mateus Ferreira' })).toBeVisible();
    await openSection(page, 'Imaging');
    const after = checkbox(page);
    await expect(after, `round ${round}: the ${tick ? 'tick' : 'untick'} survived the reload`).toBeChecked({ checked: tick });
    await expect(after).toHaveAccessibleName(new RegExp(`^${ITEM} ${said}`));
  }
});
