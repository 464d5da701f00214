import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { addUser } from '../../../src/db/accounts';
import { db } from '../../../src/db/database';
import { lock } from '../../../src/db/vault';
import { LockScreen } from '../../../src/features/lock/lock-screen';
import { ADMIN, TEST_PIN, renderApp, resetDatabase, signIn } from '../../support/render-app';

const TECH = 'Kofi Mensah';
const DEMO = 'Alex Morgan';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
});

const person = (name: string) => within(screen.getByRole('list', { name: 'People on this tablet' })).getByRole('button', { name: new RegExp(`^${name}`) });

describe('lock screen', () => {
  it('labels demo people, and says who does not verify; signing in as them is refused with the reason', async () => {
    const tech = await addUser({ name: TECH, roles: ['technician'], secret: '418265' }, TEST_PIN);
    await addUser({ name: DEMO, roles: ['technician'], secret: '246810' }, TEST_PIN, new Date().toISOString(), { demo: true });
    await db.users.update(tech.id, { roles: ['technician', 'radiologist'] });
    await lock();
    const { user } = renderApp(<LockScreen firstRun={<p>First run</p>} />);

    await screen.findByRole('list', { name: 'People on this tablet' });
    expect(person(DEMO)).toHaveTextContent(`${DEMO} (demo)`);
    expect(person(DEMO)).not.toHaveTextContent('does not verify');
    expect(person(TECH)).toHaveTextContent(`${TECH} does not verify`);
    expect(person(TECH)).not.toHaveTextContent('(demo)');
    expect(person(ADMIN)).toHaveTextContent(new RegExp(`^${ADMIN}Lab admin$`));

    await user.click(person(TECH));
    await user.type(screen.getByLabelText(`PIN for ${TECH}`), '418265');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(`${TECH}’s entry on this tablet does not verify: its roles differ from the lab’s signed log.`);
  });
});
