// Backup and restore. A backup is every table's rows as stored: PHI stays sealed
// with the device data key, and the people (with their wrapped keys) come along,
// so a restored tablet unlocks with the same secrets. Restore reads and checks
// the whole file before it changes anything (structure, versions, checksum, every
// audit chain), shows what it would do, and then writes all of it in one
// transaction or nothing. It never silently replaces a case that differs: the
// admin chooses, and the choice goes on the audit trail.
import { chainHead, verifyChain, type AuditEntry, type ChainHead } from '../domain/audit-chain';
import { canonicalJson, sha256Hex } from '../domain/canonical';
import type { CaseEvent } from '../domain/case';
import { decryptJson, encryptJson, type Sealed } from '../crypto/field-cipher';
import { DecryptionError } from '../crypto/errors';
import { bytesToHex } from '../crypto/encoding';
import { subtle } from '../crypto/runtime';
import { deriveSecretKeys, newKdfParams, PBKDF2_ITERATIONS } from '../crypto/secret-keys';
import { DEVICE_KEY_ID } from './accounts';
import { fromRow } from './case-codec';
import { derivedKeys } from './case-encode';
import { lastEntry, type SealedCaseEntry } from './audit-repo';
import { LAB_CHAIN, writeLab } from './lab-log-repo';
import { entrySigner, signedEntry } from './signed-entries';
import { caseHash } from '../domain/case-hash';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, READABLE_FORMATS, backupEnvelope, chainHeadSetting, deviceSetting, encryptedBackup, plainBackup, type BackupTables, type PlainBackup } from './backup-format';
import { db, durableDb, INDEX_STALE, storedCase, type CaseRow, type StoredCaseRow } from './database';
import { CommandRefused, guardStorage } from './errors';
import { LAST_BACKUP } from './settings-repo';
import { requireUnlock } from './vault';

export class BackupError extends Error {
  override name = 'BackupError';
}

const TABLES = ['cases', 'audit', 'users', 'settings', 'printers', 'materials'] as const;
/** Settings that describe this tablet's own state, never taken from a backup onto a tablet in use. */
const LOCAL_ONLY = new Set([LAST_BACKUP]);

const DEVICE = 'device';
type DeviceCounters = { code: string; counters: Record<string, number> };

/** Case numbers keep counting past the highest in either copy, so none is issued twice. */
async function mergeCaseCounters(fromBackup: DeviceCounters | undefined): Promise<void> {
  const mine = (await durableDb.settings.get(DEVICE))?.value as DeviceCounters | undefined;
  if (!fromBackup || !mine) return;
  const counters = { ...mine.counters };
  for (const [year, n] of Object.entries(fromBackup.counters)) counters[year] = Math.max(counters[year] ?? 0, n);
  await durableDb.settings.put({ key: DEVICE, value: { ...mine, counters } });
}

/**
 * The checksum over a backup's rows. Format 2: SHA-256 (Web Crypto, off the main thread)
 * of the rows' JSON exactly as the file holds it, which JSON.parse then JSON.stringify
 * gives back unchanged. Format 1 hashed a canonical serialization: 10× slower at 10,000 cases.
 */
export async function backupChecksum(tablesJson: string | Blob): Promise<string> {
  const bytes = typeof tablesJson === 'string' ? new TextEncoder().encode(tablesJson) : new Uint8Array(await tablesJson.arrayBuffer());
  return bytesToHex(new Uint8Array(await subtle().digest('SHA-256', bytes)));
}

/**
 * JSON.stringify(tables), as one string per row. At 10,000 cases that is 200 MB:
 * rows one by one stringify faster, and a Blob takes them as they are, where one
 * string would have to be encoded whole (half the export's time on a tablet).
 */
export function tablesJsonParts(tables: BackupTables): string[] {
  const parts = ['{'];
  Object.entries(tables).forEach(([name, rows]: [string, readonly unknown[]], t) => {
    parts.push(`${t ? ',' : ''}${JSON.stringify(name)}:[`);
    rows.forEach((row, i) => parts.push((i ? ',' : '') + JSON.stringify(row)));
    parts.push(']');
  });
  parts.push('}');
  return parts;
}

