// Two tabs on the same case: a change in one shows in the other within a second
// (Dexie broadcasts every change to the other tabs; each tab has its own sign-in).
import { createCase, openSection, saveStage, setUpLab, signIn } from './support/app';
import { expect, test } from './support/fixtures';

const TOM = { name: 'Tomás Twotabs', roles: ['Lab technician' as const], pin: '640213' };

test('a change in one tab shows in the other within a second', async ({ page, context }) => {
  await setUpLab(page, [TOM], TOM);
  const { url } = await createCase(page, { patientName: 'Ada Twotabs', mrn: 'TT-4411' });
  await openSection(page, 'Imaging');

  const other = await context.newPage();
  await other.goto(url);
  await signIn(other, TOM.name, TOM.pin);
  await openSection(other, 'Imaging');
  const retrievedThere = other.getByRole('checkbox', { name: 'Study retrieved from PACS' });
  await expect(retrievedThere).not.toBeChecked();

  const retrievedHere = page.getByRole('checkbox', { name: 'Study retrieved from PACS' });
  await retrievedHere.click(); // controlled: it shows ticked once the tick is stored
  await expect(retrievedHere).toBeChecked();
  await expect(retrievedThere).toBeChecked({ timeout: 1_000 });

  await saveStage(page, 'Imaging', { 'Accession number': 'ACC-TWO-1' });
  await expect(other.getByLabel('Accession number')).toHaveValue('ACC-TWO-1', { timeout: 1_000 });
});
