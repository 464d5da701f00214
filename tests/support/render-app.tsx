// Renders a screen the way the app does (query client, session, router) on a
// fresh fake-indexeddb database, with a user already chosen on the tablet.
import type { ReactElement } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { Actor, Role } from '../../src/domain/case';
import { db } from '../../src/db/database';
import { toActor } from '../../src/db/user-repo';
import { addUser } from '../../src/db/user-commands';
import { createQueryClient } from '../../src/queries/query-client';
import { SessionProvider } from '../../src/session/current-user';

/** Deletes and reopens the database, and forgets who was using the tablet. */
export async function resetDatabase(): Promise<void> {
  await db.delete();
  await db.open();
  localStorage.clear();
}

/** Adds a user through the repository and makes them the tablet's current user. */
export async function signIn(name = 'Tess Technician', roles: Role[] = ['technician']): Promise<Actor> {
  const row = await addUser({ name, roles }, new Date().toISOString());
  localStorage.setItem('printpath.currentUserId', row.id);
  return toActor(row);
}

/** Where the router went: rendered for every path the screen under test does not own. */
function LocationProbe() {
  return <output aria-label="Current path">{useLocation().pathname}</output>;
}

type Options = { route?: string; path?: string };

/** Renders `ui` at `path` (default: the initial `route`); any other path shows the location probe. */
export function renderApp(ui: ReactElement, { route = '/', path = route }: Options = {}) {
  const client = createQueryClient();
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={client}>
      <SessionProvider>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path} element={ui} />
            <Route path="*" element={<LocationProbe />} />
          </Routes>
        </MemoryRouter>
      </SessionProvider>
    </QueryClientProvider>,
  );
  return { user, client, ...result };
}
