// Backup and restore. A backup is every table's rows as stored: PHI stays sealed
// with the device data key, and the people (with their wrapped keys) come along,
// so a restored tablet unlocks with the same secrets. The exporting admin signs it
// with their sign-off key (secret typed at export). Restore reads and checks the
// whole file before it changes anything: structure, versions, checksum, the
// signature against the file's own signed lab log, every person against that log,
// every audit chain; then, with the data key (the signed-in admin's, or on a wiped
// tablet that of an admin in the file, who types their secret), it proves that
// every case opens, every history entry is signed by its author, every stored case
// is what its signed history records and every sign-off verifies. Only then does it
// write all of it in one transaction or nothing. It never silently replaces a case
// that differs: the admin chooses, and the choice goes on the audit trail.
import { unwrapRing, type DataKey, type KeyRing } from '../crypto/key-ring';
import { chainHead, verifyChain, type AuditEntry, type ChainHead, type ChainVerification } from '../domain/audit-chain';
import { canonicalJson } from '../domain/canonical';
import type { Case, CaseEvent } from '../domain/case';
import { rowDisagreement, signingKeyOf, type LabEvent, type LabState } from '../domain/lab-log';
import { STAGES } from '../domain/stages';
import { decryptJsonBytes, encryptJson, sealJsonBytes, type Sealed } from '../crypto/field-cipher';
import { DecryptionError } from '../crypto/errors';
import { deriveSecretKeys, newKdfParams, PBKDF2_ITERATIONS, verifySecret } from '../crypto/secret-keys';
import { keyPairMatches, shortFingerprint, signText, verifyText } from '../crypto/signing-keys';
import { DEVICE_KEY_ID, signOffSigner } from './accounts';
import { fromRow } from './case-codec';
import { derivedKeys } from './case-encode';
import { lastEntry, openCaseEntry, signedHistory, unsignedByAuthor, type SealedCaseEntry } from './audit-repo';
import { checkLab, LAB_CHAIN, labProblem, mergedLogEntries, readLabTrust, writeLab } from './lab-log-repo';
import { entrySigner, signedEntry } from './signed-entries';
import { caseHash } from '../domain/case-hash';
import { recordProofFrom } from './record-proof';
import { caseHashNative, entryHashesHolding } from './native-hashes';
import { sha256Native } from '../crypto/sha256';
import { verifyPool } from '../crypto/verify-pool';
import { verifyCaseSignatures } from './signature-checks';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, READABLE_FORMATS, UNSIGNED_FORMATS, backupEnvelope, backupSigningText, chainHeadSetting, deviceSetting, securitySetting, encryptedBackup, plainBackup, type BackupHeader, type BackupTables, type PlainBackup } from './backup-format';
import { appendEntries, db, durableDb, FILES_STALE, INDEX_STALE, type CaseRow, type FileChunkRow, type StoredCaseRow } from './database';
import { storedCase } from './stored-case';
import { readBackupRows } from './read-backup-rows';
import { base64ToBytes, utf8Decode, utf8Encode } from '../crypto/encoding';
import { chunkCount, openFile } from '../crypto/file-cipher';
import { filesOf } from '../domain/model-files';
import type { BackupChunkRow } from './backup-format';
import { SYNC_STATE } from './sync-state';
import { CommandRefused, guardStorage } from './errors';
import { LAST_BACKUP } from './settings-repo';
import { SEARCH_KEY, searchKeyOpens } from './search-key';
import { requireUnlock } from './vault';

export class BackupError extends Error {
  override name = 'BackupError';
}

const TABLES = ['cases', 'audit', 'users', 'settings', 'printers', 'materials'] as const;
/** Settings that describe this tablet's own state, never taken from a backup onto a tablet in use. */
// This device's own: its lab-server credential never goes into a backup.
const LOCAL_ONLY = new Set([LAST_BACKUP, SYNC_STATE]);

const DEVICE = 'device';
const SECURITY = 'security';
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
 * The checksum over a backup's rows, as a restore checks it: SHA-256 of the rows' JSON exactly
 * as the file holds it (backup-rows.ts hashes it as it writes), which JSON.parse then
 * JSON.stringify gives back unchanged. Anyone can recompute it: the signature over it is what authenticates.
 */
export const backupChecksum = (tablesJson: string | Uint8Array<ArrayBuffer>): Promise<string> => sha256Native(tablesJson);

/**
 * The rows' bytes where exportBackup wrote them: after the header as JSON.stringify writes it, up
 * to the closing brace. Null for a file laid out otherwise (it is then checked as JSON.stringify
 * writes its rows again, which is the checksum's definition; this only spares writing 300 MB again).
 */
