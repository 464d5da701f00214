// The whole app as index.html starts it: the lock screen first (without the router or the case
// list, which load once the people show), then the case list after sign-in, at the route that
// waited in the URL, and the lock screen again after locking.
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { lock } from '../../../src/db/vault';
import { App } from '../../../src/app/app';
import { ADMIN, TEST_PIN, resetDatabase, signIn } from '../../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await lock();
  window.history.replaceState(null, '', '/');
});

const lockScreen = () => screen.findByRole('region', { name: 'Printpath is locked' });
// The signed-in app is a dynamic import: in a test process Vite transforms its modules on demand,
// which takes seconds on a busy machine the first time (the browser fetches built chunks instead).
const LOADING = { timeout: 20_000 };

describe('app: locked, then signed in', () => {
  it('shows the lock screen, then after sign-in the case list; locking shows the lock screen again', async () => {
    const user = userEvent.setup();
    render(<App />);
    const locked = await lockScreen();
    await user.click(await within(locked).findByRole('button', { name: new RegExp(`^${ADMIN}`) }));
    await user.type(within(locked).getByLabelText(`PIN for ${ADMIN}`), TEST_PIN);
    await user.click(within(locked).getByRole('button', { name: 'Sign in' }));

    // The case list of a tablet without cases yet.
    expect(await screen.findByRole('heading', { level: 1, name: 'No cases on this tablet yet' }, LOADING)).toBeInTheDocument();
    const header = screen.getByRole('banner');
    expect(within(header).getByRole('link', { name: 'Printpath' })).toHaveAttribute('href', '/');
    expect(screen.queryByRole('region', { name: 'Printpath is locked' })).not.toBeInTheDocument();

    await user.click(within(header).getByRole('button', { name: 'Lock / switch user' }));
    expect(await lockScreen()).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'No cases on this tablet yet' })).not.toBeInTheDocument();
    expect(within(screen.getByRole('banner')).queryByRole('link', { name: 'Printpath' })).not.toBeInTheDocument();
  });

  it('opens the page that waited in the URL while the tablet was locked', async () => {
    window.history.replaceState(null, '', '/my-secret');
    const user = userEvent.setup();
    render(<App />);
    const locked = await lockScreen();
    await user.click(await within(locked).findByRole('button', { name: new RegExp(`^${ADMIN}`) }));
    await user.type(within(locked).getByLabelText(`PIN for ${ADMIN}`), TEST_PIN);
    await user.click(within(locked).getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'My PIN' }, LOADING)).toBeInTheDocument();
    expect(window.location.pathname).toBe('/my-secret');
  });
});
