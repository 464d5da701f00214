import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { addUser, signIn as unlock } from '../../../src/db/accounts';
import { readLabHistory } from '../../../src/db/audit-repo';
import { db } from '../../../src/db/database';
import { getSecurityPolicy } from '../../../src/db/settings-repo';
import { labRoot, listUsers } from '../../../src/db/user-repo';
import { lock } from '../../../src/db/vault';
import { shortFingerprint } from '../../../src/crypto/signing-keys';
import { AdminPage } from '../../../src/features/admin/admin-page';
import { ADMIN, TEST_PIN, renderApp, resetDatabase, signIn } from '../../support/render-app';

const WRONG = '000000';
const TECH = 'Kofi Mensah';

const openPage = () => renderApp(<AdminPage />, { route: '/admin' });
const people = () => screen.getByRole('region', { name: 'People on this tablet' });
const row = (name: string) => within(people()).getAllByRole('listitem').find((li) => [name, `${name} (demo)`].includes(li.querySelector('strong')?.textContent ?? ''))!;
const usersNamed = async (name: string) => (await db.users.toArray()).filter((u) => u.name === name);

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
});

describe('people & security', () => {
  it('shows the lab root key: its short form and the full fingerprint, with what to compare it with', async () => {
    const root = (await labRoot())!;
    expect(root).toMatch(/^[0-9a-f]{64}$/);
    openPage();
    const card = await screen.findByRole('region', { name: 'Lab root key' });
    await within(card).findByText(`${shortFingerprint(root)} …`);
    expect(card).toHaveTextContent(`Lab root key: ${shortFingerprint(root)} …`);
    expect(within(card).getByText(root)).toBeInTheDocument();
    expect(card).toHaveTextContent('Write this down and compare it with the one printed on every case PDF: a lab log rebuilt from another root shows a different key.');
  });

  it('adds a person only with the admin’s own PIN: a wrong one says so, clears the box and adds nobody', async () => {
    const { user } = openPage();
    const form = await screen.findByRole('form', { name: 'Add a person' });
    await user.type(within(form).getByLabelText('Name as printed on signatures'), TECH);
    await user.click(within(form).getByRole('checkbox', { name: 'Lab technician' }));
    await user.type(within(form).getByLabelText('Their PIN'), '418265');
    const confirm = within(form).getByLabelText('Your PIN, to confirm');
    await user.type(confirm, WRONG);
    await user.click(within(form).getByRole('button', { name: 'Add person' }));

    expect(await within(form).findByRole('alert')).toHaveTextContent('Wrong secret. 4 more wrong tries and the account locks for 5 minutes.');
    expect(confirm).toHaveValue('');
    expect(confirm).toHaveAttribute('aria-invalid', 'true');
    expect(await usersNamed(TECH)).toHaveLength(0);
    expect(within(people()).queryByText(TECH)).not.toBeInTheDocument();

    await user.type(confirm, TEST_PIN);
    await user.click(within(form).getByRole('button', { name: 'Add person' }));
    expect(await within(form).findByRole('status')).toHaveTextContent(`${TECH} added`);
    expect(confirm).toHaveValue('');
    expect(await within(people()).findByText(TECH)).toBeInTheDocument();
    expect(await usersNamed(TECH)).toHaveLength(1);
    // The addition is on the lab log, signed by the admin.
    const added = (await readLabHistory()).entries.find((e) => e.kind === 'user-added');
    expect(added).toMatchObject({ actorName: ADMIN, signed: true });
  });

  it('changes another person’s roles, signed by the admin; a wrong PIN changes nothing', async () => {
    const tech = await addUser({ name: TECH, roles: ['technician'], secret: '418265' }, TEST_PIN);
    const { user } = openPage();
    await waitFor(() => expect(row(TECH)).toBeDefined());
    await user.click(within(row(TECH)).getByRole('button', { name: `Change roles for ${TECH}` }));
    const form = within(row(TECH)).getByRole('form', { name: `Roles for ${TECH}` });
    expect(within(form).getByRole('checkbox', { name: 'Lab technician' })).toBeChecked();
    await user.click(within(form).getByRole('checkbox', { name: 'Radiologist' }));

    await user.type(within(form).getByLabelText('Your PIN, to confirm'), WRONG);
    await user.click(within(form).getByRole('button', { name: 'Save roles' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(/^Wrong secret\. 4 more wrong tries/);
    expect((await db.users.get(tech.id))!.roles).toEqual(['technician']);

    await user.type(within(form).getByLabelText('Your PIN, to confirm'), TEST_PIN);
    await user.click(within(form).getByRole('button', { name: 'Save roles' }));
    expect(await within(people()).findByRole('status')).toHaveTextContent(`Roles saved for ${TECH}`);
    expect(row(TECH)).toHaveTextContent(`${TECH} — Lab technician, Radiologist`);
    expect((await listUsers()).find((u) => u.id === tech.id)).toMatchObject({ roles: ['technician', 'radiologist'], problem: null });
    expect((await readLabHistory()).entries.at(-1)).toMatchObject({ kind: 'roles-changed', actorName: ADMIN, signed: true });
  });

  it('refuses an admin granting a role to themselves, with the reason', async () => {
    const { user } = openPage();
    await waitFor(() => expect(row(ADMIN)).toBeDefined());
    await user.click(within(row(ADMIN)).getByRole('button', { name: `Change roles for ${ADMIN}` }));
    const form = within(row(ADMIN)).getByRole('form', { name: `Roles for ${ADMIN}` });
    await user.click(within(form).getByRole('checkbox', { name: 'Lab technician' }));
    await user.type(within(form).getByLabelText('Your PIN, to confirm'), TEST_PIN);
    await user.click(within(form).getByRole('button', { name: 'Save roles' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('You cannot grant a role to yourself: another lab admin must');
    expect(within(form).getByLabelText('Your PIN, to confirm')).toHaveValue('');
    // Refused for what it asks, not for the PIN.
    expect(within(form).getByLabelText('Your PIN, to confirm')).not.toHaveAttribute('aria-invalid', 'true');
    expect((await db.users.where('name').equals(ADMIN).first())!.roles).toEqual(['admin']);
    expect(row(ADMIN)).toHaveTextContent(`${ADMIN} — Lab admin`);
  });

  it('disables a person through a confirm form, not one tap', async () => {
    const tech = await addUser({ name: TECH, roles: ['technician'], secret: '418265' }, TEST_PIN);
    const { user } = openPage();
    await waitFor(() => expect(row(TECH)).toBeDefined());
    await user.click(within(row(TECH)).getByRole('button', { name: `Disable ${TECH}` }));
    expect((await db.users.get(tech.id))!.active).toBe(true);
    const form = within(row(TECH)).getByRole('form', { name: `Disable ${TECH}` });
    expect(form).toHaveTextContent(`${TECH} will no longer be able to sign in.`);
    await user.click(within(form).getByRole('button', { name: `Disable ${TECH}` }));
    // Nothing typed: the API asks for the secret, and counts no wrong try.
    expect(await within(form).findByRole('alert')).toHaveTextContent('Type your own secret to confirm this change');
    expect((await db.users.where('name').equals(ADMIN).first())!.failedAttempts).toBe(0);

    await user.type(within(form).getByLabelText('Your PIN, to confirm'), TEST_PIN);
    await user.click(within(form).getByRole('button', { name: `Disable ${TECH}` }));
    expect(await within(people()).findByRole('status')).toHaveTextContent(`${TECH} disabled`);
    await waitFor(() => expect(within(row(TECH)).getByText('Disabled')).toBeInTheDocument());
    expect((await db.users.get(tech.id))!.active).toBe(false);
    expect(within(row(TECH)).getByRole('button', { name: `Enable ${TECH}` })).toBeInTheDocument();
  });

  it('marks a person whose stored entry was edited outside Printpath: “Does not verify”, with the reason', async () => {
    const tech = await addUser({ name: TECH, roles: ['technician'], secret: '418265' }, TEST_PIN);
    await addUser({ name: 'Dr. Ines Carvalho', roles: ['radiologist'], secret: '907134' }, TEST_PIN, new Date().toISOString(), { demo: true });
    // Someone with the browser's dev tools makes the technician an admin.
    await db.users.update(tech.id, { roles: ['technician', 'admin'] });
    openPage();
    await waitFor(() => expect(within(row(TECH)).getByText('Does not verify')).toBeInTheDocument());
    expect(row(TECH)).toHaveTextContent('Not trusted, and cannot sign in: its roles differ from the lab’s signed log.');
    // The list shows the roles the signed log gives, not the edited ones.
    expect(row(TECH)).toHaveTextContent(`${TECH} — Lab technician`);
    expect(within(row(ADMIN)).queryByText('Does not verify')).not.toBeInTheDocument();
    expect(within(row('Dr. Ines Carvalho')).queryByText('Does not verify')).not.toBeInTheDocument();
    expect(within(row('Dr. Ines Carvalho')).getByText('Demo')).toBeInTheDocument();
    expect(within(row(TECH)).queryByText('Demo')).not.toBeInTheDocument();
  });

  it('saves the policy only with the admin’s PIN', async () => {
    const { user } = openPage();
    const policy = await screen.findByRole('region', { name: 'Secrets and automatic lock' });
    await user.clear(within(policy).getByLabelText('Lock after this many idle minutes'));
    await user.type(within(policy).getByLabelText('Lock after this many idle minutes'), '3');
    await user.type(within(policy).getByLabelText('Your PIN, to confirm'), WRONG);
    await user.click(within(policy).getByRole('button', { name: 'Save policy' }));
    expect(await within(policy).findByRole('alert')).toHaveTextContent(/^Wrong secret/);
    expect((await getSecurityPolicy()).idleMinutes).toBe(5);

    await user.type(within(policy).getByLabelText('Your PIN, to confirm'), TEST_PIN);
    await user.click(within(policy).getByRole('button', { name: 'Save policy' }));
    // Saving remounts the form with the new policy: look the region up again.
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'Secrets and automatic lock' })).getByRole('status')).toHaveTextContent('Saved'));
    expect((await getSecurityPolicy()).idleMinutes).toBe(3);
    expect((await readLabHistory()).entries.at(-1)).toMatchObject({ kind: 'policy-changed', signed: true });
  });

  it('says the lab log verified, and marks failed sign-ins as not signed', async () => {
    const tech = await addUser({ name: TECH, roles: ['technician'], secret: '418265' }, TEST_PIN);
    await lock();
    await expect(unlock(tech.id, WRONG)).rejects.toThrow(/Wrong secret/);
    await signIn(ADMIN, ['admin']);
    const entries = (await readLabHistory()).entries.length;
    openPage();
    const trail = await screen.findByRole('region', { name: 'Lab audit trail' });
    expect(await within(trail).findByRole('status')).toHaveTextContent(`Lab log verified: ${entries} entries, every signature checked.`);
    const failed = within(trail).getByText(`Wrong secret for ${TECH} (sign-in, 1 in a row)`).closest('li')!;
    expect(failed).toHaveTextContent('not signed (a wrong secret opens no key)');
    const added = within(trail).getByText(/^Kofi Mensah added/).closest('li')!;
    expect(added).not.toHaveTextContent('not signed');
  });
});
