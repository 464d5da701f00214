// The PBKDF2 cost of stored secrets, in the production bundle (issue 11): what the
// app really writes to IndexedDB when a tablet is set up and a person added, and
// that a stored row claiming fewer rounds is refused at sign-in with a sentence.
// The cost is compiled in (vite.config.ts): nothing in the bundle can lower it.
import type { Page } from '@playwright/test';
import { ADMIN, ADMIN_PIN, addPerson, enterPin, lockScreen, lockTablet, setUpTablet, signIn } from './support/app';
import { expect, test } from './support/fixtures';

const PRODUCTION_ITERATIONS = 600_000;
const TECH = { name: 'Kofi Mensah', pin: '418265' };

type StoredUser = { id: string; name: string; kdf: { iterations: number; salt: string; hash: string } };

/** The `users` store of the app's database, read and (optionally) rewritten with IndexedDB itself. */
const readUsers = (page: Page) =>
  page.evaluate(async () => {
    const req = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const db = await req(indexedDB.open('printpath'));
    const rows = await req(db.transaction('users').objectStore('users').getAll());
    db.close();
    return rows as StoredUser[];
  });

const setIterations = (page: Page, userId: string, iterations: number) =>
  page.evaluate(async ({ userId, iterations }) => {
    const req = <T,>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const db = await req(indexedDB.open('printpath'));
    const store = db.transaction('users', 'readwrite').objectStore('users');
    const row = await req(store.get(userId));
    await req(store.put({ ...row, kdf: { ...row.kdf, iterations } }));
    db.close();
  }, { userId, iterations });

test('secrets are stored with 600,000 PBKDF2 rounds, and a row lowered to 1,000 cannot sign in', async ({ page }) => {
  await setUpTablet(page);
  await addPerson(page, TECH.name, ['Lab technician'], TECH.pin);
  await lockTablet(page);

  const users = await readUsers(page);
  expect(users.map((u) => u.name).sort()).toEqual([ADMIN, TECH.name].sort());
  for (const u of users) {
    expect(u.kdf.hash, u.name).toBe('SHA-256');
    expect(u.kdf.iterations, `${u.name}'s secret is stretched with too few PBKDF2 rounds`).toBeGreaterThanOrEqual(PRODUCTION_ITERATIONS);
  }

  // A stored row saying 1,000 rounds (a weakened or forged entry) is refused with a sentence, not accepted.
  const tech = users.find((u) => u.name === TECH.name)!;
  await setIterations(page, tech.id, 1_000);
  await enterPin(page, TECH.name, TECH.pin);
  await expect(lockScreen(page).getByRole('alert')).toHaveText(
    /^These saved secret settings are weaker than this app allows \(1,000 rounds of key stretching; at least 600,000 are required\), so they were refused\./,
  );
  await expect(lockScreen(page)).toBeVisible();
  await expect(page.getByRole('banner').getByText(/ · /)).toHaveCount(0);

  // The others are untouched: the admin still signs in.
  await signIn(page, ADMIN, ADMIN_PIN);
});
