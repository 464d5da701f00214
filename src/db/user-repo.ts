// The people who use this tablet. Each has their own entry (no shared "lab"
// account); secrets and re-authentication come with the sign-off work.
import type { Actor } from '../domain/case';
import { asUserId } from '../domain/ids';
import { db, type UserRow } from './database';

export const toActor = (u: UserRow): Actor => ({ id: asUserId(u.id), name: u.name, roles: u.roles });

export async function listUsers(): Promise<UserRow[]> {
  return (await db.users.toArray()).filter((u) => u.active).sort((a, b) => a.name.localeCompare(b.name));
}
