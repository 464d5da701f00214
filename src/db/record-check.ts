// The stored case against its signed history (record-proof.ts), as the screen words it, for
// the case page and for every write: a write on a record that does not verify would sign
// whatever was put in storage as if Printpath had made it, so it is refused.
import type { DataKey } from '../crypto/key-ring';
import type { AuditEntry } from '../domain/audit-chain';
import type { Case } from '../domain/case';
import type { LabState } from '../domain/lab-log';
import { db, type CaseRow } from './database';
import { proveRecord, type RecordProof } from './record-proof';
import { currentUnlock, subscribeVault } from './vault';
import { BoundedMap } from '../domain/bounded-map';

/** A check as the screen and the PDF word it. */
export type Check = { state: 'verified' | 'legacy' | 'failed'; text: string };

const RECORD_CHECKS: Record<RecordProof, Check> = {
  verified: { state: 'verified', text: 'The stored case matches what its signed history records.' },
  legacy: { state: 'legacy', text: 'Made before the signed log: this case was last changed before entries were signed, so its stored record is checked against its signed history only from its next change.' },
  'not-head': { state: 'failed', text: 'Does not verify: the stored case does not match the last entry of its history (the record or its history was altered).' },
  'not-signed': { state: 'failed', text: 'Does not verify: the last entry of its history is not signed by its author’s key on the lab log.' },
  changed: { state: 'failed', text: 'Does not verify: the stored case was changed outside Printpath and no longer matches what its signed history records.' },
};

// A record proved once is not proved again while nothing it rests on has changed: the exact stored row (its
// clear part, its sealed PHI, its head), the exact entry its head names, the lab log it was checked against (a
// new log entry makes another LabState) and the key that opened it. Anything different, and it is proved again.
const PROVED_SIZE = 300;
let proved: { lab: LabState; dataKey: DataKey; byCase: BoundedMap<string, string> } | null = null;
subscribeVault(() => (proved = null));

/** The stored case against the last entry of its history (record-proof.ts). `tail`: the chain's last entry, if read. */
export async function checkRecord(row: CaseRow, c: Case, tail: AuditEntry | null, dataKey: DataKey, lab: LabState): Promise<Check> {
  const last = row.auditHead.seq < 1 ? undefined : tail?.seq === row.auditHead.seq ? tail : await db.audit.get([row.id, row.auditHead.seq]);
  const exact = JSON.stringify([row, last ?? null]);
  if (proved?.lab === lab && proved.dataKey === dataKey && proved.byCase.get(row.id) === exact) return RECORD_CHECKS.verified;
  const proof = await proveRecord(row, c, last, dataKey, lab);
  if (proof === 'verified') remember(row.id, dataKey, lab, exact);
  return RECORD_CHECKS[proof];
}

/** A row and entry a write has just made (it hashed that case and signed that entry): the next write or opening need not prove them again. */
export function rememberWritten(row: CaseRow, entry: AuditEntry, dataKey: DataKey, lab: LabState): void {
  remember(row.id, dataKey, lab, JSON.stringify([row, entry]));
}

function remember(caseId: string, dataKey: DataKey, lab: LabState, exact: string): void {
  if (currentUnlock()?.dataKey !== dataKey) return;
  if (proved?.lab !== lab || proved.dataKey !== dataKey) proved = { lab, dataKey, byCase: new BoundedMap(PROVED_SIZE) };
  proved.byCase.set(caseId, exact);
}