function rowsAsWritten(bytes: Uint8Array<ArrayBuffer>, json: Record<string, unknown>): Uint8Array<ArrayBuffer> | null {
  const { tables: _, ...header } = json;
  const prefix = utf8Encode(`${JSON.stringify(header).slice(0, -1)},"tables":`);
  if (bytes.length <= prefix.length || bytes[bytes.length - 1] !== 0x7d) return null;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return null;
  return bytes.subarray(prefix.length, bytes.length - 1);
}

const chunkFromFile = ({ iv, ct, ...rest }: BackupChunkRow): FileChunkRow => ({ ...rest, iv: base64ToBytes(iv), ct: base64ToBytes(ct) });

/** The file to save: a Blob of the header and the rows' Blob (hundreds of megabytes at lab scale, never one string). */
export type BackupFile = { blob: Blob; fileName: string; counts: Record<string, number>; casesElsewhere: number; modelFiles: 'included' | 'left-out' };

/** Model files are left out unless the admin chooses them: they can be far larger than everything else together. */
export type ExportOptions = { modelFiles?: boolean };

/**
 * The whole database as one JSON file, signed by the exporting admin with their sign-off
 * key (`adminSecret`, typed now, opens it); with a passphrase, sealed again with a key derived from it.
 */
export async function exportBackup(passphrase: string | null, adminSecret: string, now: string = new Date().toISOString(), { modelFiles = false }: ExportOptions = {}): Promise<BackupFile> {
  const unlocked = requireUnlock();
  const { actor } = unlocked;
  if (!actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can export a backup');
  if (passphrase !== null && passphrase.length < 12) throw new CommandRefused('A backup passphrase needs at least 12 characters');
  if (!adminSecret) throw new CommandRefused('Type your own PIN or passphrase to sign this backup');
  const signer = await signOffSigner(unlocked, adminSecret, now, 'signing a backup');
  const registered = (await db.users.get(actor.id))?.signingKeys.find((k) => k.fingerprint === signer.keyId);
  if (!signer.key || !registered || !(await keyPairMatches(signer.key, registered.publicKeyJwk))) {
    throw new CommandRefused('Your sign-off key on this tablet does not match your registered key: the backup cannot be signed. A lab admin must reset your secret.');
  }
  const { rows, checksum, counts, elsewhere } = await readBackupRows({
    dbName: db.name,
    modelFiles,
    now: new Date().toISOString(),
    syncStateKey: SYNC_STATE,
    localSettings: [...LOCAL_ONLY],
  });
  const deviceKeyId = String((await db.settings.get(DEVICE_KEY_ID))?.value ?? '');
  const files = modelFiles ? 'included' : 'left-out';
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    appVersion: __APP_VERSION__,
    exportedAt: now,
    encrypted: false,
    exportedBy: actor.name,
    schemaVersion: db.verno,
    deviceKeyId,
    counts,
    modelFiles: files,
    checksum,
  };
  const by = { signerId: actor.id, keyFingerprint: signer.keyId };
  const signed = { ...header, signature: { ...by, value: await signText(signer.key, backupSigningText(header, by)) } };
  // The rows follow the header, as written once above: the whole is the plain backup's JSON.
  let file = new Blob([`${JSON.stringify(signed).slice(0, -1)},"tables":`, rows, '}']);
  if (passphrase !== null) {
    const kdf = newKdfParams();
    const { kek } = await deriveSecretKeys(passphrase, kdf);
    const sealed = await sealJsonBytes(new Uint8Array(await file.arrayBuffer()), kek, BACKUP_FORMAT);
    file = new Blob([JSON.stringify({ format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, appVersion: __APP_VERSION__, exportedAt: now, encrypted: true, kdf, sealed })]);
  }
  await writeLab(entrySigner(unlocked), now, () => ({
    events: [{ kind: 'backup-exported', summary: `Backup exported and signed by ${actor.name}: ${counts.cases} cases, model files ${modelFiles ? 'included' : 'left out'}${passphrase ? ', passphrase-protected' : ''}` }],
    write: () => durableDb.settings.put({ key: LAST_BACKUP, value: now }),
  }));
  return { blob: file, fileName: `printpath-backup-${now.slice(0, 10)}.json`, counts, casesElsewhere: elsewhere, modelFiles: files };
}


