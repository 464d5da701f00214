// The sign-off queue: one key range of the `signoffSort` index per signer role, already
// in queue order (list-index.ts queueKeys): counting reads no row, listing reads only
// the rows it shows (queue-list-repo.ts, loaded with the queue screen).
import type { Role } from '../domain/case';
import { queueRange } from '../domain/list-index';
import { db } from './database';
import { requireUnlock } from './vault';

export const waiting = (role: Role) => {
  const { lower, upper } = queueRange(role);
  return db.cases.where('signoffSort').between(lower, upper, true, false);
};

/** How many cases wait for a signer with this role: counted in the index. */
export async function countQueue(role: Role): Promise<number> {
  requireUnlock();
  return waiting(role).count();
}

