import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MainNav } from '../../../src/app/main-nav';
import { QueueWatch } from '../../../src/app/queue-watch';
import { runCommand } from '../../../src/db/case-commands';
import { db } from '../../../src/db/database';
import { lock } from '../../../src/db/vault';
import { QueuePage } from '../../../src/features/signoff-queue/queue-page';
import { followDatabaseChanges } from '../../../src/queries/database-changes';
import { renderApp, resetDatabase } from '../../support/render-app';
import { asRad, asTech, readyCase } from '../../support/signoff';

beforeEach(resetDatabase);
afterEach(() => {
  delete (navigator as { setAppBadge?: unknown }).setAppBadge;
  delete (navigator as { clearAppBadge?: unknown }).clearAppBadge;
});

const queueScreen = () => {
  const r = renderApp(<><MainNav /><QueueWatch /><QueuePage /></>, { route: '/queue' });
  const stop = followDatabaseChanges(r.client);
  return { ...r, stop };
};

describe('Waiting for my sign-off', () => {
  it('lists every case waiting for a radiologist, most urgent first, with what it waits for and since when; the count is in the navigation', async () => {
    await readyCase({ patientName: 'Routine Soon', priority: 'routine', dateNeeded: '2027-01-05' });
    await readyCase({ patientName: 'Urgent Later', priority: 'urgent', dateNeeded: '2027-02-01' });
    await readyCase({ patientName: 'Ema Emergency', priority: 'emergent', dateNeeded: '2027-03-01', through: 'imaging-ready' });
    await readyCase({ patientName: 'Urgent Sooner', priority: 'urgent', dateNeeded: '2027-01-20' });
    const notReady = await readyCase({ patientName: 'Not Ready', through: 'imaging-ready' });
    await runCommand(notReady, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: false });
    await asRad();
    queueScreen();
    const list = await screen.findByRole('list', { name: 'Cases waiting for my sign-off' });
    const rows = within(list).getAllByRole('link');
    expect(rows.map((r) => within(r).getByText(/^(Routine Soon|Urgent Later|Ema Emergency|Urgent Sooner)$/).textContent)).toEqual(['Ema Emergency', 'Urgent Sooner', 'Urgent Later', 'Routine Soon']);
    expect(rows[0]).toHaveTextContent('Imaging: “Imaging adequate for segmentation”');
    expect(rows[1]).toHaveTextContent('Segmenting: “Segmentation verified against source images”');
    expect(rows[1]).toHaveTextContent(/Waiting since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(rows[1]).toHaveTextContent('Needed 2027-01-20');
    expect(rows[1]).toHaveAttribute('href', expect.stringMatching(/^\/cases\/.+\/review\/segmenting$/));
    expect(screen.queryByText('Not Ready')).toBeNull();
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    expect(await within(nav).findByRole('link', { name: 'Waiting for my sign-off 4 waiting' })).toBeInTheDocument();
  });

  it('a case that becomes ready joins the queue by itself, its count updates and the badge shows it; it is announced politely; lock clears the badge', async () => {
    const setAppBadge = vi.fn(() => Promise.resolve());
    const clearAppBadge = vi.fn(() => Promise.resolve());
    Object.assign(navigator, { setAppBadge, clearAppBadge });
    await readyCase({ patientName: 'First One' });
    const second = await readyCase({ patientName: 'Second One', through: 'imaging-ready' });
    await runCommand(second, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: false });
    await asRad();
    const { stop } = queueScreen();
    await screen.findByText('First One');
    await waitFor(() => expect(setAppBadge).toHaveBeenLastCalledWith(1));
    const announcer = screen.getByRole('status', { name: 'Sign-off queue updates' });
    expect(announcer).toHaveTextContent('');
    // Another device (or tab) finishes the second case: the database changes, the queue follows.
    await act(() => runCommand(second, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true }).then(() => undefined));
    expect(await screen.findByText('Second One')).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole('navigation', { name: 'Sections' })).getByRole('link', { name: /Waiting for my sign-off 2 waiting/ })).toBeInTheDocument());
    await waitFor(() => expect(setAppBadge).toHaveBeenLastCalledWith(2));
    expect(announcer).toHaveAttribute('aria-live', 'polite');
    await waitFor(() => expect(announcer).toHaveTextContent('1 new case waiting for your sign-off (2 in all).'));
    // The badge carries a number only.
    for (const call of setAppBadge.mock.calls as unknown[][]) expect(call.every((a) => typeof a === 'number')).toBe(true);
    await act(() => lock());
    expect(clearAppBadge).toHaveBeenCalled();
    stop();
  });

  it('a technician has no queue: no link in the navigation', async () => {
    await readyCase();
    await asTech();
    renderApp(<><MainNav /><QueuePage /></>, { route: '/queue' });
    expect(await screen.findByText(/Only people who sign stages off/)).toBeInTheDocument();
    expect(within(screen.getByRole('navigation', { name: 'Sections' })).queryByRole('link', { name: /Waiting for my sign-off/ })).toBeNull();
    expect(await db.cases.where('signoffSort').above('').count()).toBe(1);
  });
});
