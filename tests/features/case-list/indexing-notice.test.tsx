// After a restore onto a wiped tablet the cases' list keys are derived behind a usable list:
// the list says how far it is, and fills as cases are indexed.
import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { CaseListPage } from '../../../src/features/case-list/case-list-page';
import { loadDemoCases } from '../../../src/db/demo-repo';
import { durableDb, INDEX_STALE } from '../../../src/db/database';
import { DERIVED_FIELDS } from '../../../src/db/stored-case';
import { indexProgress, rebuildIndexes } from '../../../src/db/derived-index';
import { currentUnlock } from '../../../src/db/vault';
import { ADMIN, renderApp, resetDatabase, signIn, TEST_PIN } from '../../support/render-app';

beforeEach(async () => {
  await resetDatabase();
  await signIn(ADMIN, ['admin']);
  await loadDemoCases(3, TEST_PIN);
  // As a restore leaves them: the file's rows, without the keys this tablet derives.
  const none = Object.fromEntries(DERIVED_FIELDS.map((f) => [f, undefined]));
  await durableDb.cases.toCollection().modify((row) => {
    Object.assign(row, none);
  });
  await durableDb.settings.put({ key: INDEX_STALE, value: true });
});

describe('cases indexed behind the list', () => {
  it('says how far the indexing is, and lists each case once it is indexed', async () => {
    // Signed out before the first batch: nothing is indexed, the mark stays for the next sign-in.
    await rebuildIndexes(currentUnlock()!, () => false);
    expect(await indexProgress()).toEqual({ done: 0, total: 3 });

    const { user, client } = renderApp(<CaseListPage />);
    expect(await screen.findByText('Indexing cases for the list and search: 0 of 3 done.')).toBeVisible();
    expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Indexing cases for the list and search: 0 of 3 done. Cases appear here as they are indexed; everything else works meanwhile.');
    expect(screen.queryByRole('link', { name: /PP-/ })).toBeNull();

    await user.selectOptions(screen.getByLabelText('Show'), 'all');
    // Signed out after two cases, a case at a time: those two are listed, the third waits.
    let batches = 0;
    await rebuildIndexes(currentUnlock()!, () => batches++ < 2, { first: 1, rest: 1 });
    expect(await indexProgress()).toEqual({ done: 2, total: 3 });
    await client.invalidateQueries();
    expect(await screen.findByText('Indexing cases for the list and search: 2 of 3 done.')).toBeVisible();
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Cases' })).getAllByRole('link')).toHaveLength(2));

    await rebuildIndexes(currentUnlock()!);
    // As the app's query client does on every database change (followDatabaseChanges).
    await client.invalidateQueries();
    const list = await screen.findByRole('list', { name: 'Cases' });
    await waitFor(() => expect(within(list).getAllByRole('link')).toHaveLength(3));
    await waitFor(() => expect(screen.queryByText(/Indexing cases/)).toBeNull());
    expect(await indexProgress()).toBeNull();
  });
});