// A refusal names the place in words a person knows, never a schema path or zod's English.
const ROW_WORDS: Record<string, [row: string, table: string]> = {
  cases: ['case', 'the list of cases'],
  audit: ['audit entry', 'the audit trail'],
  users: ['person', 'the list of people'],
  settings: ['setting', 'the settings'],
  printers: ['printer', 'the list of printers'],
  materials: ['material', 'the list of materials'],
  fileChunks: ['model file part', 'the model files'],
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
  wrappedEpochKeys: 'locked later data keys',
  agreementKey: 'key-agreement key',
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

/** What reading a file established, kept beside it: only a file read and checked here can be previewed or restored. */
type CheckedFile = {
  /** The file's own signed lab log, folded. */
  lab: LabState;
  root: string;
  signer: { id: string; name: string; keyFingerprint: string };
  /** Audit entries by chain, in order. */
  chains: Map<string, AuditEntry[]>;
  /** Each case's chain, its links checked against its stored head. */
  links: Map<string, Extract<ChainVerification, { ok: true }>>;
};
const checkedFiles = new WeakMap<PlainBackup, CheckedFile>();

function checkedFile(b: PlainBackup): CheckedFile {
  const file = checkedFiles.get(b);
  if (!file) throw new BackupError('Check the backup file first: nothing was restored.');
  return file;
}

const NOTHING = 'Nothing was restored.';

const parsedJson = (bytes: Uint8Array): unknown => {
  try {
    return JSON.parse(utf8Decode(bytes));
  } catch {
    throw new BackupError('This file is not a complete Printpath backup: it is damaged, truncated or not a backup at all.');
  }
};

/** Reads and checks a whole backup file (the file, or its text); throws BackupError saying what is wrong. Changes nothing. The checksum is over its bytes. */
export async function readBackup(file: Blob | string, passphrase: string | null): Promise<PlainBackup> {
  let bytes = typeof file === 'string' ? utf8Encode(file) : new Uint8Array(await file.arrayBuffer());
  let json = parsedJson(bytes);
  const envelope = backupEnvelope.safeParse(json);
  if (!envelope.success || envelope.data.format !== BACKUP_FORMAT) throw new BackupError('This file is not a Printpath backup.');
  const version = envelope.data.formatVersion;
  if (version > BACKUP_FORMAT_VERSION) {
    throw new BackupError(`This backup was made by a newer version of Printpath (backup format ${version}). Update the app, then restore.`);
  }
  if (UNSIGNED_FORMATS.includes(version)) {
    throw new BackupError(`This backup was made before Printpath signed its backups (backup format ${version}), so it cannot be proven unedited and this version does not restore it. ${NOTHING}`);
  }
  if (!READABLE_FORMATS.includes(version)) throw new BackupError(`Backup format ${version} is not one this version can read.`);

  if (envelope.data.encrypted) {
    const outer = encryptedBackup.safeParse(json);
    if (!outer.success) throw new BackupError(`The backup is damaged or was edited: ${issue(outer.error)}. ${NOTHING}`);
    if (!passphrase) throw new BackupError('This backup is protected by a passphrase: enter it to restore.');
    try {
      const { kek } = await deriveSecretKeys(passphrase, outer.data.kdf);
      bytes = await decryptJsonBytes(outer.data.sealed, kek, BACKUP_FORMAT);
    } catch (e) {
      if (e instanceof DecryptionError) throw new BackupError('Wrong passphrase for this backup (or the file was altered).');
      throw new BackupError('The backup is damaged and could not be opened.');
    }
    json = parsedJson(bytes);
  }

  const parsed = plainBackup.safeParse(json);
  if (!parsed.success) throw new BackupError(`The backup is damaged or was edited: ${issue(parsed.error)}. ${NOTHING}`);
  if (parsed.data.formatVersion !== version) throw new BackupError(`The backup is damaged or was edited: its format version is given twice, differently. ${NOTHING}`);
  // Over the rows as written in the file, before parsing could drop anything.
  const written = rowsAsWritten(bytes, json as Record<string, unknown>);
  const matches = async (rows: string | Uint8Array<ArrayBuffer>) => (await backupChecksum(rows)) === parsed.data.checksum;
  if (!(written && (await matches(written))) && !(await matches(JSON.stringify((json as { tables: BackupTables }).tables)))) {
    throw new BackupError(`The backup was edited or damaged after it was made: its checksum does not match. ${NOTHING}`);
  }
  // The schema checked the shape of every row; from here they are the database's rows.
  const b = parsed.data as unknown as PlainBackup;
  if (b.schemaVersion > db.verno) throw new BackupError(`This backup comes from a newer database (version ${b.schemaVersion}). Update the app, then restore.`);
  for (const t of TABLES) {
    if ((b.counts[t] ?? -1) !== b.tables[t].length) throw new BackupError(`The backup's counts do not match its contents (${t}). ${NOTHING}`);
  }
  if ((b.counts.fileChunks ?? 0) !== (b.tables.fileChunks?.length ?? 0) || (b.tables.fileChunks && b.modelFiles !== 'included')) {
    throw new BackupError(`The backup's counts do not match its contents (model files). ${NOTHING}`);
  }
  checkUnique(b.tables);
  checkSettings(b.tables);
  const chains = chainsOf(b.tables.audit);
  const links = verifyChains(b.tables, chains, await hashesHolding(b.tables.audit));
  const lab = await fileLab(b.tables, chains);
  const signer = await checkSignature(b, lab);
  checkPolicy(b.tables, lab);
  for (const u of b.tables.users) {
    const differs = rowDisagreement(u, lab.members.get(u.id));
    if (differs) throw new BackupError(`${u.name} in the backup does not agree with its signed lab log (${differs}): the file was edited. ${NOTHING}`);
  }
  checkedFiles.set(b, { lab, root: lab.root!, signer, chains, links });
  return b;
}

function checkUnique(t: BackupTables): void {
  const dup = (what: string, keys: string[]) => {
    if (new Set(keys).size !== keys.length) throw new BackupError(`The backup holds two ${what} with the same key: it was edited or damaged. ${NOTHING}`);
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
  if (value(DEVICE) !== undefined && !deviceSetting.safeParse(value(DEVICE)).success) throw new BackupError(`The backup’s case-number counters are damaged. ${NOTHING}`);
  if (value('labHead') !== undefined && !chainHeadSetting.safeParse(value('labHead')).success) throw new BackupError(`The backup’s lab audit head is damaged. ${NOTHING}`);
  if (value(SECURITY) !== undefined && !securitySetting.safeParse(value(SECURITY)).success) throw new BackupError(`The backup’s security policy is damaged. ${NOTHING}`);
}

/** The policy in the settings is the one the file's lab log last signed (a tablet from before the signed log may have one it never signed). */
function checkPolicy(t: BackupTables, lab: LabState): void {
  const stored = t.settings.find((s) => s.key === SECURITY)?.value;
  if (lab.policy !== undefined && canonicalJson(stored ?? null) !== canonicalJson(lab.policy)) {
    throw new BackupError(`The backup’s security policy is not the one its lab log records: it was edited. ${NOTHING}`);
  }
}

function chainsOf(audit: readonly AuditEntry[]): Map<string, AuditEntry[]> {
  const chains = new Map<string, AuditEntry[]>();
  for (const e of audit) {
    const list = chains.get(e.chain);
    if (list) list.push(e);
    else chains.set(e.chain, [e]);
  }
  for (const list of chains.values()) list.sort((a, b) => a.seq - b.seq);
  return chains;
}

/** Each entry's hash where it is entryHash of the entry, else null: checked in the pool's workers. */
async function hashesHolding(entries: readonly AuditEntry[]): Promise<Map<AuditEntry, string | null>> {
  const pool = verifyPool();
  try {
    return await entryHashesHolding(entries, pool.hashIs);
  } finally {
    pool.close();
  }
}

function verifyChains(t: BackupTables, chains: Map<string, AuditEntry[]>, hashes: Map<AuditEntry, string | null>): CheckedFile['links'] {
  const links: CheckedFile['links'] = new Map();
  for (const row of t.cases) {
    if (row.clear.id !== row.id) throw new BackupError(`Case ${row.caseNumber} is damaged (its id does not match). ${NOTHING}`);
    const entries = chains.get(row.id) ?? [];
    const v = verifyChain(entries, row.auditHead, entries.map((e) => hashes.get(e) ?? null));
    if (!v.ok) throw new BackupError(`The history of case ${row.caseNumber} does not verify (${v.reason}). ${NOTHING}`);
    links.set(row.id, v);
  }
  const labHead = t.settings.find((s) => s.key === 'labHead')?.value as ChainHead | undefined;
  const labEntries = chains.get(LAB_CHAIN) ?? [];
  const lab = verifyChain(labEntries, labHead ?? null, labEntries.map((e) => hashes.get(e) ?? null));
  if (!lab.ok) throw new BackupError(`The lab audit trail in the backup does not verify (${lab.reason}). ${NOTHING}`);
  const cases = new Set(t.cases.map((r) => r.id));
  if ([...chains.keys()].some((chain) => chain !== LAB_CHAIN && !cases.has(chain))) {
    throw new BackupError(`The backup holds history entries of a case that is not in it: it was edited or damaged. ${NOTHING}`);
  }
  return links;
}

/** The file's own lab log, every signature checked: the root of who the file's people are and which keys they hold. */
async function fileLab(t: BackupTables, chains: Map<string, AuditEntry[]>): Promise<LabState> {
  const head = t.settings.find((s) => s.key === 'labHead')?.value as ChainHead | undefined;
  const trust = await checkLab((chains.get(LAB_CHAIN) ?? []) as AuditEntry<LabEvent>[], head ?? null, true, mergedLogEntries(t.settings));
  const problem = labProblem(trust);
  if (problem) throw new BackupError(`${problem.replace(/^The lab log/, 'The backup’s lab log').replace(/\.$/, '')}. ${NOTHING}`);
  if (trust.state.root === null) throw new BackupError(`The backup has no signed lab log, so nobody in it can be trusted. ${NOTHING}`);
  return trust.state;
}

/** The exporting admin's signature over the header and the checksum, with their sign-off key on the file's own lab log. */
async function checkSignature(b: PlainBackup, lab: LabState): Promise<CheckedFile['signer']> {
  const { signerId, keyFingerprint, value } = b.signature;
  const signer = lab.members.get(signerId);
  if (!signer) throw new BackupError(`The backup is signed by someone who is not on its signed lab log: it was not made by this lab’s Printpath. ${NOTHING}`);
  const key = signingKeyOf(signer, keyFingerprint);
  if (!key) throw new BackupError(`The backup is signed with a key its lab log does not register for ${signer.name}: it was edited. ${NOTHING}`);
  const { signature: _signature, tables: _tables, ...header } = b;
  if (!(await verifyText(key, backupSigningText(header, { signerId, keyFingerprint }), value))) {
    throw new BackupError(`The backup’s signature does not verify: the file was edited after ${signer.name} made it. ${NOTHING}`);
  }
  if (!signer.active || !signer.roles.includes('admin')) throw new BackupError(`The backup is signed by ${signer.name}, who is not an active lab admin on its lab log. ${NOTHING}`);
  return { id: signer.id, name: signer.name, keyFingerprint };
}

/** Signatures a restore checks, counted and checked as it goes. */
export type RestoreProgress = { done: number; total: number };

const PROOF_BATCH = 250; // cases whose checks run at once: about 4,500 signatures at lab scale, in chunks across the pool

/** Current sign-offs of a case as stored (they are not PHI). */
const signOffs = (row: StoredCaseRow) => STAGES.filter((s) => row.clear.stages[s.id]?.signature).length;

/**
 * Proves, with the data key, that every case of the file opens, that its history opens,
 * is signed by its authors' keys on the file's lab log and anchored where it predates
 * that log, that the stored case is what its last signed entry records, and that every
 * current sign-off verifies. Batches of cases run concurrently. Returns the cases opened.
 */
async function proveCases(b: PlainBackup, file: CheckedFile, dataKey: DataKey, onProgress?: (p: RestoreProgress) => void): Promise<Map<string, Case>> {
  const entriesOf = (id: string) => file.chains.get(id) ?? [];
  const weight = (row: StoredCaseRow) => entriesOf(row.id).filter((e) => e.v === 2).length + signOffs(row);
  const total = b.tables.cases.reduce((n, row) => n + weight(row), 0);
  const searchKey = b.tables.settings.find((s) => s.key === SEARCH_KEY)?.value;
  if (searchKey !== undefined && !(await searchKeyOpens(searchKey, dataKey))) {
    throw new BackupError(`The backup’s search key does not open with the lab’s data key: the file was altered. ${NOTHING}`);
  }
  let done = 0;
  onProgress?.({ done, total });
  const opened = new Map<string, Case>();
  const pool = verifyPool({ dataKey });
  const proveOne = async (row: StoredCaseRow): Promise<void> => {
    const n = row.caseNumber;
    const entries = entriesOf(row.id);
    const last = entries.at(-1);
    // Every entry must open; only the last one's content is read (what it records of the case).
    const [c, earlierOpen, lastOpened, unsigned] = await Promise.all([
      fromRow(row as CaseRow, dataKey, { cached: false }).catch(() => null),
      Promise.all(entries.slice(0, -1).map((e) => pool.opens(e.body as Sealed, row.id))),
      last ? openCaseEntry(last, row.id, dataKey).catch(() => null) : undefined,
      unsignedByAuthor(entries, file.lab, pool.verify),
    ]);
    if (!c) throw new BackupError(`Case ${n} in the backup does not open with the lab’s data key: the file was altered. ${NOTHING}`);
    if (earlierOpen.includes(false) || lastOpened === null) throw new BackupError(`The history of case ${n} in the backup does not open with the lab’s data key: the file was altered. ${NOTHING}`);
    const history = signedHistory(row.id, entries, file.links.get(row.id)!, unsigned, file.lab);
    if (!history.ok) throw new BackupError(`The history of case ${n} in the backup does not verify (${history.reason}). ${NOTHING}`);
    // Every entry's hash and link were checked against the row's head when the file was read (file.links), every
    // signature just now (unsigned), every entry opened: the last one is not hashed, verified or opened a second time.
    const record = recordProofFrom(row, last, {
      hashChecked: file.links.has(row.id),
      signed: !!last && !unsigned.includes(last.seq),
      recorded: lastOpened?.caseHash ?? null,
      actual: await caseHashNative(c),
    });
    const { verdicts } = await verifyCaseSignatures(c, file.lab, pool.verify);
    if (record === 'not-head') throw new BackupError(`Case ${n} in the backup does not match the last entry of its history: the file was altered. ${NOTHING}`);
    if (record === 'not-signed') throw new BackupError(`The last entry of the history of case ${n} in the backup is not signed by its author’s key on the backup’s lab log. ${NOTHING}`);
    if (record === 'changed') throw new BackupError(`Case ${n} in the backup was changed outside Printpath: it no longer matches what its signed history records. ${NOTHING}`);
    const bad = STAGES.find((s) => verdicts[s.id] && verdicts[s.id]!.check !== 'verified');
    if (bad) {
      const why = verdicts[bad.id]!.text.replace(/^Does not (verify|count): /, '').replace(/\.$/, '');
      throw new BackupError(`The ${bad.title.toLowerCase()} sign-off of case ${n} in the backup does not verify on the backup’s lab log (${why}). ${NOTHING}`);
    }
    opened.set(row.id, c);
  };
  try {
    for (let i = 0; i < b.tables.cases.length; i += PROOF_BATCH) {
      const batch = b.tables.cases.slice(i, i + PROOF_BATCH);
      // Every check of the batch settles; the first refusal in the file's order is the one named.
      const refused = (await Promise.allSettled(batch.map(proveOne))).find((r) => r.status === 'rejected');
      if (refused) throw refused.reason;
      done += batch.reduce((n, row) => n + weight(row), 0);
      onProgress?.({ done, total });
    }
  } finally {
    pool.close();
  }
  return opened;
}

/**
 * The model file chunks to restore: only those of files the file's cases name, under that
 * case; each file whose chunks are all there must open and match its SHA-256 (a file still
 * arriving on the exporting device comes as far as it had).
 */
async function proveFiles(b: PlainBackup, opened: Map<string, Case>, dataKey: DataKey): Promise<FileChunkRow[]> {
  if (!b.tables.fileChunks?.length) return [];
  const byFile = new Map<string, BackupChunkRow[]>();
  for (const c of b.tables.fileChunks) byFile.set(c.fileId, [...(byFile.get(c.fileId) ?? []), c]);
  const out: FileChunkRow[] = [];
  for (const c of opened.values()) {
    for (const ref of filesOf(c)) {
      const chunks = (byFile.get(ref.id) ?? []).filter((x) => x.caseId === c.id && x.index < chunkCount(ref.size)).map(chunkFromFile).sort((x, y) => x.index - y.index);
      if (chunks.length === chunkCount(ref.size)) {
        try {
          await openFile(chunks, dataKey, ref.id, ref);
        } catch {
          throw new BackupError(`Model file ${ref.name} of case ${c.caseNumber} in the backup does not open or is not the file its case names: the file was edited or damaged. ${NOTHING}`);
        }
      }
      out.push(...chunks);
    }
  }
  return out;
}

/** On a wiped tablet: the data key, from the file's copy of it for an admin in the file, opened with their secret. */
async function fileDataKey(b: PlainBackup, file: CheckedFile, admin: RestoringAdmin | undefined): Promise<KeyRing> {
  if (!admin) throw new BackupError('Choose a lab admin in the backup and type their secret: the backup’s cases open only with it. Nothing was restored.');
  const row = b.tables.users.find((u) => u.id === admin.id);
  const member = file.lab.members.get(admin.id);
  if (!row || !member?.active || !member.roles.includes('admin')) throw new BackupError(`Only a lab admin who is active in the backup can restore it onto a wiped tablet. ${NOTHING}`);
  const { ok, kek } = await verifySecret(admin.secret, row.kdf, row.verifier).catch(() => ({ ok: false, kek: null }));
  if (!ok || !kek) throw new BackupError(`Wrong secret for ${row.name} in this backup. ${NOTHING}`);
  try {
    return await unwrapRing(row, kek);
  } catch {
    throw new BackupError(`${row.name}’s copy of the lab’s data key in the backup does not open: the file was altered. ${NOTHING}`);
  }
}

/** On a tablet in use: the file must come from this lab's log, and know its people as this tablet's log does. */
async function checkSameLab(file: CheckedFile): Promise<void> {
  const mine = (await readLabTrust()).state;
  if (mine.root !== file.root) {
    throw new BackupError(
      `This backup comes from another lab log (root key ${shortFingerprint(file.root)}; this tablet’s is ${mine.root ? shortFingerprint(mine.root) : 'unknown'}): restore it onto a wiped tablet instead. ${NOTHING}`,
    );
  }
  const strangers = [...file.lab.members.values()].filter((m) => !mine.members.has(m.id)).map((m) => m.name);
  if (strangers.length) {
    throw new BackupError(`The backup has people this tablet’s lab log does not know (${strangers.join(', ')}): they cannot be merged into a tablet in use, so restore the backup onto a wiped tablet instead. ${NOTHING}`);
  }
  const known = (keys: readonly { x: string; y: string }[], of: readonly { x: string; y: string }[]) => keys.every((k) => of.some((o) => o.x === k.x && o.y === k.y));
  const differ = [...file.lab.members.values()].find((m) => {
    const t = mine.members.get(m.id)!;
    return !known(m.signingKeys, t.signingKeys) || !known(m.entryKeys, t.entryKeys) || m.heldRoles.some((r) => !t.heldRoles.includes(r));
  });
  if (differ) {
    throw new BackupError(`The backup records keys or roles of ${differ.name} that this tablet’s lab log does not: its cases would not verify here, so restore the backup onto a wiped tablet instead. ${NOTHING}`);
  }
}

export type CaseDifference = { id: string; caseNumber: string; tablet: { revision: number; updatedAt: string }; backup: { revision: number; updatedAt: string } };
export type RestorePreview = {
  exportedAt: string;
  exportedBy: string;
  /** Who signed the file, as its lab log names them, and the fingerprint of the key. */
  signedBy: { name: string; keyFingerprint: string };
  /** Fingerprint of the root key of the file's lab log. */
  labRoot: string;
  /** Active lab admins in the file: on a wiped tablet one of them types their secret to restore. */
  admins: { id: string; name: string }[];
  tabletIsEmpty: boolean;
  newCases: number;
  identicalCases: number;
  differing: CaseDifference[];
  newPeople: string[];
  /** Whether the file holds model files: 'unknown' for a file made before model files existed (it holds none). */
  modelFiles: 'included' | 'left-out' | 'unknown';
};

export async function previewRestore(b: PlainBackup): Promise<RestorePreview> {
  const file = checkedFile(b);
  const tabletIsEmpty = (await db.users.count()) === 0;
  if (!tabletIsEmpty) {
    const localKey = (await db.settings.get(DEVICE_KEY_ID))?.value;
    if (localKey !== b.deviceKeyId) {
      throw new BackupError('This backup comes from another tablet: its cases are encrypted with that tablet’s key. Restore it on a new or wiped tablet (or on the tablet it came from).');
    }
    await checkSameLab(file);
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
  const admins = b.tables.users.filter((u) => file.lab.members.get(u.id)?.active && file.lab.members.get(u.id)?.roles.includes('admin')).map((u) => ({ id: u.id, name: u.name }));
  return {
    exportedAt: b.exportedAt,
    exportedBy: b.exportedBy,
    signedBy: { name: file.signer.name, keyFingerprint: file.signer.keyFingerprint },
    labRoot: file.root,
    admins,
    tabletIsEmpty,
    newCases,
    identicalCases,
    differing,
    newPeople: b.tables.users.filter((u) => !localUsers.has(u.id)).map((u) => u.name),
    modelFiles: b.modelFiles ?? 'unknown',
  };
}

/** Per differing case: keep what is on the tablet, or take the backup's copy. */
export type RestoreChoices = Record<string, 'tablet' | 'backup'>;

/** On a wiped tablet: the admin in the file whose secret opens its data key. */
export type RestoringAdmin = { id: string; secret: string };

export type RestoreOptions = { now?: string; admin?: RestoringAdmin; onProgress?: (p: RestoreProgress) => void };

/**
 * A new or wiped tablet takes the whole backup (people, settings, lab trail). A tablet
 * in use gains the backup's new cases and equipment, and for each differing case what
 * the admin chose; a case replaced by its backup copy keeps its tablet history and
 * gains an entry that holds the backup's. Either way every case of the file is proven
 * first (proveCases); a refusal leaves the tablet as it was.
 */
export async function applyRestore(b: PlainBackup, choices: RestoreChoices, { now = new Date().toISOString(), admin, onProgress }: RestoreOptions = {}): Promise<RestorePreview> {
  const file = checkedFile(b);
  const preview = await previewRestore(b);
  if (preview.tabletIsEmpty) {
    const key = await fileDataKey(b, file, admin);
    const chunks = await proveFiles(b, await proveCases(b, file, key, onProgress), key);
    await guardStorage(() =>
      durableDb.transaction('rw', [durableDb.cases, durableDb.audit, durableDb.outbox, durableDb.users, durableDb.settings, durableDb.printers, durableDb.materials, durableDb.fileChunks], async () => {
        if ((await durableDb.users.count()) > 0) throw new BackupError('Someone set up this tablet while restoring: nothing was restored.');
        await durableDb.users.bulkAdd(b.tables.users);
        await durableDb.settings.bulkPut(b.tables.settings.filter((s) => !LOCAL_ONLY.has(s.key)));
        await appendEntries(durableDb, b.tables.audit as AuditEntry[]);
        await durableDb.printers.bulkPut(b.tables.printers);
        await durableDb.materials.bulkPut(b.tables.materials);
        // The file's status index is not trusted, and the list's keys are not in it: both are derived at the
        // first sign-in (the PHI they need is sealed until then). Until then no case can be listed.
        await durableDb.cases.bulkAdd(b.tables.cases as CaseRow[]);
        await durableDb.fileChunks.bulkPut(chunks);
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

  const opened = await proveCases(b, file, dataKey, onProgress);
  const chunks = await proveFiles(b, opened, dataKey);
  const backupRows = new Map(b.tables.cases.map((r) => [r.id, r]));
  const local = new Map((await durableDb.cases.toArray()).map((r) => [r.id, r]));
  const taken = preview.differing.filter((d) => choices[d.id] === 'backup');
  const kept = preview.differing.filter((d) => choices[d.id] === 'tablet');

  // Its status index and list keys are derived here, not read from the file.
  const incoming = (row: StoredCaseRow): CaseRow => ({ ...row, ...derivedKeys(opened.get(row.id)!, searchKey) });
  // Sealing is Web Crypto work: do it before the transaction opens.
  const replacements = await Promise.all(
    taken.map(async (d) => {
      const row = incoming(backupRows.get(d.id)!);
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
        restoredEntries: file.chains.get(d.id) ?? [],
      };
      const sealed: SealedCaseEntry = { event, command: null, caseHash: caseHash(await fromRow(restored, dataKey, { cached: false })) };
      const last = await lastEntry(d.id, durableDb);
      const entry = await signedEntry(last, { chain: d.id, at: now, kind: 'restore', body: await encryptJson(sealed, dataKey, d.id) }, entrySigner(unlocked));
      return { row: { ...restored, auditHead: chainHead(entry, d.id) } satisfies CaseRow, mine, entry, last };
    }),
  );
  const newRows = b.tables.cases.filter((r) => !local.has(r.id)).map(incoming);
  const localNames = new Map((await durableDb.users.toArray()).map((u) => [u.name.toLowerCase(), u.id]));
  const clash = b.tables.users.find((u) => localNames.has(u.name.toLowerCase()) && localNames.get(u.name.toLowerCase()) !== u.id);
  if (clash) throw new BackupError(`The backup has a different person named ${clash.name} than this tablet. ${NOTHING}`);
  // A person the tablet has no row for comes only as this tablet's lab log knows them (checkSameLab: everyone in the file is on it).
  const tabletLab = (await readLabTrust()).state;
  const addable = b.tables.users.filter((u) => rowDisagreement(u, tabletLab.members.get(u.id)) === null);

  await writeLab(entrySigner(unlocked), now, () => ({
    events: [{
      kind: 'backup-restored',
      summary:
        `Backup of ${b.exportedAt.slice(0, 10)} signed by ${file.signer.name} restored by ${actor.name}: ${preview.newCases} new, ${preview.identicalCases} identical, ` +
        `${taken.length} replaced by the backup's copy${taken.length ? ` (${taken.map((d) => d.caseNumber).join(', ')})` : ''}, ` +
        `${kept.length} kept as on the tablet${kept.length ? ` (${kept.map((d) => d.caseNumber).join(', ')})` : ''}; ${preview.newPeople.length} people added`,
    }],
    write: async () => {
      for (const r of newRows) if (await durableDb.cases.get(r.id)) throw new BackupError('The tablet changed while restoring: nothing was restored. Try again.');
      await durableDb.cases.bulkAdd(newRows);
      await appendEntries(durableDb, newRows.flatMap((r) => file.chains.get(r.id) ?? []));
      for (const { row, mine, entry, last } of replacements) {
        const current = await durableDb.cases.get(row.id);
        if (current?.revision !== mine.revision || (await lastEntry(row.id, durableDb))?.hash !== last?.hash) throw new BackupError(`Case ${row.caseNumber} changed while restoring: nothing was restored. Try again.`);
        await appendEntries(durableDb, [entry]);
        await durableDb.cases.put(row);
      }
      await mergeCaseCounters(b.tables.settings.find((s) => s.key === DEVICE)?.value as DeviceCounters | undefined);
      const localUsers = new Set((await durableDb.users.toArray()).map((u) => u.id));
      await durableDb.users.bulkAdd(addable.filter((u) => !localUsers.has(u.id)));
      for (const p of b.tables.printers) if (!(await durableDb.printers.get(p.id))) await durableDb.printers.add(p);
      for (const m of b.tables.materials) if (!(await durableDb.materials.get(m.id))) await durableDb.materials.add(m);
      // Chunks are sealed and addressed by file id and index: one the tablet already has is the same chunk.
      const have = new Set((await durableDb.fileChunks.toCollection().primaryKeys()).map(([id, i]) => `${id}/${i}`));
      await durableDb.fileChunks.bulkAdd(chunks.filter((c) => !have.has(`${c.fileId}/${c.index}`)));
      // Which model files travel to or from the lab server is derived again from the cases (sync/file-transfer.ts).
      await durableDb.settings.put({ key: FILES_STALE, value: true });
    },
  }));
  return preview;
}
