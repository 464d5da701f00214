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
  if (!namesHead(row, last) || entryHash(last) !== last.hash) return 'not-head';
  if (last.v !== 2) return 'legacy';
  const author = lab.members.get(last.actorId);
  const signed = await entrySignatureValid(last, author && entryKeyOf(author, last.keyId ?? ''));
  const recorded = signed ? await openCaseEntry(last, row.id, dataKey).then((e) => e.caseHash).catch(() => null) : null;
  return recordProofFrom(row, last, { hashChecked: true, signed, recorded, actual: caseHash(c) });
}

const namesHead = (row: Pick<StoredCaseRow, 'auditHead'>, last: AuditEntry | undefined): last is AuditEntry =>
  !!last && row.auditHead.seq >= 1 && last.seq === row.auditHead.seq && last.hash === row.auditHead.hash;

/**
 * The same proof from what the caller established of `last` already: a restore has checked
 * every entry's hash and link (verifyChain against the row's head), checked every signature and
 * opened every entry, so it neither hashes, verifies nor decrypts the last one a second time.
 */
export function recordProofFrom(
  row: Pick<StoredCaseRow, 'auditHead'>,
  last: AuditEntry | undefined,
  facts: { hashChecked: boolean; signed: boolean; recorded: string | null; /** caseHash of the case the row opens to. */ actual: string },
): RecordProof {
  if (!namesHead(row, last) || !facts.hashChecked) return 'not-head';
  if (last.v !== 2) return 'legacy';
  if (!facts.signed) return 'not-signed';
  return facts.recorded === facts.actual ? 'verified' : 'changed';
}
