// Reading every case for a lab-wide export (the de-identified registry CSV). Goes
// through the same row codec as the case page; the PHI is opened in memory only,
// for the mapping to drop it. Lab admins only: an export covers the whole lab.
import type { Case } from '../domain/case';
import { fromRow } from './case-codec';
import { db } from './database';
import { CommandRefused } from './errors';
import { requireUnlock } from './vault';

export async function readAllCasesForExport(): Promise<Case[]> {
  const { actor, dataKey } = requireUnlock();
  if (!actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can export the lab’s cases.');
  const rows = await db.cases.toArray();
  return Promise.all(rows.map((row) => fromRow(row, dataKey)));
}
