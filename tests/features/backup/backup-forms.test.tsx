// The backup forms as an admin uses them: the export asks for their own PIN to sign
// the file; the restore shows who signed it and the lab's root key, asks on a wiped
// tablet for an admin in the file and their PIN, and says in one sentence why a file
// is refused, leaving the tablet as it was.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, expect, test } from 'vitest';
import { exportBackup } from '../../../src/db/backup';
import { db } from '../../../src/db/database';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { readLabTrust } from '../../../src/db/lab-log-repo';
import { shortFingerprint } from '../../../src/crypto/signing-keys';
import { ExportBackup } from '../../../src/features/backup/export-backup';
import { RestoreBackup } from '../../../src/features/backup/restore-backup';
import { forge, type FileJson } from '../../support/backup-files';
import { dumpDatabase } from '../../support/db-dump';
import { captureDownloads } from '../../support/downloads';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await loadDemoCases(3, TEST_PIN, new Date('2026-11-20T10:00:00Z'), 5);
});

const backupText = async () => (await exportBackup(null, TEST_PIN)).blob.text();
const fileOf = (text: string) => new File([text], 'printpath-backup.json', { type: 'application/json' });

test('the export is signed with the admin’s own PIN: a wrong one is refused and nothing is downloaded', async () => {
  const files = captureDownloads();
  const { user } = renderApp(<ExportBackup />);
  const form = screen.getByRole('form', { name: 'Make a backup' });
  await user.click(within(form).getByRole('button', { name: 'Download backup' }));
  expect(await within(form).findByRole('alert')).toHaveTextContent('Type your own PIN or passphrase to sign this backup');
  await user.type(await within(form).findByLabelText('Your PIN, to sign this backup'), '000000');
  await user.click(within(form).getByRole('button', { name: 'Download backup' }));
  expect(await within(form).findByRole('alert')).toHaveTextContent(/^Wrong secret\./);
  expect(files).toHaveLength(0);
  expect(within(form).getByLabelText('Your PIN, to sign this backup')).toHaveValue('');

  await user.type(within(form).getByLabelText('Your PIN, to sign this backup'), TEST_PIN);
  await user.click(within(form).getByRole('button', { name: 'Download backup' }));
  expect(await within(form).findByRole('status')).toHaveTextContent('Backup saved: 3 cases');
  expect(files).toHaveLength(1);
  const saved = JSON.parse(await files[0]!.blob.text()) as FileJson;
  expect(saved.signature.signerId).toBe((await db.users.where('name').equals(ADMIN).first())!.id);
});

test('an admin who leaves the page while the backup is being made still gets the file (the page stays free meanwhile)', async () => {
  const files = captureDownloads();
  const { user, unmount } = renderApp(<ExportBackup />);
  const form = screen.getByRole('form', { name: 'Make a backup' });
  await user.type(await within(form).findByLabelText('Your PIN, to sign this backup'), TEST_PIN);
  await user.click(within(form).getByRole('button', { name: 'Download backup' }));
  expect(within(form).getByRole('button', { name: 'Making backup…' })).toBeDisabled();
  unmount();
  await waitFor(() => expect(files).toHaveLength(1), { timeout: 10_000 });
  expect((JSON.parse(await files[0]!.blob.text()) as FileJson).counts.cases).toBe(3);
});

test('model files are left out unless the admin ticks them in, and the saved message and the file say which', async () => {
  const files = captureDownloads();
  const { user } = renderApp(<ExportBackup />);
  const form = screen.getByRole('form', { name: 'Make a backup' });
  const include = within(form).getByRole('checkbox', { name: /Include model files/ });
  expect(include).not.toBeChecked();
  await user.type(await within(form).findByLabelText('Your PIN, to sign this backup'), TEST_PIN);
  await user.click(within(form).getByRole('button', { name: 'Download backup' }));
  expect(await within(form).findByRole('status')).toHaveTextContent('Backup saved: 3 cases, model files left out');
  await user.click(include);
  await user.type(within(form).getByLabelText('Your PIN, to sign this backup'), TEST_PIN);
  await user.click(within(form).getByRole('button', { name: 'Download backup' }));
  expect(await within(form).findByText(/Backup saved: 3 cases, model files included/)).toBeInTheDocument();
  const [first, second] = await Promise.all(files.map(async (f) => (JSON.parse(await f.blob.text()) as FileJson).modelFiles));
  expect([first, second]).toEqual(['left-out', 'included']);
});

