// Adding people to this tablet (loaded with the user form, not the case list).
import type { Role } from '../domain/case';
import { newUserSchema, type NewUserInput } from '../domain/user-input';
import { db, type UserRow } from './database';
import { CommandRefused, guardStorage } from './errors';

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
