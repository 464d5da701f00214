// The people on this tablet as the lock screen and admin page see them: no
// secret material leaves this module.
import type { Role } from '../domain/case';
import { db } from './database';

export type PublicUser = { id: string; name: string; roles: Role[]; active: boolean; lockedUntil: string | null; keyFingerprint: string; demo: boolean };

export async function listUsers(): Promise<PublicUser[]> {
  const rows = await db.users.toArray();
  return rows
    .map((u) => ({ id: u.id, name: u.name, roles: u.roles, active: u.active, lockedUntil: u.lockedUntil, keyFingerprint: u.signingKeys.at(-1)?.fingerprint ?? '', demo: u.demo === true }))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
}
