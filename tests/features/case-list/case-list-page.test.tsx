import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CaseListPage } from '../../../src/features/case-list/case-list-page';
import { visibleRows } from '../../../src/features/case-list/case-list';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { listCases } from '../../support/list';
import { runCommand } from '../../../src/db/case-commands';
import { asCaseId } from '../../../src/domain/ids';
import { order } from '../../support/orders';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']); // demo cases are loaded by a lab admin
});

describe('case list', () => {
  it('offers demo cases on an empty tablet, and lists them once loaded', async () => {
    const { user } = renderApp(<CaseListPage />);
    const form = await screen.findByRole('form', { name: 'Load demo cases' });
    // Loading them adds two people: a signed change, confirmed with the admin's own PIN.
    await user.type(within(form).getByLabelText('Your PIN, to confirm'), '000000');
    await user.click(within(form).getByRole('button', { name: 'Load 12 demo cases' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(/^Wrong secret\. 4 more wrong tries/);
    expect(within(form).getByLabelText('Your PIN, to confirm')).toHaveValue('');
    expect(await listCases({ search: '', status: 'all', overdueOnly: false, today: '2000-01-01' })).toHaveLength(0);

    await user.type(within(form).getByLabelText('Your PIN, to confirm'), TEST_PIN);
    await user.click(within(form).getByRole('button', { name: 'Load 12 demo cases' }));
    // Twelve cases, each signed, and two people with their keys: a few seconds on a busy machine.
    const list = await screen.findByRole('list', { name: 'Cases' }, { timeout: 15_000 });
    await waitFor(() => expect(within(list).getAllByRole('link').length).toBeGreaterThan(5));
    expect(screen.getByRole('link', { name: 'New case' })).toHaveAttribute('href', '/cases/new');
  });

  it('marks each demo case “Demo” (to a screen reader: not a real patient), and a real case not', async () => {
    await loadDemoCases(3, TEST_PIN);
    await signIn('Tess Technician', ['technician']);
    await runCommand(null, { type: 'create', id: asCaseId(crypto.randomUUID()), input: order({ patientName: 'Real Patient' }) });
    const { user } = renderApp(<CaseListPage />);
    await user.selectOptions(await screen.findByLabelText('Show'), 'All cases');
    await screen.findByText('4 cases, soonest needed first');
    const list = screen.getByRole('list', { name: 'Cases' });
    await waitFor(() => expect(within(list).getAllByRole('link')).toHaveLength(4));
    const [real, ...demo] = [...within(list).getAllByRole('link')].sort((a) => (a.textContent?.includes('Real Patient') ? -1 : 1));
    expect(real).not.toHaveTextContent(/demo/i);
    for (const row of demo) {
      expect(within(row).getByText('Demo')).toBeVisible();
      expect(row).toHaveAccessibleName(/^Demo case — not a real patient /);
    }
  });

  it('searches by MRN and by patient name, and filters by stage', async () => {
    await loadDemoCases(12, TEST_PIN);
    const all = await listCases({ search: '', status: 'all', overdueOnly: false, today: '2000-01-01' });
    const target = all.find((c) => c.statusKey === 'printing')!;
    const { user } = renderApp(<CaseListPage />);
    const search = await screen.findByLabelText('Search patient name, MRN or case number');

    await user.type(search, target.mrn);
    const list = screen.getByRole('list', { name: 'Cases' });
    await waitFor(() => expect(within(list).getAllByRole('link')).toHaveLength(1));
    expect(within(list).getByRole('link')).toHaveTextContent(target.patientName);

    await user.clear(search);
    await user.type(search, target.patientName.split(' ')[0]!.toUpperCase());
    await waitFor(() => within(list).getAllByRole('link').forEach((l) => expect(l.textContent?.toLowerCase()).toContain(target.patientName.split(' ')[0]!.toLowerCase())));

    await user.clear(search);
    await user.selectOptions(screen.getByLabelText('Show'), 'In printing');
    await waitFor(() => {
      const rows = within(list).getAllByRole('link');
      expect(rows.length).toBe(all.filter((c) => c.statusKey === 'printing').length);
      rows.forEach((r) => expect(r).toHaveTextContent('In printing'));
    });
  });

  it('keeps the list as it was while a search is read, and never shows the result of a search from before a clear', async () => {
    await loadDemoCases(12, TEST_PIN);
    const all = await listCases({ search: '', status: 'all', overdueOnly: false, today: '2000-01-01' });
    const first = all[0]!;
    const second = all.find((c) => c.patientName !== first.patientName)!;
    const { user } = renderApp(<CaseListPage />);
    await user.selectOptions(await screen.findByLabelText('Show'), 'All cases');
    const count = await screen.findByText('12 cases, soonest needed first');
    const search = screen.getByLabelText('Search patient name, MRN or case number');
    await user.type(search, first.mrn);
    await screen.findByText('1 case, soonest needed first');
    const list = screen.getByRole('list', { name: 'Cases' });
    expect(within(list).getByRole('link')).toHaveTextContent(first.patientName);
    await user.clear(search);
    await screen.findByText('12 cases, soonest needed first');

    // Everything the list shows from here on, each time it changes.
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(`${count.textContent} ${within(list).queryAllByRole('link').map((l) => l.textContent).join('|')}`));
    observer.observe(list.parentElement!, { subtree: true, childList: true, characterData: true });
    await user.paste(second.mrn);
    await waitFor(() => expect(within(list).getByRole('link')).toHaveTextContent(second.patientName));
    observer.disconnect();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((s) => s.includes(first.patientName) && s.startsWith('1 case'))).toEqual([]);
    expect(seen.filter((s) => s.startsWith('Loading'))).toEqual([]);
  });

  it('renders only the rows on screen, and says how many cases there are', async () => {
    await loadDemoCases(60, TEST_PIN);
    const { user } = renderApp(<CaseListPage />);
    await user.selectOptions(await screen.findByLabelText('Show'), 'All cases');
    await screen.findByText('60 cases, soonest needed first');
    const list = screen.getByRole('list', { name: 'Cases' });
    await waitFor(() => expect(within(list).getAllByRole('link').length).toBeGreaterThan(3));
    const items = within(list).getAllByRole('listitem');
    expect(items.length).toBeLessThan(20); // jsdom's 768 px window holds about 8 rows, plus a few either side
    expect(items[0]).toHaveAttribute('aria-setsize', '60');
    expect(items[0]).toHaveAttribute('aria-posinset', '1');
  });

  it('works out which rows are on screen as the page scrolls', () => {
    expect(visibleRows(300, 1000, 100, 500)).toEqual({ first: 0, last: 11 }); // list starts 300 px down: 7 rows show, plus 4
    expect(visibleRows(-5000, 1000, 100, 500)).toEqual({ first: 46, last: 64 });
    expect(visibleRows(-49_500, 1000, 100, 500)).toEqual({ first: 491, last: 500 });
    expect(visibleRows(2000, 1000, 100, 500)).toEqual({ first: 0, last: 4 }); // below the fold: only the overscan
    expect(visibleRows(0, 1000, 100, 0)).toEqual({ first: 0, last: 0 });
  });
});
