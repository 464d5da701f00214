// A simulated device running the app's real data and sync code in Node: its own module
// instances (vault, database connections) and its own IndexedDB (fake-indexeddb, one
// factory per device), talking to the real lab server over HTTP.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { vi } from 'vitest';

export const PIN = '135792';

let origin = '';
const platformFetch = globalThis.fetch;
/** The app calls its own origin ("/api/…"); in Node that origin is the test server's. */
export function serveFrom(url: string): void {
  origin = url;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    platformFetch(typeof input === 'string' && input.startsWith('/') ? origin + input : input, init)) as typeof fetch;
}

export async function newDevice() {
  vi.resetModules();
  Object.assign(globalThis, { indexedDB: new IDBFactory(), IDBKeyRange });
  const [accounts, labServer, engine, commands, database, vault, caseView, syncState, serverApi, incoming, signing, auditRepo, queue, queueList, caseRepo, merge, labLog, modelFiles, fileTransfer, fileTransfers] = await Promise.all([
    import('../../../src/db/accounts'),
    import('../../../src/sync/lab-server'),
    import('../../../src/sync/engine'),
    import('../../../src/db/case-commands'),
    import('../../../src/db/database'),
    import('../../../src/db/vault'),
    import('../../../src/db/case-view-repo'),
    import('../../../src/db/sync-state'),
    import('../../../src/sync/server-api'),
    import('../../../src/sync/incoming'),
    import('../../../src/db/signing'),
    import('../../../src/db/audit-repo'),
    import('../../../src/db/queue-repo'),
    import('../../../src/db/queue-list-repo'),
    import('../../../src/db/case-repo'),
    import('../../../src/sync/merge'),
    import('../../../src/db/lab-log-repo'),
    import('../../../src/db/model-file-repo'),
    import('../../../src/sync/file-transfer'),
    import('../../../src/db/file-transfers'),
  ]);
  const device = {
    accounts, labServer, engine, commands, database, vault, caseView, syncState, serverApi, signing, auditRepo, queue, queueList, caseRepo, merge, labLog, modelFiles, fileTransfer, fileTransfers,
    /** One sync round as the engine runs it, for whoever is signed in. */
    async sync() {
      const state = (await syncState.readSyncState())!;
      const { dataKey } = vault.requireUnlock();
      return engine.syncOnce(serverApi.deviceApi(state.labId, state.credential), { dataKey, labId: state.labId }, state.deviceId.slice(0, 8));
    },
    /** The model files' share of a round, as the engine runs it after the events (`budget` chunks each way). */
    async moveFiles(budget?: number) {
      const state = (await syncState.readSyncState())!;
      return fileTransfer.moveFiles(serverApi.deviceApi(state.labId, state.credential), { dataKey: vault.requireUnlock().dataKey, labId: state.labId }, budget);
    },
    /** Applies what waits in the inbox, as the engine does at the start of a round. */
    async apply() {
      const state = (await syncState.readSyncState())!;
      return incoming.applyInbox({ dataKey: vault.requireUnlock().dataKey, labId: state.labId });
    },
    /** This device's calls to the server, with its own credential. */
    async api() {
      const state = (await syncState.readSyncState())!;
      return serverApi.deviceApi(state.labId, state.credential);
    },
    async signInAs(name: string, secret = PIN) {
      await vault.lock();
      const user = (await database.db.users.toArray()).find((u) => u.name === name);
      if (!user) throw new Error(`${name} is not on this device`);
      return accounts.signIn(user.id, secret);
    },
  };
  return device;
}
export type Device = Awaited<ReturnType<typeof newDevice>>;
