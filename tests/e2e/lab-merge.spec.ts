// A lab that started on two separate tablets: the first connects the lab server; the
// second, with people and cases of its own, joins that lab through its Lab server page.
// An admin on the first compares the codes and approves; both tablets then hold both
// tablets' cases, and each person's own PIN works on either. Real browsers, the real server.
import { ADMIN, ADMIN_PIN, addPerson, createCase, goHome, setUpLab, setUpTablet, signIn } from './support/app';
import { expect, test } from './support/fixtures';
import { startLabServer, type RunningServer } from './support/lab-server';

const PORT = 4392;
const BASE = `http://127.0.0.1:${PORT}`;
const TECH = { name: 'Tove Technician', roles: ['Lab technician' as const], pin: '581302' };
const SECOND_ADMIN = { name: 'Bengt Bench', pin: '640275' };
const SECOND_RAD = { name: 'Dr. Orla Other', roles: ['Radiologist' as const], pin: '602714' };

let server: RunningServer;
test.use({ baseURL: BASE });
test.beforeAll(async () => {
  server = await startLabServer(PORT);
});
test.afterAll(() => server?.stop());

test('a second tablet with its own cases joins the lab and both tablets hold both', async ({ page: first, browser }) => {
  test.setTimeout(240_000);
  await setUpLab(first, [TECH]);
  await createCase(first, { patientName: 'Alma Firsttablet', mrn: 'MERGE-1001' });
  await first.getByRole('link', { name: 'Lab server' }).click();
  await first.getByLabel('Set-up code').fill(server.setupCode);
  await first.getByLabel('Name of this device').fill('Bench tablet 1');
  await first.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await first.getByRole('button', { name: 'Connect' }).click();
  await first.getByRole('region', { name: 'The lab’s recovery key' }).getByRole('button', { name: 'I have written it down' }).click();

  // The second tablet was set up on its own: its own admin, radiologist and case.
  const secondContext = await browser.newContext({ baseURL: BASE, viewport: { width: 1180, height: 820 } });
  const second = await secondContext.newPage();
  await setUpTablet(second, { name: SECOND_ADMIN.name, pin: SECOND_ADMIN.pin, alsoTechnician: true });
  await addPerson(second, SECOND_RAD.name, SECOND_RAD.roles, SECOND_RAD.pin, SECOND_ADMIN.pin);
  await createCase(second, { patientName: 'Bruno Secondtablet', mrn: 'MERGE-2002' });
  await second.getByRole('link', { name: 'Lab server' }).click();
  await second.getByRole('button', { name: 'Join the lab with this tablet’s records' }).click();
  const merge = second.getByRole('form', { name: 'Join the lab with this tablet’s records' });
  await merge.getByRole('button', { name: 'Ask to join with this tablet’s records' }).click();
  await expect(merge.getByRole('alert')).toHaveText('Name this device, e.g. “Reading room workstation”.');
  await merge.getByLabel('Name of this device').fill('Bench tablet 2');
  await merge.getByRole('button', { name: 'Ask to join with this tablet’s records' }).click();
  const code = (await second.getByLabel('Code', { exact: true }).textContent())!;
  const keyCode = (await second.getByLabel('Key code', { exact: true }).textContent())!;
  await second.screenshot({ path: 'test-results/lab-merge-asking.png' });

  // The admin on the first tablet sees what it brings under the same codes, and approves.
  const waiting = first.getByRole('listitem', { name: 'Bench tablet 2' });
  await expect(waiting.getByLabel('Code', { exact: true })).toHaveText(code);
  await expect(waiting.getByLabel('Key code', { exact: true })).toHaveText(keyCode);
  await expect(waiting).toContainText('This tablet brings records of its own: 2 people and 1 case.');
  await first.screenshot({ path: 'test-results/lab-merge-approve.png' });
  await waiting.getByLabel('Your PIN, to confirm').fill(ADMIN_PIN);
  await waiting.getByRole('button', { name: 'Approve' }).click();

  await expect(second.getByRole('status').filter({ hasText: 'This tablet joined the lab' })).toHaveText('This tablet joined the lab: 2 people and 1 case merged with the lab’s.', { timeout: 60_000 });
  await second.evaluate(() => window.scrollTo(0, 0));
  await second.screenshot({ path: 'test-results/lab-merge-joined.png' });

  // Both tablets list both cases.
  await goHome(second);
  await expect(second.getByRole('main')).toContainText('Alma Firsttablet', { timeout: 20_000 });
  await expect(second.getByRole('main')).toContainText('Bruno Secondtablet');
  await goHome(first);
  await expect(first.getByRole('main')).toContainText('Bruno Secondtablet', { timeout: 20_000 });
  await expect(first.getByRole('main')).toContainText('Alma Firsttablet');

  // The second tablet's radiologist signs in on the first tablet with their own PIN; the first tablet's admin on the second.
  await first.reload();
  await signIn(first, SECOND_RAD.name, SECOND_RAD.pin);
  await expect(first.getByRole('main')).toContainText('Bruno Secondtablet', { timeout: 20_000 });
  await expect(first.getByRole('main')).toContainText('Alma Firsttablet');
  await second.reload();
  await signIn(second, ADMIN, ADMIN_PIN);
  await expect(second.getByRole('main')).toContainText('Alma Firsttablet', { timeout: 20_000 });
  await expect(second.getByRole('main')).toContainText('Bruno Secondtablet');
  await secondContext.close();
});
