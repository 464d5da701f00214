// The people who use this tablet. Each has their own entry (no shared "lab"
// account); secrets and re-authentication come with the sign-off work.
import { z } from 'zod';
import type { Actor, Role } from '../domain/case';
import { asUserId } from '../domain/ids';
import { db, type UserRow } from './database';
import { CommandRefused, guardStorage } from './errors';

export const newUserSchema = z.object({
  name: z.string().trim().min(2, 'Enter the name as it should print on signatures').max(80, 'At most 80 characters'),
  roles: z.array(z.enum(['technician', 'radiologist', 'admin'])).min(1, 'Choose at least one role'),
});
export type NewUserInput = z.infer<typeof newUserSchema>;

export const toActor = (u: UserRow): Actor => ({ id: asUserId(u.id), name: u.name, roles: u.roles });

export async function listUsers(): Promise<UserRow[]> {
  return (await db.users.toArray()).filter((u) => u.active).sort((a, b) => a.name.localeCompare(b.name));
}

export async function addUser(input: NewUserInput, now: string): Promise<UserRow> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new CommandRefused(parsed.error.issues[0]!.message);
  const row: UserRow = { id: crypto.randomUUID(), name: parsed.data.name, roles: parsed.data.roles as Role[], createdAt: now, active: true };
  return guardStorage(() =>
    db.transaction('rw', db.users, async () => {
      const clash = await db.users.where('name').equalsIgnoreCase(row.name).first();
      if (clash?.active) throw new CommandRefused(`${row.name} already has an entry on this tablet`);
      await db.users.add(row);
      return row;
    }),
  );
}
