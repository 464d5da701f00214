// Tablet-level helpers for the backup, fuzz, model and upgrade tests: wipe the
// tablet, switch the signed-in person, and read every case the way the app shows it.
import { db } from '../../src/db/database';
import { getCase, type CaseWithHistory } from '../../src/db/case-view-repo';
import { signIn as unlock } from '../../src/db/accounts';
import { indexingSettled } from '../../src/db/derived-index';
import { currentUnlock } from '../../src/db/vault';
import { canonicalJson } from '../../src/domain/canonical';
import type { Actor } from '../../src/domain/case';
import { asCaseId } from '../../src/domain/ids';
import { resetDatabase, TEST_PIN } from './render-app';

/** Lock, delete the database, open it empty: a new or wiped tablet. */
export async function wipeTablet(): Promise<void> {
  await resetDatabase();
}

/** Signs `name` in with `secret` (default TEST_PIN), unless they are the one signed in already (`force` signs in anyway); waits for the cases' keys rebuilt behind the list. */
export async function signInAs(name: string, { force = false, secret = TEST_PIN }: { force?: boolean; secret?: string } = {}): Promise<Actor> {
  const current = currentUnlock();
  if (!force && current?.actor.name === name) return current.actor;
  const user = await db.users.where('name').equals(name).first();
  if (!user) throw new Error(`No one called ${name} on this tablet`);
  const { actor } = await unlock(user.id, secret);
  await indexingSettled();
  return actor;
}

/** What the app shows of one case, as plain data (the distrusted set as a sorted list). */
export type CaseView = Omit<CaseWithHistory, 'distrusted'> & { distrusted: string[] };

export const viewOf = (c: CaseWithHistory): CaseView => ({ ...c, distrusted: [...c.distrusted].sort() });

/** Every case on the tablet by id, read through getCase (needs someone signed in). */
export async function readAllCases(): Promise<Map<string, CaseView>> {
  const ids = (await db.cases.toCollection().primaryKeys()).sort();
  const out = new Map<string, CaseView>();
  for (const id of ids) out.set(id, viewOf((await getCase(asCaseId(id)))!));
  return out;
}

/** readAllCases as one canonical string: equal exactly when every case, history and check is. */
export const canonicalCases = async () => canonicalJson(Object.fromEntries(await readAllCases()));
