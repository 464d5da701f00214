import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetSecret, signIn as unlock } from '../../../src/db/accounts';
import { readLabHistory } from '../../../src/db/audit-repo';
import { lock, requireUnlock } from '../../../src/db/vault';
import { MySecretPage } from '../../../src/features/my-secret/my-secret-page';
import { SecretResetNotice } from '../../../src/features/my-secret/reset-notice';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

const GIVEN = '864209';
const MINE = '975310';

beforeEach(async () => {
  await resetDatabase();
  const tess = (await signIn('Tess Tech', ['technician'])).id;
  await signIn(ADMIN, ['admin']);
  await resetSecret(tess, GIVEN, TEST_PIN);
  await lock();
  await unlock(tess, GIVEN);
});

describe('my secret', () => {
  it('after an admin reset, says who knows it until the person chooses their own', async () => {
    renderApp(<><SecretResetNotice /><MySecretPage /></>);
    const notices = await screen.findAllByText(/Lab Admin reset your (secret|pin)/i);
    expect(notices.length).toBeGreaterThan(0);
    expect(screen.getByRole('link', { name: 'Choose one only you know' })).toHaveAttribute('href', '/my-secret');
  });

  it('refuses a wrong current PIN and two different new ones, with a sentence; saves with the right one', async () => {
    const { user } = renderApp(<><SecretResetNotice /><MySecretPage /></>);
    const form = await screen.findByRole('form', { name: 'Change my PIN' });
    await user.type(within(form).getByLabelText('Current PIN'), GIVEN);
    await user.type(within(form).getByLabelText('New PIN'), MINE);
    await user.type(within(form).getByLabelText('New PIN again'), '975311');
    await user.click(within(form).getByRole('button', { name: 'Save new PIN' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('The two new PINs differ');

    await user.clear(within(form).getByLabelText('Current PIN'));
    await user.type(within(form).getByLabelText('Current PIN'), '000000');
    await user.clear(within(form).getByLabelText('New PIN again'));
    await user.type(within(form).getByLabelText('New PIN again'), MINE);
    await user.click(within(form).getByRole('button', { name: 'Save new PIN' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(/^Wrong secret\./);

    await user.type(within(form).getByLabelText('Current PIN'), GIVEN);
    await user.click(within(form).getByRole('button', { name: 'Save new PIN' }));
    expect(await within(form).findByRole('status')).toHaveTextContent('New PIN saved');
    await waitFor(() => expect(screen.queryByText(/reset your secret/)).not.toBeInTheDocument());
    expect((await readLabHistory()).entries.at(-1)).toMatchObject({ kind: 'secret-changed', signed: true, actorName: 'Tess Tech' });
    const me = requireUnlock().actor.id;
    await lock();
    await expect(unlock(me, GIVEN)).rejects.toThrow(/Wrong secret/);
    await expect(unlock(me, MINE)).resolves.toBeTruthy();
  });
});
