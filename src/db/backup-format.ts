// The backup file, version 3: every table's rows exactly as stored (PHI stays
// sealed with the device data key, which only the people in the file can
// unwrap), a header with versions, time and counts, a checksum over the rows, and
// the exporting admin's signature (their sign-off key) over the header and the
// checksum, so a file edited by hand is refused even when its checksum was
// recomputed. With a passphrase, the whole file is sealed again with a key derived
// from it. One zod schema reads both.
import { canonicalJson } from '../domain/canonical';
import { z } from '../domain/zod';
import { PBKDF2_ITERATIONS } from '../crypto/secret-keys';
import type { AuditRow, FileChunkRow, MaterialRow, PrinterRow, SettingRow, StoredCaseRow, UserRow } from './database';

export const BACKUP_FORMAT = 'printpath-backup';
export const BACKUP_FORMAT_VERSION = 3;
/**
 * 1: the checksum hashed a canonical serialization of the rows; 2: the rows' JSON as written;
 * 3: 2 signed. Files of 1 and 2 anyone could have edited and checksummed again: they are refused.
 */
export const READABLE_FORMATS = [3];
export const UNSIGNED_FORMATS = [1, 2];

const sealed = z.object({ v: z.literal(1), iv: z.string().min(1), ct: z.string().min(1) });
const wrappedKey = z.object({ iv: z.string().min(1), data: z.string().min(1) });
// No fewer rounds than this app ever writes (a weakened file is refused), and an upper
// bound: a forged file must not freeze the tablet for hours.
const kdf = z.object({ salt: z.string().min(1), iterations: z.number().int().min(PBKDF2_ITERATIONS).max(10_000_000), hash: z.literal('SHA-256') });
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const head = z.object({ seq: z.number().int().min(0), hash: hex64, chain: z.string().optional() });

const caseRow = z.object({
  id: z.string().min(1),
  caseNumber: z.string().min(1),
  dateNeeded: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  statusKey: z.string().min(1),
  updatedAt: isoTime,
  revision: z.number().int().min(1),
  clear: z.looseObject({
    id: z.string(),
    caseNumber: z.string(),
    revision: z.number().int(),
    order: z.looseObject({ dateNeeded: z.string() }),
    deliverables: z.array(z.looseObject({ id: z.string(), kind: z.enum(['model', 'guide']) })),
    stages: z.looseObject({ imaging: z.looseObject({}), segmenting: z.looseObject({}), printing: z.looseObject({}), delivery: z.looseObject({}) }),
  }),
  sealed,
  auditHead: head,
});

const auditRow = z.object({
  chain: z.string().min(1),
  seq: z.number().int().min(1),
  at: isoTime,
  actorId: z.string(),
  actorName: z.string(),
  kind: z.string().min(1),
  body: z.unknown(),
  prevHash: hex64,
  hash: hex64,
  v: z.literal(2).optional(),
  id: z.string().optional(),
  parents: z.array(hex64).optional(),
  hlc: z.string().optional(),
  keyId: z.string().optional(),
  sig: z.string().optional(),
});

const keyRow = z.object({ fingerprint: z.string().min(1), publicKeyJwk: z.looseObject({ kty: z.literal('EC'), crv: z.literal('P-256') }), createdAt: isoTime });

const userRow = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.enum(['technician', 'radiologist', 'admin'])).min(1),
  createdAt: isoTime,
  active: z.boolean(),
  kdf,
  verifier: z.string().min(1),
  wrappedDataKey: wrappedKey,
  wrappedEpochKeys: z.record(z.string().regex(/^(1|\d+-[0-9a-f]+)$/), wrappedKey).optional(),
  firstEpoch: z.string().regex(/^0-[0-9a-f]+$/).optional(),
  agreementKey: z.object({ publicKey: z.string().min(1).max(400), wrapped: wrappedKey }).optional(),
  wrappedSigningKey: wrappedKey,
  signingKeys: z.array(keyRow).min(1),
  wrappedEntryKey: wrappedKey.optional(),
  entryKeys: z.array(keyRow).optional(),
  failedAttempts: z.number().int().min(0),
  lockedUntil: isoTime.nullable(),
  demo: z.boolean().optional(),
});

