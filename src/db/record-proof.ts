// The stored case against the last entry of its history: that entry must be the
// stored head, signed by its author's key on the lab log, and record a hash of
// exactly this case. The case page checks it on every opening (case-view-repo.ts), and
// a restore proves it for every case of a backup before it writes anything.
import type { DataKey } from '../crypto/key-ring';
import { entryHash, type AuditEntry } from '../domain/audit-chain';
import type { Case } from '../domain/case';
import { caseHash } from '../domain/case-hash';
import { entryKeyOf, type LabState } from '../domain/lab-log';
import { openCaseEntry } from './audit-repo';
import type { StoredCaseRow } from './database';
import { entrySignatureValid } from './signed-entries';

/**
 * verified; legacy: last changed before the signed log; not-head: the record and its history's last entry disagree;
 * not-signed: that entry is not signed by its author's key on the log; changed: the record is not the case it records.
 */
export type RecordProof = 'verified' | 'legacy' | 'not-head' | 'not-signed' | 'changed';

/** `last`: the entry the row's head names (undefined when there is none). */
export async function proveRecord(row: Pick<StoredCaseRow, 'id' | 'auditHead'>, c: Case, last: AuditEntry | undefined, dataKey: DataKey, lab: LabState): Promise<RecordProof> {
  if (!last || row.auditHead.seq < 1 || last.seq !== row.auditHead.seq || last.hash !== row.auditHead.hash || entryHash(last) !== last.hash) return 'not-head';
  if (last.v !== 2) return 'legacy';
  const author = lab.members.get(last.actorId);
  if (!(await entrySignatureValid(last, author && entryKeyOf(author, last.keyId ?? '')))) return 'not-signed';
  const recorded = await openCaseEntry(last, row.id, dataKey).then((e) => e.caseHash).catch(() => null);
  return recorded === caseHash(c) ? 'verified' : 'changed';
}