const checksumOf = (tables: BackupTables, formatVersion: number): Promise<string> =>
  formatVersion === 1 ? Promise.resolve(sha256Hex(canonicalJson(tables))) : backupChecksum(JSON.stringify(tables));

async function readTables(): Promise<BackupTables> {
  return db.transaction('r', [db.cases, db.audit, db.users, db.settings, db.printers, db.materials], async () => ({
    cases: (await db.cases.toArray()).map(storedCase),
    audit: await db.audit.toArray(),
    users: await db.users.toArray(),
    settings: (await db.settings.toArray()).filter((s) => !LOCAL_ONLY.has(s.key)),
    printers: await db.printers.toArray(),
    materials: await db.materials.toArray(),
  }));
}

/** The file to save: a Blob of the header and one string per row (hundreds of megabytes at lab scale, never one string). */
export type BackupFile = { blob: Blob; fileName: string; counts: Record<string, number> };

/** The whole database as one JSON file; with a passphrase, sealed again with a key derived from it. */
export async function exportBackup(passphrase: string | null, now: string = new Date().toISOString()): Promise<BackupFile> {
  const { actor } = requireUnlock();
  if (!actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can export a backup');
  if (passphrase !== null && passphrase.length < 12) throw new CommandRefused('A backup passphrase needs at least 12 characters');
  const tables = await readTables();
  const deviceKeyId = String((await db.settings.get(DEVICE_KEY_ID))?.value ?? '');
  const counts = Object.fromEntries(TABLES.map((t) => [t, tables[t].length]));
  const rows = new Blob(tablesJsonParts(tables));
  const header: Omit<PlainBackup, 'tables'> = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    appVersion: __APP_VERSION__,
    exportedAt: now,
    encrypted: false,
    exportedBy: actor.name,
    schemaVersion: db.verno,
    deviceKeyId,
    counts,
    checksum: await backupChecksum(rows),
  };
  // The rows follow the header, as written once above.
  let parts: BlobPart[] = [`${JSON.stringify(header).slice(0, -1)},"tables":`, rows, '}'];
  if (passphrase !== null) {
    const plain: PlainBackup = { ...header, tables };
    const kdf = newKdfParams();
    const { kek } = await deriveSecretKeys(passphrase, kdf);
    const sealed = await encryptJson(plain, kek, BACKUP_FORMAT);
    parts = [JSON.stringify({ format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, appVersion: __APP_VERSION__, exportedAt: now, encrypted: true, kdf, sealed })];
  }
  await writeLab(entrySigner(requireUnlock()), now, () => ({
    events: [{ kind: 'backup-exported', summary: `Backup exported by ${actor.name}: ${counts.cases} cases${passphrase ? ', passphrase-protected' : ''}` }],
    write: () => durableDb.settings.put({ key: LAST_BACKUP, value: now }),
  }));
  return { blob: new Blob(parts), fileName: `printpath-backup-${now.slice(0, 10)}.json`, counts };
}


// A refusal names the place in words a person knows, never a schema path or zod's English.
const ROW_WORDS: Record<string, [row: string, table: string]> = {
  cases: ['case', 'the list of cases'],
  audit: ['audit entry', 'the audit trail'],
  users: ['person', 'the list of people'],
  settings: ['setting', 'the settings'],
  printers: ['printer', 'the list of printers'],
  materials: ['material', 'the list of materials'],
};
const FIELD_WORDS: Record<string, string> = {
  'kdf.iterations': 'key-stretching rounds',
  'kdf.salt': 'key-stretching salt',
  kdf: 'secret settings',
  sealed: 'sealed contents',
  clear: 'case details',
  auditHead: 'history',
  statusKey: 'status',
  seq: 'sequence number',
  at: 'time',
  body: 'details',
  chain: 'trail',
  hash: 'fingerprint',
  prevHash: 'link to the previous entry',
  verifier: 'secret check',
  wrappedDataKey: 'locked data key',
  wrappedSigningKey: 'locked signing key',
  publicKeyJwk: 'public key',
  active: 'active flag',
  counts: 'table counts',
  exportedAt: 'export time',
  exportedBy: 'exported-by name',
  schemaVersion: 'database version',
  deviceKeyId: 'tablet key name',
  tables: 'contents',
};
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
const fieldWords = (keys: string[]) => FIELD_WORDS[keys.slice(0, 2).join('.')] ?? FIELD_WORDS[keys[0]!] ?? words(keys[0]!);

