// The storage card in each engine's situation: a browser that cannot make storage
// persistent says so (no button that does nothing); a request always ends in words,
// even when the browser's own prompt is never answered.
import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { PERSIST_ANSWER_TIMEOUT_MS } from '../../../src/db/storage-status';
import { StorageCard } from '../../../src/features/backup/storage-card';
import { renderApp, resetDatabase, signIn } from '../../support/render-app';

const setStorage = (storage: Partial<StorageManager> | undefined) =>
  Object.defineProperty(navigator, 'storage', { value: storage, configurable: true });

const card = () => screen.getByRole('region', { name: 'This tablet’s storage' });

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

afterEach(() => {
  Reflect.deleteProperty(navigator, 'storage');
  vi.useRealTimers();
});

test('without a StorageManager (some WebKit builds) it says storage cannot be made persistent, and asks for backups', async () => {
  setStorage(undefined);
  renderApp(<StorageCard />);
  expect(await within(card()).findByText('No: this browser cannot make the storage persistent')).toBeVisible();
  expect(within(card()).getByText(/make backups regularly/)).toBeVisible();
  expect(within(card()).queryByRole('button', { name: 'Ask the browser to keep the data' })).toBeNull();
});

test('a browser that declines: the card says so', async () => {
  setStorage({ persisted: async () => false, persist: async () => false, estimate: async () => ({ usage: 0, quota: 1 }) });
  const { user } = renderApp(<StorageCard />);
  expect(await within(card()).findByText('No: the browser may clear it when space runs low')).toBeVisible();
  await user.click(within(card()).getByRole('button', { name: 'Ask the browser to keep the data' }));
  expect(await within(card()).findByRole('status')).toHaveTextContent('The browser declined.');
});

test('a prompt nobody answers (Firefox): waiting is shown, then that there is no answer; a late yes still shows', async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  let answer: (kept: boolean) => void = () => undefined;
  let kept = false;
  setStorage({
    persisted: async () => kept,
    persist: () => new Promise<boolean>((resolve) => (answer = (k) => { kept = k; resolve(k); })),
    estimate: async () => ({ usage: 0, quota: 1 }),
  });
  const { user } = renderApp(<StorageCard />);
  await user.click(await within(card()).findByRole('button', { name: 'Ask the browser to keep the data' }));
  expect(await within(card()).findByRole('status')).toHaveTextContent('Waiting for the browser’s answer');
  await act(() => vi.advanceTimersByTimeAsync(PERSIST_ANSWER_TIMEOUT_MS));
  expect(within(card()).getByRole('status')).toHaveTextContent('The browser has not answered.');
  expect(within(card()).getByRole('button', { name: 'Ask the browser to keep the data' })).toBeEnabled();
  await act(async () => answer(true));
  expect(await within(card()).findByText('Yes: the browser will not clear it to free space')).toBeVisible();
  expect(within(card()).getByRole('status')).toHaveTextContent('The browser will keep the data.');
});
