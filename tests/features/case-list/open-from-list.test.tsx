import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppRoutes, casePageReady } from '../../../src/app/routes';
import { CaseListPage } from '../../../src/features/case-list/case-list-page';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { caseKeys } from '../../../src/queries/case-queries';
import { asCaseId } from '../../../src/domain/ids';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await loadDemoCases(3, TEST_PIN);
});

const firstRow = async () => {
  const list = await screen.findByRole('list', { name: 'Cases' });
  await waitFor(() => expect(within(list).getAllByRole('link').length).toBeGreaterThan(0));
  return within(list).getAllByRole('link')[0]!;
};

describe('opening a case from the list', () => {
  it('reads the case from the touch on a row, before the tap ends', async () => {
    const { client } = renderApp(<CaseListPage />);
    const row = await firstRow();
    const id = asCaseId(row.getAttribute('href')!.split('/').at(-1)!);
    expect(client.getQueryData(caseKeys.detail(id))).toBeUndefined();
    fireEvent.pointerDown(row);
    await waitFor(() => expect(client.getQueryData<{ case: { id: string } }>(caseKeys.detail(id))?.case.id).toBe(id));
    expect(screen.getByRole('list', { name: 'Cases' })).toBeInTheDocument(); // still on the list
  });

  it('fetches the case page’s code behind the list, so a tap shows the case without a moment of “Loading…”', async () => {
    const { user } = renderApp(<AppRoutes />, { path: '/*' });
    const row = await firstRow();
    await waitFor(() => expect(casePageReady()).toBe(true));
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(...screen.queryAllByRole('status').map((s) => s.textContent ?? '')));
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    await user.click(row);
    expect(await screen.findByRole('heading', { level: 1 })).not.toHaveTextContent('Cases');
    observer.disconnect();
    expect(seen.filter((s) => s === 'Loading…')).toEqual([]);
  });
});