// A sealed chunk of a model file, its IV and ciphertext in base64 (only when the admin chose to include model files).
const fileChunkRow = z.object({ fileId: z.string().min(1), index: z.number().int().min(0), caseId: z.string().min(1), v: z.literal(1), iv: z.string().min(1), ct: z.string().min(1), k: z.string().min(1).optional() });

const printerQaEntry = z.object({ id: z.string().min(1), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), what: z.string(), result: z.enum(['pass', 'fail']), intervalDays: z.number().int().min(1), by: z.string(), byName: z.string(), at: isoTime });
const printerRow = z.object({ id: z.string(), label: z.string(), maker: z.string(), model: z.string(), technology: z.string(), retired: z.boolean(), qaLog: z.array(printerQaEntry).optional() });
const materialRow = z.object({ id: z.string(), name: z.string(), colour: z.string(), biocompatible: z.boolean(), sterilizable: z.boolean(), lot: z.string(), lots: z.array(z.object({ lot: z.string(), expires: z.string() })).optional(), retired: z.boolean() });

/** Settings the restore reads itself: their shape is checked like any row. */
export const deviceSetting = z.object({ code: z.string().min(1), counters: z.record(z.string(), z.number().int().min(0)) });
export const chainHeadSetting = head;
export const securitySetting = z.object({
  secret: z.object({ kind: z.enum(['pin', 'passphrase']), minLength: z.number().int().min(1).max(200) }),
  idleMinutes: z.number().int().min(1).max(60),
  maxFailedAttempts: z.number().int().min(1).max(1000),
  lockoutMinutes: z.number().int().min(1).max(100_000),
});

export const backupTables = z.object({
  cases: z.array(caseRow),
  audit: z.array(auditRow),
  users: z.array(userRow).min(1, 'The backup holds no people, so nothing in it could be opened'),
  settings: z.array(z.object({ key: z.string().min(1), value: z.unknown() })),
  printers: z.array(printerRow),
  materials: z.array(materialRow),
  fileChunks: z.array(fileChunkRow).optional(),
});

const header = {
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.number().int(),
  appVersion: z.string(),
  exportedAt: isoTime,
};

export const plainBackup = z.object({
  ...header,
  encrypted: z.literal(false),
  exportedBy: z.string(),
  schemaVersion: z.number().int().min(1),
  deviceKeyId: z.string().min(1),
  counts: z.record(z.string(), z.number().int().min(0)),
  /** Whether the admin chose to include model files; absent from files made before files existed. */
  modelFiles: z.enum(['included', 'left-out']).optional(),
  checksum: hex64,
  signature: z.object({ signerId: z.string().min(1), keyFingerprint: hex64, value: z.string().min(1) }),
  tables: backupTables,
});

export const encryptedBackup = z.object({ ...header, encrypted: z.literal(true), kdf, sealed });

export const backupEnvelope = z.object({ format: z.string(), formatVersion: z.number(), encrypted: z.boolean() });

/** The rows as the database types them; the schemas above check a file has that shape. */
export type BackupTables = {
  cases: StoredCaseRow[];
  audit: AuditRow[];
  users: UserRow[];
  settings: SettingRow[];
  printers: PrinterRow[];
  materials: MaterialRow[];
  fileChunks?: BackupChunkRow[];
};

/** A model file chunk as a backup holds it: as stored, with its bytes in base64. */
export type BackupChunkRow = Omit<FileChunkRow, 'iv' | 'ct'> & { iv: string; ct: string };
export type PlainBackup = Omit<z.infer<typeof plainBackup>, 'tables'> & { tables: BackupTables };

export type BackupHeader = Omit<PlainBackup, 'tables' | 'signature'>;

/** What the exporting admin signs: every header field (the checksum covers the rows), who signs and with which key. */
export const backupSigningText = (h: BackupHeader, signer: { signerId: string; keyFingerprint: string }): string =>
  `printpath/v3/backup\u0000${canonicalJson({
    format: h.format,
    formatVersion: h.formatVersion,
    appVersion: h.appVersion,
    exportedAt: h.exportedAt,
    encrypted: h.encrypted,
    exportedBy: h.exportedBy,
    schemaVersion: h.schemaVersion,
    deviceKeyId: h.deviceKeyId,
    counts: h.counts,
    // Absent (and so not in the text) on files made before model files existed.
    modelFiles: h.modelFiles,
    checksum: h.checksum,
    signerId: signer.signerId,
    keyFingerprint: signer.keyFingerprint,
  })}`;
