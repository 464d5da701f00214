// What is stored where. One IndexedDB database, "printpath", on this device:
//   cases     one row per case: indexed non-PHI fields, the case without its PHI
//             (`clear`), the PHI sealed with the device data key (`sealed`), the
//             head of the case's audit chain, and the list's derived keys: sort
//             keys per filter (domain/list-index.ts) and blind search tokens
//             (keyed hashes of name, MRN and case-number prefixes); on cases with a stage
//             waiting for a signer, the sign-off queue's key and what it waits for
//   audit     append-only, hash-chained, signed entries: one chain per case (its
//             events, sealed) and the lab log ('lab': people, roles, keys, sign-ins)
//   users     the people on this tablet: printed name, roles, the salted secret
//             verifier, the data key, sign-off key and entry key wrapped by their
//             secret, and every public key they have had. A cache: who is on the
//             lab, with which roles and keys, is what the signed lab log says
//   settings  device code and case-number counters, the CPT code table, the
//             security policy, the lab chain's head
//   printers, materials  the lab's equipment lists (no PHI), offered in the printing stage
//   drafts    unsaved form input, sealed with the data key, per person and form
//   outbox    the audit entries not yet on the lab server (id, chain, seq), added with
//             each entry; inbox  events pulled from the lab server, still sealed,
//             until they are applied; parked  this device's entries that lost a race
//             on the server (another device changed the chain first), kept and shown
//   fileChunks  the bytes of model and guide files (STL, OBJ), 1 MiB a chunk, each sealed
//             with the data key, the file id and chunk index as associated data; keyed by
//             [fileId+index] so each chunk can be read, sent or resumed by itself. The case
//             holds the file's reference (name, size, SHA-256); a file whose chunks have not
//             all arrived is shown as still arriving
//   fileTransfers  one row per model file this device knows of and its way to or from the
//             lab server (sync/file-transfer.ts): 'send' (the server may lack parts), 'fetch'
//             (this device lacks parts), 'done'; with what stopped it, if something did.
//             Local only, never in a backup: derived again from the cases and chunks
// Nothing leaves the device. Indexes hold no patient identifiers; decrypted PHI
// exists only in memory while someone is signed in (see vault.ts).
// Schema versions are append-only: never edit a shipped version, add one.
import type { AgreementKey } from '../crypto/key-grant';
import Dexie, { type Table } from 'dexie';
import type { Role } from '../domain/case';
import type { MaterialLot } from '../domain/lab-settings';
import type { AuditEntry, ChainHead } from '../domain/audit-chain';
import { entryEventId } from '../domain/entry-id';
import type { ClearCase } from '../domain/phi';
import type { PrinterQaEntry } from '../domain/printer-qa';
import { listKeys, type ListKeys, type QueueKeys } from '../domain/list-index';
import { numberKeys } from '../domain/search-terms';
import { equipmentTokens } from '../domain/equipment-use';
import { caseFactsMiddleware, factsRow, keptTotals, rebuildKept, tabletZone, type CaseFactsRow, type DashboardDayRow, type EquipmentUseRow } from './dashboard-facts';
import type { StageId } from '../domain/case';
import type { Sealed } from '../crypto/field-cipher';
import type { SealedChunk } from '../crypto/file-cipher';
import type { KdfParams } from '../crypto/secret-keys';
import type { WrappedKey } from '../crypto/data-key';
import type { DERIVED_FIELDS } from './stored-case';

export type CaseRow = {
  id: string;
  caseNumber: string;
  dateNeeded: string;
  /** Written only from deriveStatus(), in the same transaction as the case. */
  statusKey: string;
  updatedAt: string;
  revision: number;
  clear: ClearCase;
  sealed: Sealed;
  auditHead: ChainHead;
} & DerivedKeys;

/** Derived from the case by case-codec.ts; never read from a backup (db/derived-index.ts rebuilds them). */
export type DerivedKeys = ListKeys &
  QueueKeys & {
    search: string[];
    /** The case number's words (search-terms.ts numberKeys), found by prefix; older rows may lack them until rebuilt. */
    numberKeys?: string[];
    /** A stage a signer sent back, still waiting for the technician. */
    changesRequested?: StageId;
    /** Rows written by schema 7 name the lab entries they use here; from 8 the kept facts do (dashboard-facts.ts). Never in a backup. */
    uses?: string[];
  };
/** A case row without its derived keys: what a backup holds. */
export type StoredCaseRow = Omit<CaseRow, (typeof DERIVED_FIELDS)[number]>;

export type AuditRow = AuditEntry;

export type SigningKeyRow = { fingerprint: string; publicKeyJwk: JsonWebKey; createdAt: string };

