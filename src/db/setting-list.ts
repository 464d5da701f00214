// A lab list kept as one setting (synced and backed up like every shared setting), read and
// written through the few table operations the lab lists use, so the software list and the
// validated combinations follow the same add / change / retire / log path as printers and materials.
import { activeDb, db } from './database';

export type ListStore<Row extends { id: string }> = {
  get(id: string): Promise<Row | undefined>;
  add(row: Row): Promise<unknown>;
  put(row: Row): Promise<unknown>;
  delete(id: string): Promise<unknown>;
  toArray(): Promise<Row[]>;
  filter(fn: (row: Row) => boolean): { first(): Promise<Row | undefined> };
};

export function settingList<Row extends { id: string }>(key: string): ListStore<Row> {
  const read = async (): Promise<Row[]> => {
    const value = (await activeDb(db).settings.get(key))?.value;
    return Array.isArray(value) ? (value as Row[]) : [];
  };
  const write = (rows: Row[]) => activeDb(db).settings.put({ key, value: rows });
  return {
    get: async (id) => (await read()).find((r) => r.id === id),
    add: async (row) => {
      const rows = await read();
      if (rows.some((r) => r.id === row.id)) throw new Error(`${key}: ${row.id} is already there`);
      await write([...rows, row]);
    },
    put: async (row) => {
      const rows = await read();
      await write(rows.some((r) => r.id === row.id) ? rows.map((r) => (r.id === row.id ? row : r)) : [...rows, row]);
    },
    delete: async (id) => write((await read()).filter((r) => r.id !== id)),
    toArray: read,
    filter: (fn) => ({ first: async () => (await read()).find(fn) }),
  };
}
