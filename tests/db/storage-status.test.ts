// Persistent storage across engines: Chromium answers at once, Firefox asks the user
// and answers only when they do, some WebKit builds have no StorageManager. Asking
// never hangs, and "cannot" is told apart from "declined".
import { afterEach, describe, expect, test, vi } from 'vitest';
import { PERSIST_ANSWER_TIMEOUT_MS, requestPersistence, storageStatus } from '../../src/db/storage-status';

const setStorage = (storage: Partial<StorageManager> | undefined) =>
  Object.defineProperty(navigator, 'storage', { value: storage, configurable: true });

afterEach(() => {
  Reflect.deleteProperty(navigator, 'storage');
  vi.useRealTimers();
});

describe('requestPersistence', () => {
  test('no StorageManager, or one without persist(): unsupported', async () => {
    setStorage(undefined);
    expect(await requestPersistence()).toBe('unsupported');
    setStorage({ estimate: async () => ({ usage: 1, quota: 2 }) });
    expect(await requestPersistence()).toBe('unsupported');
  });

  test('already persistent: granted without asking', async () => {
    const persist = vi.fn(async () => false);
    setStorage({ persisted: async () => true, persist });
    expect(await requestPersistence()).toBe('granted');
    expect(persist).not.toHaveBeenCalled();
  });

  test('the browser says yes or no', async () => {
    setStorage({ persisted: async () => false, persist: async () => true });
    expect(await requestPersistence()).toBe('granted');
    setStorage({ persisted: async () => false, persist: async () => false });
    expect(await requestPersistence()).toBe('declined');
  });

  test('persist() throws: unsupported', async () => {
    setStorage({ persisted: async () => false, persist: () => Promise.reject(new TypeError('not allowed')) });
    expect(await requestPersistence()).toBe('unsupported');
  });

  test('a prompt nobody answers: no-answer after the timeout, and a late answer still arrives', async () => {
    vi.useFakeTimers();
    let answer: (kept: boolean) => void = () => undefined;
    setStorage({ persisted: async () => false, persist: () => new Promise<boolean>((resolve) => (answer = resolve)) });
    const onLateAnswer = vi.fn();
    const asked = requestPersistence({ onLateAnswer });
    await vi.advanceTimersByTimeAsync(PERSIST_ANSWER_TIMEOUT_MS);
    expect(await asked).toBe('no-answer');
    expect(onLateAnswer).not.toHaveBeenCalled();
    answer(true);
    await vi.waitFor(() => expect(onLateAnswer).toHaveBeenCalledWith('granted'));
  });
});

describe('storageStatus', () => {
  test('says whether the browser can be asked at all', async () => {
    setStorage(undefined);
    expect(await storageStatus()).toEqual({ persisted: null, canAsk: false, usage: null, quota: null });
    setStorage({ persisted: async () => false, persist: async () => false, estimate: async () => ({ usage: 10, quota: 100 }) });
    expect(await storageStatus()).toEqual({ persisted: false, canAsk: true, usage: 10, quota: 100 });
  });
});
