// Renders a screen the way the app does (query client, session, router) on a
// fresh fake-indexeddb database, with a user already chosen on the tablet.
import type { ReactElement } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { Actor, Role } from '../../src/domain/case';
import { db, durableDb } from '../../src/db/database';
import { addUser, isTabletSetUp, setUpTablet, signIn as unlock } from '../../src/db/accounts';
import { currentUnlock, lock } from '../../src/db/vault';
import { createQueryClient } from '../../src/queries/query-client';

export const TEST_PIN = '135790';
export const ADMIN = 'Lab Admin';

/** Deletes and reopens the database (both connections), as on a new tablet. */
export async function wipeDatabase(): Promise<void> {
  durableDb.close({ disableAutoOpen: false });
  await db.delete();
  await db.open();
}

/** The query clients of rendered screens: a write they started must land before the database goes. */
const rendered: QueryClient[] = [];

async function settleWrites(): Promise<void> {
  for (const client of rendered.splice(0)) {
    for (let waited = 0; client.isMutating() > 0 && waited < 5_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
  }
}

/** A new tablet: locked, empty database (after any write a screen of the last test started has landed). */
export async function resetDatabase(): Promise<void> {
  await settleWrites();
  await lock();
  await wipeDatabase();
}

/**
 * Signs a person in the way the app does: the tablet is set up with a lab admin
 * first if needed, the admin adds the person (with TEST_PIN), then they sign in.
 */
export async function signIn(name = 'Tess Technician', roles: Role[] = ['technician']): Promise<Actor> {
  if (!(await isTabletSetUp())) await setUpTablet({ name: ADMIN, roles: ['admin'], secret: TEST_PIN });
  const existing = await db.users.where('name').equals(name).first();
  if (existing) {
    await unlock(existing.id, TEST_PIN);
    return currentUnlock()!.actor;
  }
  if (!currentUnlock()?.actor.roles.includes('admin')) await unlock((await db.users.where('name').equals(ADMIN).first())!.id, TEST_PIN);
  const row = await addUser({ name, roles, secret: TEST_PIN }, TEST_PIN);
  await unlock(row.id, TEST_PIN);
  return currentUnlock()!.actor;
}

/** Where the router went: rendered for every path the screen under test does not own. */
function LocationProbe() {
  return <output aria-label="Current path">{useLocation().pathname}</output>;
}

type Options = { route?: string; path?: string };

/** Renders `ui` at `path` (default: the initial `route`); any other path shows the location probe. */
export function renderApp(ui: ReactElement, { route = '/', path = route }: Options = {}) {
  const client = createQueryClient();
  rendered.push(client);
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={ui} />
            <Route path="*" element={<LocationProbe />} />
          </Routes>
        </MemoryRouter>
    </QueryClientProvider>,
  );
  return { user, client, ...result };
}