/** The first schema problem as a clause: "audit entry 6 has a damaged field (actor name)". */
const issue = (e: { issues: readonly { path: PropertyKey[]; code?: string }[] }): string => {
  const first = e.issues[0];
  if (!first || first.path.length === 0) return 'it is not laid out like a Printpath backup';
  const [top, table, index, ...rest] = first.path;
  const keys = (path: readonly PropertyKey[]) => path.filter((k): k is string => typeof k === 'string');
  const weakKdf = (subject: string) => `${subject} uses fewer key-stretching rounds than this app allows (at least ${PBKDF2_ITERATIONS.toLocaleString('en-US')})`;
  if (top !== 'tables' || typeof table !== 'string' || !(table in ROW_WORDS)) {
    const fields = keys(first.path);
    if (fields.join('.') === 'kdf.iterations' && first.code === 'too_small') return weakKdf('its passphrase protection');
    return `its ${fields.length ? fieldWords(fields) : 'contents'} ${fields.length ? 'is' : 'are'} damaged`;
  }
  const [row, whole] = ROW_WORDS[table]!;
  if (typeof index !== 'number') return table === 'users' && first.code === 'too_small' ? 'it holds no people, so nothing in it could be opened' : `${whole} is damaged`;
  const fields = keys(rest);
  if (fields.length === 0) return `${row} ${index + 1} is damaged`;
  if (fields.join('.') === 'kdf.iterations' && first.code === 'too_small') return weakKdf(`${row} ${index + 1}`);
  return `${row} ${index + 1} has a damaged field (${fieldWords(fields)})`;
};

/** Reads and checks a whole backup file; throws BackupError saying what is wrong. Changes nothing. */
export async function readBackup(text: string, passphrase: string | null): Promise<PlainBackup> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError('This file is not a complete Printpath backup: it is damaged, truncated or not a backup at all.');
  }
  const envelope = backupEnvelope.safeParse(json);
  if (!envelope.success || envelope.data.format !== BACKUP_FORMAT) throw new BackupError('This file is not a Printpath backup.');
  if (envelope.data.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(`This backup was made by a newer version of Printpath (backup format ${envelope.data.formatVersion}). Update the app, then restore.`);
  }
  if (!READABLE_FORMATS.includes(envelope.data.formatVersion)) throw new BackupError(`Backup format ${envelope.data.formatVersion} is not one this version can read.`);

  if (envelope.data.encrypted) {
    const outer = encryptedBackup.safeParse(json);
    if (!outer.success) throw new BackupError(`The backup is damaged or was edited: ${issue(outer.error)}. Nothing was restored.`);
    if (!passphrase) throw new BackupError('This backup is protected by a passphrase: enter it to restore.');
    try {
      const { kek } = await deriveSecretKeys(passphrase, outer.data.kdf);
      json = await decryptJson(outer.data.sealed, kek, BACKUP_FORMAT);
    } catch (e) {
      if (e instanceof DecryptionError) throw new BackupError('Wrong passphrase for this backup (or the file was altered).');
      throw new BackupError('The backup is damaged and could not be opened.');
    }
  }

  const parsed = plainBackup.safeParse(json);
  if (!parsed.success) throw new BackupError(`The backup is damaged or was edited: ${issue(parsed.error)}. Nothing was restored.`);
  // Over the rows as written in the file, before parsing could drop anything.
  if ((await checksumOf((json as { tables: BackupTables }).tables, parsed.data.formatVersion)) !== parsed.data.checksum) {
    throw new BackupError('The backup was edited or damaged after it was made: its checksum does not match. Nothing was restored.');
  }
  // The schema checked the shape of every row; from here they are the database's rows.
  const b = parsed.data as unknown as PlainBackup;
  if (b.schemaVersion > db.verno) throw new BackupError(`This backup comes from a newer database (version ${b.schemaVersion}). Update the app, then restore.`);
  for (const t of TABLES) {
    if ((b.counts[t] ?? -1) !== b.tables[t].length) throw new BackupError(`The backup's counts do not match its contents (${t}). Nothing was restored.`);
  }
  checkUnique(b.tables);
  checkSettings(b.tables);
  verifyChains(b.tables);
  return b;
}

