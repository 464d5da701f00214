// Loads realistic demo cases (and demo people) so a first-time user sees the
// product working. Uses the same generator as the tests and benchmarks.
import type { Role } from '../domain/case';
import { generateCase, seededRng } from '../domain/demo-cases';
import { toRow } from './case-mapper';
import { db, type UserRow } from './database';
import { guardStorage } from './errors';
import { toActor } from './user-repo';
import { nextCaseNumber } from './settings-repo';

async function ensureUser(name: string, roles: Role[], now: string): Promise<UserRow> {
  const existing = await db.users.where('name').equals(name).first();
  if (existing) return existing;
  const row: UserRow = { id: crypto.randomUUID(), name, roles, createdAt: now, active: true };
  await db.users.add(row);
  return row;
}

/** Adds `count` demo cases spread over every stage; returns how many were added. */
export async function loadDemoCases(count: number, now: Date = new Date(), seed = 2019): Promise<number> {
  const rng = seededRng(seed);
  const iso = now.toISOString();
  return guardStorage(() =>
    db.transaction('rw', db.cases, db.events, db.users, db.settings, async () => {
      const technician = toActor(await ensureUser('Alex Morgan', ['technician'], iso));
      const radiologist = toActor(await ensureUser('Dr. Priya Raman', ['radiologist'], iso));
      for (let i = 0; i < count; i++) {
        const openedAt = new Date(now.getTime() - (7 + Math.floor(rng() * 40)) * 86_400_000).toISOString();
        const g = generateCase(rng, {
          index: i,
          openedAt,
          technician,
          radiologist,
          progress: i % 6,
          newId: () => crypto.randomUUID(),
          caseNumber: await nextCaseNumber(openedAt.slice(0, 4)),
        });
        await db.cases.add(toRow(g.case));
        await db.events.bulkAdd(g.events.map((e, n) => ({ ...e, revision: n + 1 })));
      }
      return count;
    }),
  );
}
