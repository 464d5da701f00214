// Device identity, case-number counters, the CPT code table and the security policy.
import { DEFAULT_PIN_POLICY, type SecretPolicy } from '../crypto/secret-keys';
import { activeDb, db, type PrintpathDb } from './database';

const DEVICE = 'device';
const SECURITY = 'security';

type DeviceSetting = { code: string; counters: Record<string, number> };

function newDeviceCode(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  return Array.from(bytes, (b) => letters[b % letters.length]).join('');
}

export type CaseNumberClaim = { year: string; seq: number; number: string; device: DeviceSetting };

/**
 * The next human-readable case number, unique across tablets: year, this device's
 * random code, and a per-year sequence. Read outside a transaction; `claimCaseNumber`
 * inside the writing transaction fails if another write took it meanwhile.
 */
export async function peekCaseNumber(year: string): Promise<CaseNumberClaim> {
  const row = await db.settings.get(DEVICE);
  const device = (row?.value as DeviceSetting | undefined) ?? { code: newDeviceCode(), counters: {} };
  const seq = (device.counters[year] ?? 0) + 1;
  return { year, seq, number: `PP-${year}-${device.code}-${String(seq).padStart(4, '0')}`, device };
}

/** Inside a transaction of `store` including settings; false when the number was taken meanwhile. */
export async function claimCaseNumber(claim: CaseNumberClaim, store: PrintpathDb = activeDb(db)): Promise<boolean> {
  const row = await store.settings.get(DEVICE);
  const current = row?.value as DeviceSetting | undefined;
  if ((current?.counters[claim.year] ?? 0) !== claim.seq - 1 || (current && current.code !== claim.device.code)) return false;
  const device = current ?? claim.device;
  await store.settings.put({ key: DEVICE, value: { ...device, counters: { ...device.counters, [claim.year]: claim.seq } } });
  return true;
}

export type SecurityPolicy = {
  secret: SecretPolicy;
  idleMinutes: number;
  maxFailedAttempts: number;
  lockoutMinutes: number;
};

export const DEFAULT_SECURITY_POLICY: SecurityPolicy = { secret: DEFAULT_PIN_POLICY, idleMinutes: 5, maxFailedAttempts: 5, lockoutMinutes: 5 };

export async function getSecurityPolicy(): Promise<SecurityPolicy> {
  const row = await db.settings.get(SECURITY);
  return { ...DEFAULT_SECURITY_POLICY, ...(row?.value as Partial<SecurityPolicy> | undefined) };
}

/** Inside a transaction of `store` including settings. */
export async function putSecurityPolicy(policy: SecurityPolicy, store: PrintpathDb = activeDb(db)): Promise<void> {
  await store.settings.put({ key: SECURITY, value: policy });
}

const BACKUP = 'backupPolicy';
export type BackupPolicy = { remindAfterDays: number };
export const DEFAULT_BACKUP_POLICY: BackupPolicy = { remindAfterDays: 7 };

export async function getBackupPolicy(): Promise<BackupPolicy> {
  return { ...DEFAULT_BACKUP_POLICY, ...((await db.settings.get(BACKUP))?.value as Partial<BackupPolicy> | undefined) };
}

export async function saveBackupPolicy(policy: BackupPolicy): Promise<void> {
  if (!(Number.isInteger(policy.remindAfterDays) && policy.remindAfterDays >= 1 && policy.remindAfterDays <= 90)) throw new Error('Remind after 1 to 90 days');
  await db.settings.put({ key: BACKUP, value: policy });
}

export const LAST_BACKUP = 'lastBackupAt';

export async function lastBackupAt(): Promise<string | null> {
  return ((await db.settings.get(LAST_BACKUP))?.value as string | undefined) ?? null;
}
