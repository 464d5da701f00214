// Backup files as tests handle them: the admin who restores one onto a wiped tablet,
// and files edited by hand, with the checksum recomputed and, for an insider, the
// file signed again with their own sign-off key.
import { backupChecksum } from '../../src/db/backup';
import { backupSigningText, type BackupHeader, type PlainBackup } from '../../src/db/backup-format';
import type { UserRow } from '../../src/db/database';
import { deriveSecretKeys } from '../../src/crypto/secret-keys';
import { signText, unwrapSigningKey } from '../../src/crypto/signing-keys';
import { ADMIN, TEST_PIN } from './render-app';

/** The person of a backup who restores it onto a wiped tablet, with their secret. */
export const adminIn = (b: Pick<PlainBackup, 'tables'>, name = ADMIN, secret = TEST_PIN) => ({ id: b.tables.users.find((u) => u.name === name)!.id, secret });

/** A backup file as plain JSON, to edit. */
export type FileJson = PlainBackup & Record<string, unknown>;

/** Recomputes the checksum over the (edited) rows: what anyone can do. */
export async function rechecksum(f: FileJson): Promise<FileJson> {
  f.checksum = await backupChecksum(JSON.stringify(f.tables));
  return f;
}

/** Signs the file again with `signer`'s own sign-off key (their secret opens it): what an insider can do. */
export async function resign(f: FileJson, signer: UserRow, secret = TEST_PIN): Promise<FileJson> {
  const { kek } = await deriveSecretKeys(secret, signer.kdf);
  const key = await unwrapSigningKey(signer.wrappedSigningKey, kek);
  const by = { signerId: signer.id, keyFingerprint: signer.signingKeys.at(-1)!.fingerprint };
  const { signature: _s, tables: _t, ...header } = f;
  f.signature = { ...by, value: await signText(key, backupSigningText(header as BackupHeader, by)) };
  return f;
}

/** Recomputes the counts and checksum and signs again as `signer`. */
export async function forge(f: FileJson, signer: UserRow, secret = TEST_PIN): Promise<string> {
  f.counts = Object.fromEntries(Object.entries(f.tables).map(([t, rows]) => [t, (rows as unknown[]).length]));
  return JSON.stringify(await resign(await rechecksum(f), signer, secret));
}