function checkUnique(t: BackupTables): void {
  const dup = (what: string, keys: string[]) => {
    if (new Set(keys).size !== keys.length) throw new BackupError(`The backup holds two ${what} with the same key: it was edited or damaged. Nothing was restored.`);
  };
  dup('cases', t.cases.map((r) => r.id));
  dup('case numbers', t.cases.map((r) => r.caseNumber));
  dup('people', t.users.map((u) => u.id));
  dup('people names', t.users.map((u) => u.name.toLowerCase()));
  dup('settings', t.settings.map((s) => s.key));
  dup('audit entries', t.audit.map((e) => `${e.chain}\u0000${e.seq}`));
  dup('printers', t.printers.map((p) => p.id));
  dup('materials', t.materials.map((m) => m.id));
}

function checkSettings(t: BackupTables): void {
  const value = (key: string) => t.settings.find((s) => s.key === key)?.value;
  if (value(DEVICE) !== undefined && !deviceSetting.safeParse(value(DEVICE)).success) throw new BackupError('The backup’s case-number counters are damaged. Nothing was restored.');
  if (value('labHead') !== undefined && !chainHeadSetting.safeParse(value('labHead')).success) throw new BackupError('The backup’s lab audit head is damaged. Nothing was restored.');
}

function chainsOf(audit: AuditEntry[]): Map<string, AuditEntry[]> {
  const chains = new Map<string, AuditEntry[]>();
  for (const e of [...audit].sort((a, b) => (a.chain < b.chain ? -1 : a.chain > b.chain ? 1 : a.seq - b.seq))) {
    chains.set(e.chain, [...(chains.get(e.chain) ?? []), e]);
  }
  return chains;
}

function verifyChains(t: BackupTables): void {
  const chains = chainsOf(t.audit as AuditEntry[]);
  for (const row of t.cases) {
    if (row.clear.id !== row.id) throw new BackupError(`Case ${row.caseNumber} is damaged (its id does not match). Nothing was restored.`);
    const v = verifyChain(chains.get(row.id) ?? [], row.auditHead as ChainHead);
    if (!v.ok) throw new BackupError(`The history of case ${row.caseNumber} does not verify (${v.reason}). Nothing was restored.`);
  }
  const labHead = t.settings.find((s) => s.key === 'labHead')?.value as ChainHead | undefined;
  const lab = verifyChain(chains.get(LAB_CHAIN) ?? [], labHead ?? null);
  if (!lab.ok) throw new BackupError(`The lab audit trail in the backup does not verify (${lab.reason}). Nothing was restored.`);
}

export type CaseDifference = { id: string; caseNumber: string; tablet: { revision: number; updatedAt: string }; backup: { revision: number; updatedAt: string } };
export type RestorePreview = {
  exportedAt: string;
  exportedBy: string;
  tabletIsEmpty: boolean;
  newCases: number;
  identicalCases: number;
  differing: CaseDifference[];
  newPeople: string[];
};

