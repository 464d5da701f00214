// Demo people (whose PIN is printed on screen) are never shown as if they were real people.
import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { signIn as unlock } from '../../../src/db/accounts';
import { db } from '../../../src/db/database';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { lock } from '../../../src/db/vault';
import { DEMO_PIN } from '../../../src/domain/demo-people';
import { PeopleList } from '../../../src/features/admin/people-list';
import { LockScreen } from '../../../src/features/lock/lock-screen';
import { UserSwitcher } from '../../../src/features/users/user-switcher';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await loadDemoCases(1, TEST_PIN, new Date('2026-11-20T10:00:00Z'));
});

describe('demo people are marked “(demo)”', () => {
  it('on the admin page’s list of people, and in its buttons; the admin is not', async () => {
    renderApp(<PeopleList />);
    const list = (await screen.findByRole('heading', { name: 'People on this tablet' })).closest('section')!;
    expect(await within(list).findByText('Alex Morgan (demo)')).toBeInTheDocument();
    expect(within(list).getByText('Dr. Priya Raman (demo)')).toBeInTheDocument();
    expect(within(list).getByText(ADMIN)).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: 'Reset secret for Dr. Priya Raman (demo)' })).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: 'Disable Alex Morgan (demo)' })).toBeInTheDocument();
    expect(within(list).getByRole('button', { name: `Reset secret for ${ADMIN}` })).toBeInTheDocument();
  });

  it('on the lock screen’s list of people, and where the PIN is asked for', async () => {
    await lock();
    const { user } = renderApp(<LockScreen firstRun={<p>first run</p>} />);
    const people = await screen.findByRole('list', { name: 'People on this tablet' });
    const names = within(people).getAllByRole('button').map((b) => b.textContent);
    expect(names).toEqual(expect.arrayContaining(['Alex Morgan (demo)Lab technician', 'Dr. Priya Raman (demo)Radiologist', `${ADMIN}Lab admin`]));
    await user.click(within(people).getByRole('button', { name: /^Dr\. Priya Raman \(demo\)/ }));
    expect(screen.getByLabelText('PIN for Dr. Priya Raman (demo)')).toBeInTheDocument();
  });

  it('in the header, for the demo person signed in', async () => {
    await unlock((await db.users.where('name').equals('Alex Morgan').first())!.id, DEMO_PIN);
    renderApp(<UserSwitcher />);
    expect(screen.getByText('Alex Morgan (demo) · Lab technician')).toBeInTheDocument();
  });
});