test('on a wiped tablet: the preview shows the signer and the lab root; a wrong PIN changes nothing; the right one restores', async () => {
  const text = await backupText();
  const root = (await readLabTrust()).state.root!;
  await resetDatabase();
  const { user } = renderApp(<RestoreBackup />);
  const region = screen.getByRole('region', { name: 'Restore a backup' });
  await user.upload(within(region).getByLabelText('Backup file'), fileOf(text));
  await user.click(within(region).getByRole('button', { name: 'Check the file' }));
  const preview = await screen.findByRole('region', { name: 'What the restore would do' });
  expect(preview).toHaveTextContent('3 new');
  expect(preview).toHaveTextContent(`Lab root key${shortFingerprint(root)}`);
  expect(preview).toHaveTextContent(`Signed by${ADMIN} (sign-off key`);
  expect(within(preview).getByLabelText('Lab admin restoring it')).toHaveDisplayValue(ADMIN);
  const restore = within(preview).getByRole('button', { name: 'Restore' });
  expect(restore).toBeDisabled();

  await user.type(within(preview).getByLabelText('Their PIN or passphrase'), '999999');
  await user.click(restore);
  expect(await within(preview).findByRole('alert')).toHaveTextContent('Wrong secret for Lab Admin in this backup. Nothing was restored.');
  expect(await db.users.count()).toBe(0);

  await user.type(within(preview).getByLabelText('Their PIN or passphrase'), TEST_PIN);
  await user.click(restore);
  expect(await screen.findByText('Restored: 3 new cases added.')).toBeVisible();
  expect(await db.cases.count()).toBe(3);
});

test('on a tablet in use: a file an admin edited and signed again is refused with one sentence naming the case', async () => {
  const f = JSON.parse(await backupText()) as FileJson;
  const [a, b] = f.tables.cases;
  [a!.sealed, b!.sealed] = [b!.sealed, a!.sealed];
  const forged = await forge(f, (await db.users.where('name').equals(ADMIN).first())!);
  const before = await dumpDatabase();
  const { user } = renderApp(<RestoreBackup />);
  const region = screen.getByRole('region', { name: 'Restore a backup' });
  await user.upload(within(region).getByLabelText('Backup file'), fileOf(forged));
  await user.click(within(region).getByRole('button', { name: 'Check the file' }));
  const preview = await screen.findByRole('region', { name: 'What the restore would do' });
  expect(within(preview).queryByLabelText('Their PIN or passphrase')).toBeNull(); // the signed-in admin's key opens it
  await user.click(within(preview).getByRole('button', { name: 'Take the backup’s for all' }));
  await user.click(within(preview).getByRole('button', { name: 'Restore' }));
  expect(await within(preview).findByRole('alert')).toHaveTextContent(new RegExp(`^Case (${a!.caseNumber}|${b!.caseNumber}) in the backup does not open with the lab’s data key: the file was altered\\. Nothing was restored\\.$`));
  expect(await dumpDatabase()).toBe(before);
});

test('a file edited by hand with its checksum recomputed is refused when checked', async () => {
  const f = JSON.parse(await backupText()) as FileJson;
  f.exportedBy = 'Someone Else';
  const { user } = renderApp(<RestoreBackup />);
  const region = screen.getByRole('region', { name: 'Restore a backup' });
  await user.upload(within(region).getByLabelText('Backup file'), fileOf(JSON.stringify(f)));
  await user.click(within(region).getByRole('button', { name: 'Check the file' }));
  expect(await within(region).findByRole('alert')).toHaveTextContent('The backup’s signature does not verify: the file was edited after Lab Admin made it. Nothing was restored. Nothing on this tablet was changed.');
});