export async function previewRestore(b: PlainBackup): Promise<RestorePreview> {
  const tabletIsEmpty = (await db.users.count()) === 0;
  if (!tabletIsEmpty) {
    const localKey = (await db.settings.get(DEVICE_KEY_ID))?.value;
    if (localKey !== b.deviceKeyId) {
      throw new BackupError('This backup comes from another tablet: its cases are encrypted with that tablet’s key. Restore it on a new or wiped tablet (or on the tablet it came from).');
    }
  }
  const local = new Map((await db.cases.toArray()).map((r) => [r.id, storedCase(r)]));
  const localUsers = new Set((await db.users.toArray()).map((u) => u.id));
  const differing: CaseDifference[] = [];
  let newCases = 0;
  let identicalCases = 0;
  for (const row of b.tables.cases) {
    const mine = local.get(row.id);
    if (!mine) newCases++;
    else if (canonicalJson(mine) === canonicalJson(row)) identicalCases++;
    else differing.push({ id: row.id, caseNumber: row.caseNumber, tablet: { revision: mine.revision, updatedAt: mine.updatedAt }, backup: { revision: row.revision, updatedAt: row.updatedAt } });
  }
  return { exportedAt: b.exportedAt, exportedBy: b.exportedBy, tabletIsEmpty, newCases, identicalCases, differing, newPeople: b.tables.users.filter((u) => !localUsers.has(u.id)).map((u) => u.name) };
}

/** Per differing case: keep what is on the tablet, or take the backup's copy. */
export type RestoreChoices = Record<string, 'tablet' | 'backup'>;

/**
 * A new or wiped tablet takes the whole backup (people, settings, lab trail). A tablet
 * in use gains the backup's new cases, people and equipment, and for each differing
 * case what the admin chose; a case replaced by its backup copy keeps its tablet
 * history and gains an entry that holds the backup's.
 */