export type UserRow = {
  id: string;
  name: string;
  roles: Role[];
  createdAt: string;
  active: boolean;
  kdf: KdfParams;
  verifier: string;
  /** The lab's first key (epoch 1), and keys of later epochs (crypto/key-ring.ts), each wrapped by the user's secret. */
  wrappedDataKey: WrappedKey;
  wrappedEpochKeys?: Record<string, WrappedKey>;
  /** The epoch wrappedDataKey holds when not 1: a person of a tablet that joined a lab with its own records (sync/merge.ts). */
  firstEpoch?: string;
  /** Their key-agreement key: a new key epoch is granted to its public half; absent on rows from before key epochs. */
  agreementKey?: AgreementKey;
  /** The current signing key, wrapped by the user's secret; replaced when the secret is reset. */
  wrappedSigningKey: WrappedKey;
  /** Every public key this user has had, newest last: old signatures still verify after a reset. */
  signingKeys: SigningKeyRow[];
  /** The entry key (signs ordinary audit entries), wrapped by the user's secret; absent on rows from before the signed log. */
  wrappedEntryKey?: WrappedKey;
  entryKeys?: SigningKeyRow[];
  failedAttempts: number;
  lockedUntil: string | null;
  /** One of the demo people "Load demo cases" adds: may sign demo cases only. */
  demo?: boolean;
};

export type SettingRow = { key: string; value: unknown };

export type DraftRow = { id: string; userId: string; formId: string; savedAt: string; sealed: Sealed };

/** An audit entry the lab server has not acknowledged yet; `wire` is its sealed form once made (a retry must resend the same bytes). */
export type OutboxRow = { id: string; chain: string; seq: number; wire?: unknown };
/** An event pulled from the lab server, still sealed under the lab key. */
export type InboxRow = { serverSeq: number; event: unknown };
/** One of this device's entries that another device's change overtook on the server: kept, shown, resolved by a person. */
export type ParkedRow = { id: string; chain: string; entry: AuditRow; parkedAt: string; resolved?: string };

/** One sealed chunk of a model file (see crypto/file-cipher.ts); `caseId` says which case's reference it belongs to. */
export type FileChunkRow = SealedChunk & { fileId: string; index: number; caseId: string };
/** A model file on its way to or from the lab server; `problem` says why it stopped (tried again at the next sign-in). */
export type FileTransferRow = { fileId: string; caseId: string; chunks: number; state: 'send' | 'fetch' | 'done'; problem?: string };

/** `qaLog`: the printer's own QA checks (domain/printer-qa.ts); absent until one is recorded. */
export type PrinterRow = { id: string; label: string; maker: string; model: string; technology: string; retired: boolean; qaLog?: PrinterQaEntry[] };
export type MaterialRow = { id: string; name: string; colour: string; biocompatible: boolean; sterilizable: boolean; lot: string; lots?: MaterialLot[]; retired: boolean };

export class PrintpathDb extends Dexie {
  cases!: Table<CaseRow, string>;
  audit!: Table<AuditRow, [string, number]>;
  users!: Table<UserRow, string>;
  settings!: Table<SettingRow, string>;
  printers!: Table<PrinterRow, string>;
  materials!: Table<MaterialRow, string>;
  drafts!: Table<DraftRow, string>;
  outbox!: Table<OutboxRow, string>;
  inbox!: Table<InboxRow, number>;
  parked!: Table<ParkedRow, string>;
  fileChunks!: Table<FileChunkRow, [string, number]>;
  fileTransfers!: Table<FileTransferRow, string>;
  caseFacts!: Table<CaseFactsRow, string>;
  dashboardDays!: Table<DashboardDayRow, string>;
  equipmentUse!: Table<EquipmentUseRow, string>;

