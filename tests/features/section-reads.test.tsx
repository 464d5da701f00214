// A tap on a section's link starts the section's first reads at once, before its page (and its
// code) renders: here the page never renders at all (the router shows only a location probe),
// so a read in the cache can only have come from the link.
import { screen, waitFor, within } from '@testing-library/react';
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { beforeEach, describe, expect, it } from 'vitest';
import { MainNav } from '../../src/app/main-nav';
import { dashboardKeys } from '../../src/queries/dashboard-queries';
import { labSettingsKeys } from '../../src/queries/lab-settings-queries';
import { caseKeys } from '../../src/queries/case-queries';
import { queueKeys, QUEUE_PAGE } from '../../src/queries/queue-queries';
import { ADMIN, renderApp, resetDatabase, signIn } from '../support/render-app';

beforeEach(resetDatabase);

const readOnce = async (client: QueryClient, key: QueryKey) =>
  waitFor(() => expect(client.getQueryState(key), JSON.stringify(key)).toMatchObject({ status: 'success', dataUpdateCount: 1 }));

/** Taps the link; the router goes to `path`, where only the probe renders. */
async function tap(name: string | RegExp, path: string) {
  const r = renderApp(<MainNav />, { route: '/', path: '/' });
  await r.user.click(within(screen.getByRole('navigation', { name: 'Sections' })).getByRole('link', { name }));
  expect(screen.getByRole('status', { name: 'Current path' })).toHaveTextContent(path);
  return r.client;
}

describe('a section’s first reads start at the tap on its link', () => {
  it('Dashboard: its day totals and the printers whose QA is due, each read once', async () => {
    await signIn(ADMIN, ['admin']);
    const client = await tap('Dashboard', '/dashboard');
    await readOnce(client, dashboardKeys.days());
    await readOnce(client, labSettingsKeys.printers());
  });

  it('Lab settings: every list, how many cases use each entry, and the code table', async () => {
    await signIn(ADMIN, ['admin']);
    const client = await tap('Lab settings', '/lab-settings');
    for (const key of [labSettingsKeys.printers(), labSettingsKeys.materials(), labSettingsKeys.software(), labSettingsKeys.combinations(), labSettingsKeys.usage(), caseKeys.codeTable()]) await readOnce(client, key);
  });

  it('a radiologist’s sign-off queue: its first page', async () => {
    await signIn('Rae Radiologist', ['radiologist']);
    const client = await tap(/Waiting for my sign-off/, '/queue');
    await readOnce(client, queueKeys.list('radiologist', QUEUE_PAGE));
  });
});