export async function applyRestore(b: PlainBackup, choices: RestoreChoices, now: string = new Date().toISOString()): Promise<RestorePreview> {
  const preview = await previewRestore(b);
  if (preview.tabletIsEmpty) {
    await guardStorage(() =>
      durableDb.transaction('rw', [durableDb.cases, durableDb.audit, durableDb.users, durableDb.settings, durableDb.printers, durableDb.materials], async () => {
        if ((await durableDb.users.count()) > 0) throw new BackupError('Someone set up this tablet while restoring: nothing was restored.');
        await durableDb.users.bulkAdd(b.tables.users);
        await durableDb.settings.bulkPut(b.tables.settings);
        await durableDb.audit.bulkAdd(b.tables.audit as AuditEntry[]);
        await durableDb.printers.bulkPut(b.tables.printers);
        await durableDb.materials.bulkPut(b.tables.materials);
        // The file's status index is not trusted, and the list's keys are not in it: both are derived at the
        // first sign-in (the PHI they need is sealed until then). Until then no case can be listed.
        await durableDb.cases.bulkAdd(b.tables.cases as CaseRow[]);
        await durableDb.settings.put({ key: INDEX_STALE, value: true });
      }),
    );
    return preview;
  }

  const unlocked = requireUnlock();
  const { actor, dataKey, searchKey } = unlocked;
  if (!actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can restore a backup');
  const missing = preview.differing.filter((d) => !choices[d.id]);
  if (missing.length) throw new CommandRefused(`Choose what to keep for ${missing.length} case${missing.length > 1 ? 's' : ''} that differ${missing.length > 1 ? '' : 's'} from the tablet.`);

  const backupRows = new Map(b.tables.cases.map((r) => [r.id, r]));
  const chains = chainsOf(b.tables.audit as AuditEntry[]);
  const local = new Map((await durableDb.cases.toArray()).map((r) => [r.id, r]));
  const taken = preview.differing.filter((d) => choices[d.id] === 'backup');
  const kept = preview.differing.filter((d) => choices[d.id] === 'tablet');

  // Every incoming case must open with this tablet's key, and its status index and list keys are derived here, not read from the file.
  const incoming = async (row: StoredCaseRow): Promise<CaseRow> => {
    try {
      const c = await fromRow(row as CaseRow, dataKey, { cached: false });
      await Promise.all((chains.get(row.id) ?? []).map((e) => decryptJson(e.body as Sealed, dataKey, row.id)));
      return { ...row, ...derivedKeys(c, searchKey) };
    } catch {
      throw new BackupError(`Case ${row.caseNumber} in the backup does not open with this tablet’s key: the file was altered. Nothing was restored.`);
    }
  };
  // Sealing is Web Crypto work: do it before the transaction opens.
  const replacements = await Promise.all(
    taken.map(async (d) => {
      const row = await incoming(backupRows.get(d.id)!);
      const mine = local.get(d.id)!;
      const revision = mine.revision + 1;
      const restored: CaseRow = { ...row, revision, updatedAt: now, clear: { ...row.clear, revision, updatedAt: now } };
      const event: CaseEvent & { restoredEntries: AuditEntry[] } = {
        id: crypto.randomUUID() as CaseEvent['id'],
        caseId: row.clear.id as CaseEvent['caseId'],
        at: now,
        actorId: actor.id,
        actorName: actor.name,
        type: 'restore',
        summary: `Replaced by its copy in the backup of ${b.exportedAt.slice(0, 16).replace('T', ' ')} UTC (backup revision ${row.revision}, tablet revision ${mine.revision}), chosen by ${actor.name}. The backup's history is kept in this entry.`,
        changes: [],
        restoredEntries: chains.get(d.id) ?? [],
      };
      const sealed: SealedCaseEntry = { event, command: null, caseHash: caseHash(await fromRow(restored, dataKey, { cached: false })) };
      const last = await lastEntry(d.id, durableDb);
      const entry = await signedEntry(last, { chain: d.id, at: now, kind: 'restore', body: await encryptJson(sealed, dataKey, d.id) }, entrySigner(unlocked));
      return { row: { ...restored, auditHead: chainHead(entry, d.id) } satisfies CaseRow, mine, entry, last };
    }),
  );
  const newRows = await Promise.all(b.tables.cases.filter((r) => !local.has(r.id)).map(incoming));
  const localNames = new Map((await durableDb.users.toArray()).map((u) => [u.name.toLowerCase(), u.id]));
  const clash = b.tables.users.find((u) => localNames.has(u.name.toLowerCase()) && localNames.get(u.name.toLowerCase()) !== u.id);
  if (clash) throw new BackupError(`The backup has a different person named ${clash.name} than this tablet. Nothing was restored.`);

  await writeLab(entrySigner(unlocked), now, () => ({
    events: [{
      kind: 'backup-restored',
      summary:
        `Backup of ${b.exportedAt.slice(0, 10)} restored by ${actor.name}: ${preview.newCases} new, ${preview.identicalCases} identical, ` +
        `${taken.length} replaced by the backup's copy${taken.length ? ` (${taken.map((d) => d.caseNumber).join(', ')})` : ''}, ` +
        `${kept.length} kept as on the tablet${kept.length ? ` (${kept.map((d) => d.caseNumber).join(', ')})` : ''}; ${preview.newPeople.length} people added`,
    }],
    write: async () => {
      for (const r of newRows) if (await durableDb.cases.get(r.id)) throw new BackupError('The tablet changed while restoring: nothing was restored. Try again.');
      await durableDb.cases.bulkAdd(newRows);
      await durableDb.audit.bulkAdd(newRows.flatMap((r) => chains.get(r.id) ?? []));
      for (const { row, mine, entry, last } of replacements) {
        const current = await durableDb.cases.get(row.id);
        if (current?.revision !== mine.revision || (await lastEntry(row.id, durableDb))?.hash !== last?.hash) throw new BackupError(`Case ${row.caseNumber} changed while restoring: nothing was restored. Try again.`);
        await durableDb.audit.add(entry);
        await durableDb.cases.put(row);
      }
      await mergeCaseCounters(b.tables.settings.find((s) => s.key === DEVICE)?.value as DeviceCounters | undefined);
      const localUsers = new Set((await durableDb.users.toArray()).map((u) => u.id));
      await durableDb.users.bulkAdd(b.tables.users.filter((u) => !localUsers.has(u.id)));
      for (const p of b.tables.printers) if (!(await durableDb.printers.get(p.id))) await durableDb.printers.add(p);
      for (const m of b.tables.materials) if (!(await durableDb.materials.get(m.id))) await durableDb.materials.add(m);
    },
  }));
  return preview;
}
