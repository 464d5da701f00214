// The server's one way to PostgreSQL: a real server through node-postgres, or PGlite
// (PostgreSQL compiled to WebAssembly) in a data folder. Both speak the same SQL with
// $1 parameters; routes only see this interface.

export type Row = Record<string, unknown>;

export type Queryable = {
  /** One statement, with $1… parameters. */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A script of several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
};

export type Store = Queryable & {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** int8 and numeric come back as strings from node-postgres and as numbers from PGlite. */
export function toNumber(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : (value as number);
  if (!Number.isSafeInteger(n)) throw new Error('Expected a whole number from the database');
  return n;
}