  constructor(name = 'printpath', durability: 'relaxed' | 'strict' = 'relaxed') {
    // The IndexedDB of this page, read now rather than when Dexie loaded: a test can run several devices, each its own.
    super(name, { chromeTransactionDurability: durability, indexedDB: globalThis.indexedDB, IDBKeyRange: globalThis.IDBKeyRange });
    this.version(1).stores({
      cases: 'id, &caseNumber, dateNeeded, [statusKey+dateNeeded], updatedAt',
      audit: '[chain+seq]',
      users: 'id, name',
      settings: 'key',
      printers: 'id, label',
      materials: 'id, name',
      drafts: 'id, userId',
    });
    // v2: the list reads one index range per filter and searches blind tokens.
    // The sort keys derive from stored fields here; the tokens need the search
    // key, so the first sign-in after the upgrade builds them (derived-index.ts).
    this.version(2)
      .stores({ cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search' })
      .upgrade(async (tx) => {
        await tx.table('cases').toCollection().modify((row: CaseRow) => {
          Object.assign(row, listKeys(row.statusKey, row.dateNeeded, row.caseNumber), { search: [] });
        });
        await tx.table('settings').put({ key: INDEX_STALE, value: true });
      });
    // v3: the lab server. Every entry made so far is waiting to go up, if this device ever connects.
    this.version(3)
      .stores({ outbox: 'id, [chain+seq]', inbox: 'serverSeq', parked: 'id, chain' })
      .upgrade(async (tx) => {
        const rows: OutboxRow[] = [];
        await tx.table('audit').each((e: AuditRow) => void rows.push({ id: entryEventId(e), chain: e.chain, seq: e.seq }));
        await tx.table('outbox').bulkPut(rows);
      });
    // v4: the sign-off queue (list-index.ts queueKeys). Its keys need the whole case (PHI
    // fields may be signed), so the first sign-in after the upgrade derives them.
    this.version(4)
      .stores({ cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search, signoffSort' })
      .upgrade(async (tx) => {
        await tx.table('settings').put({ key: INDEX_STALE, value: true });
      });
    // v5: model and guide files, sealed in chunks.
    this.version(5).stores({ fileChunks: '[fileId+index], caseId' });
    // v6: model files travel with sync. Which files go up or come down is derived from the cases
    // and chunks already here at the next sign-in on a connected device (sync/file-transfer.ts).
    this.version(6)
      .stores({ fileTransfers: 'fileId, state' })
      .upgrade(async (tx) => {
        await tx.table('settings').put({ key: FILES_STALE, value: true });
      });
    // v7: the case number is found by a prefix range over its few words (numberKeys) instead of an
    // index entry for each of its prefixes ('#…' search tokens, 35 of a case's ≈ 60); which lab
    // entries each case names (lab settings counts a list's use from an index instead of reading
    // every case); and the dashboard's facts of each case, kept on every write from here on
    // (dashboard-facts.ts). None is PHI: all derive from the clear part, here, with no sign-in.
    this.version(7)
      .stores({ cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search, signoffSort, *numberKeys, *uses', caseFacts: 'id' })
      .upgrade(async (tx) => {
        const facts: CaseFactsRow[] = [];
        const zone = tabletZone();
        await tx.table('cases').toCollection().modify((row: CaseRow) => {
          row.numberKeys = numberKeys(row.caseNumber);
          row.search = (row.search ?? []).filter((t) => !t.startsWith('#'));
          row.uses = equipmentTokens(row.clear);
          facts.push(factsRow(row, zone));
        });
        await tx.table('caseFacts').bulkPut(facts);
      });
    // v8: the dashboard's totals per day of opening, and how many cases name each lab entry (dashboard-facts.ts):
    // the facts are derived again with the entries each case names (indexed there, not on the case: the facts are
    // kept on every write, restores included, while the cases' derived keys wait for a rebuild after a restore),
    // and both totals are summed from them once here.
    this.version(8)
      .stores({ cases: 'id, &caseNumber, updatedAt, sortKey, openSort, workSort, [statusKey+sortKey], *search, signoffSort, *numberKeys', caseFacts: 'id, *uses', dashboardDays: 'openedOn', equipmentUse: 'token' })
      .upgrade((tx) => rebuildKept(tx));
    // v9: a day's cases still in a stage are kept as one string each (inStageEntry), not an object: the day
    // totals are summed again from the kept facts.
    this.version(9)
      .stores({ dashboardDays: 'openedOn' })
      .upgrade(async (tx) => {
        const { days } = keptTotals(await tx.table('caseFacts').toArray());
        await tx.table('dashboardDays').clear();
        await tx.table('dashboardDays').bulkPut(days);
      });
    this.use(caseFactsMiddleware);
  }
}

/** Set when the derived keys of the cases must be rebuilt at the next sign-in (derived-index.ts). */
export const INDEX_STALE = 'statusIndexStale';
/** Set when which model files must travel is to be derived again from every case (file-transfers.ts). */
export const FILES_STALE = 'fileTransfersStale';

export const db = new PrintpathDb();

/**
 * The same database, for every write the app reports as saved (cases, signatures, the
 * lab log, restores): committed means on disk, so a power cut cannot take back what the
 * screen said. Chrome otherwise acknowledges a commit before it reaches the disk. The
 * relaxed connection is for reads and for what can be rebuilt (drafts, derived keys).
 */
export const durableDb = new PrintpathDb('printpath', 'strict');

/** The connection of the transaction we are in (helpers join it), else `fallback`. */
export const activeDb = (fallback: PrintpathDb): PrintpathDb => (Dexie.currentTransaction?.db as PrintpathDb | undefined) ?? fallback;

/** Adds audit entries and their outbox rows, inside the caller's transaction (which must include both tables). */
export async function appendEntries(store: PrintpathDb, entries: readonly AuditRow[]): Promise<void> {
  if (entries.length === 0) return;
  await Promise.all([store.audit.bulkAdd(entries as AuditRow[]), store.outbox.bulkPut(entries.map((e) => ({ id: entryEventId(e), chain: e.chain, seq: e.seq })))]);
}
