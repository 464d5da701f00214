import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBackupRows, type RowsRequest } from '../../src/db/backup-rows';

// The stores a backup reads, keyed as database.ts keys them.
const STORES: Record<string, string | string[]> = {
  cases: 'id',
  audit: ['chain', 'seq'],
  users: 'id',
  settings: 'key',
  printers: 'id',
  materials: 'id',
  fileChunks: ['fileId', 'index'],
};

let opened: IDBDatabase[] = [];
let n = 0;

async function databaseWith(rows: Partial<Record<keyof typeof STORES, object[]>>): Promise<IDBDatabase> {
  const name = `backup-rows-${n++}`;
  const idb = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => {
      for (const [store, keyPath] of Object.entries(STORES)) open.result.createObjectStore(store, { keyPath });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = idb.transaction(Object.keys(STORES), 'readwrite');
  for (const [store, list] of Object.entries(rows)) for (const row of list ?? []) tx.objectStore(store).put(row);
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  opened.push(idb);
  return idb;
}

afterEach(() => {
  for (const idb of opened) idb.close();
  opened = [];
});

const request = (over: Partial<RowsRequest> = {}): RowsRequest => ({
  dbName: 'unused here',
  modelFiles: false,
  now: '2026-12-07T12:00:00.000Z',
  syncStateKey: 'sync',
  localSettings: ['sync', 'lastBackup'],
  ...over,
});

const aCase = (id: string, over: object = {}) => ({ id, caseNumber: `PP-${id}`, statusKey: 'open', updatedAt: '2026-12-01T10:00:00.000Z', auditHead: { seq: 1 }, ...over });
const entry = (chain: string, seq: number, body: unknown = { v: 1, iv: 'aXY=', ct: 'Y3Q=' }) => ({ chain, seq, at: '2026-12-01T10:00:00.000Z', body });
const sorted = <T extends Record<string, unknown>>(rows: T[], ...keys: string[]) =>
  [...rows].sort((a, b) => keys.map((k) => (a[k]! < b[k]! ? -1 : a[k]! > b[k]! ? 1 : 0)).find((c) => c !== 0) ?? 0);

async function written(idb: IDBDatabase, req = request()) {
  const out = await writeBackupRows(idb, req);
  const bytes = new Uint8Array(await out.rows.arrayBuffer());
  return { ...out, bytes, text: new TextDecoder().decode(bytes) };
}

describe('a backup’s rows as the worker writes them', () => {
  it('are exactly JSON.stringify of the tables, and the checksum is the SHA-256 of those bytes, whatever the rows hold (property)', async () => {
    const text = fc.string({ unit: fc.constantFrom('binary', 'grapheme', 'grapheme-ascii') as fc.Arbitrary<'binary'> });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.record({ id: fc.uuid(), note: text, value: fc.jsonValue() }), { selector: (r) => r.id, maxLength: 12 }), async (printers) => {
        const idb = await databaseWith({ printers, users: [{ id: 'u', name: 'Ann Éowyn 🦷' }] });
        const { text: json, bytes, checksum } = await written(idb);
        const expected = { cases: [], audit: [], users: [{ id: 'u', name: 'Ann Éowyn 🦷' }], settings: [], printers: sorted(printers, 'id'), materials: [] };
        expect(json).toBe(JSON.stringify(expected));
        expect(checksum).toBe(bytesToHex(sha256(bytes)));
        expect([...bytes]).toEqual([...new TextEncoder().encode(JSON.stringify(expected))]);
      }),
      { numRuns: 40 },
    );
  });

  it('read every row across batches, and a row longer than a chunk comes whole, its characters outside ASCII included', async () => {
    const audit = Array.from({ length: 2_345 }, (_, i) => entry(`case-${String(i % 7)}`, i + 1));
    const long = 'é€🦷'.repeat(600_000); // 2.4 M UTF-16 units, 5.4 MB of UTF-8: more than a 4 MB chunk
    const idb = await databaseWith({ audit, materials: [{ id: 'm', name: long }] });
    const { text, counts } = await written(idb);
    const file = JSON.parse(text) as { audit: unknown[]; materials: { name: string }[] };
    expect(counts).toEqual({ cases: 0, audit: 2_345, users: 0, settings: 0, printers: 0, materials: 1 });
    expect(file.audit).toEqual(sorted(audit, 'chain', 'seq'));
    expect(file.materials[0]!.name).toBe(long);
  });

  it('leave out the derived keys of cases, this device’s own settings, and the records of cases whose history stays on the lab server', async () => {
    const old = '2026-01-05T10:00:00.000Z'; // closed long before the last 90 days
    const idb = await databaseWith({
      cases: [
        aCase('a', { sortKey: 'x', search: ['t'] }),
        aCase('b', { statusKey: 'closed', updatedAt: old, auditHead: { seq: 2 } }), // history here: kept
        aCase('c', { statusKey: 'closed', updatedAt: old, auditHead: { seq: 3 } }), // only its record: left out
      ],
      audit: [entry('a', 1), entry('b', 1), entry('b', 2)],
      settings: [{ key: 'sync', value: { holds: 'recent', credential: 'secret' } }, { key: 'lastBackup', value: 'x' }, { key: 'security', value: { idle: 5 } }],
    });
    const { text, counts, elsewhere } = await written(idb);
    const file = JSON.parse(text) as { cases: Record<string, unknown>[]; settings: { key: string }[] };
    expect(file.cases.map((c) => c.id)).toEqual(['a', 'b']);
    expect(file.cases[0]).toEqual(aCase('a'));
    expect(file.settings.map((s) => s.key)).toEqual(['security']);
    expect(text).not.toContain('secret');
    expect(elsewhere).toBe(1);
    expect(counts.cases).toBe(2);
  });

  it('carry model file chunks only when asked, in base64, and only those of cases in the file', async () => {
    const chunk = (caseId: string, fileId: string) => ({ fileId, index: 0, caseId, v: 1, iv: new Uint8Array([1, 2, 3]), ct: new Uint8Array([250, 251, 252, 253]) });
    const rows = { cases: [aCase('a')], audit: [entry('a', 1)], fileChunks: [chunk('a', 'f1'), chunk('gone', 'f2')] };
    expect(JSON.parse((await written(await databaseWith(rows))).text)).not.toHaveProperty('fileChunks');
    const { text, counts } = await written(await databaseWith(rows), request({ modelFiles: true }));
    expect((JSON.parse(text) as { fileChunks: unknown[] }).fileChunks).toEqual([{ fileId: 'f1', index: 0, caseId: 'a', v: 1, iv: 'AQID', ct: '+vv8/Q==' }]);
    expect(counts.fileChunks).toBe(1);
  });
});
