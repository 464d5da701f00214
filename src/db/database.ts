// What is stored where. One IndexedDB database, "printpath", on this device:
//   cases     one row per case: indexed non-PHI fields + the domain case (`data`)
//   events    append-only history, one row per command applied to a case
//   users     the people who use this tablet (name as printed on signatures, roles)
//   settings  device code and case-number counters, the CPT code table
// Nothing leaves the device. Indexes hold no patient identifiers, so PHI can be
// encrypted in `data.phi` without touching the schema's keys.
// Schema versions are append-only: never edit a shipped version, add one.
import Dexie, { type Table } from 'dexie';
import type { Case, CaseEvent, Role } from '../domain/case';

export type CaseRow = {
  id: string;
  caseNumber: string;
  dateNeeded: string;
  /** Written only from deriveStatus(), in the same transaction as `data`. */
  statusKey: string;
  updatedAt: string;
  revision: number;
  data: Case;
};

export type EventRow = CaseEvent & { revision: number };

export type UserRow = { id: string; name: string; roles: Role[]; createdAt: string; active: boolean };

export type SettingRow = { key: string; value: unknown };

export class PrintpathDb extends Dexie {
  cases!: Table<CaseRow, string>;
  events!: Table<EventRow, string>;
  users!: Table<UserRow, string>;
  settings!: Table<SettingRow, string>;

  constructor(name = 'printpath') {
    super(name);
    this.version(1).stores({
      cases: 'id, &caseNumber, dateNeeded, [statusKey+dateNeeded], updatedAt',
      events: 'id, [caseId+revision]',
      users: 'id, name',
      settings: 'key',
    });
  }
}

export const db = new PrintpathDb();
