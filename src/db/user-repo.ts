// The people on this tablet as the lock screen and admin page see them: no secret
// material leaves this module. Each row is checked against the signed lab log; a
// row that disagrees (edited in storage) says so and is not trusted. This module loads
// after the lock screen's first paint (src/queries/user-queries.ts), the log's checks with it.
import { isJoining } from './sync-state';
import type { Role } from '../domain/case';
import { rowDisagreement } from '../domain/lab-log';
import { db } from './database';
import { labProblem, readLabTrust } from './lab-log-repo';

export type PublicUser = {
  id: string;
  name: string;
  roles: Role[];
  active: boolean;
  demo: boolean;
  lockedUntil: string | null;
  keyFingerprint: string;
  /** Why this person's entry does not verify against the signed lab log; null when it does. */
  problem: string | null;
};

export async function listUsers(): Promise<PublicUser[]> {
  // A device still taking the lab's records shows nobody yet: its join screen says how far it is.
  if (await isJoining(db)) return [];
  const [rows, lab] = await Promise.all([db.users.toArray(), readLabTrust()]);
  // A tablet upgraded from before the signed log has none until a lab admin signs in.
  const legacy = lab.state.root === null && !lab.entries.some((e) => e.v === 2);
  const logProblem = legacy ? null : labProblem(lab);
  return rows
    .map((u) => {
      const member = lab.state.members.get(u.id);
      return {
        id: u.id,
        name: u.name,
        roles: member?.roles ?? u.roles,
        active: u.active,
        demo: member?.demo ?? Boolean(u.demo),
        lockedUntil: u.lockedUntil,
        keyFingerprint: u.signingKeys.at(-1)?.fingerprint ?? '',
        problem: legacy ? null : (logProblem ?? rowDisagreement(u, member)),
      };
    })
    .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
}

/** The lab's root key fingerprint (hex), or null before the signed log starts. */
export async function labRoot(): Promise<string | null> {
  return (await readLabTrust()).state.root;
}

/**
 * When an admin reset this person's secret and they have not chosen their own since,
 * who did it and when: the admin knows the secret until the person changes it.
 */
export async function secretResetBy(userId: string): Promise<{ by: string; at: string } | null> {
  const { entries } = await readLabTrust();
  const last = entries.filter((e) => e.body?.subjectId === userId && ['secret-reset', 'secret-changed', 'user-added'].includes(e.kind)).at(-1);
  return last?.kind === 'secret-reset' && last.actorId !== userId ? { by: last.actorName, at: last.at } : null;
}
