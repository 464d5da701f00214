// One case as its page shows it: decrypted, its stored record checked against its
// signed history, its sign-offs against the signed lab log, and (read apart, for the
// history and billing tabs) its history with every entry's signature. Loaded when a
// case is opened, not with the case list.
import type { DataKey } from '../crypto/key-ring';
import type { AuditEntry, ChainVerification } from '../domain/audit-chain';
import type { Case, CaseEvent, StageId } from '../domain/case';
import type { CaseId } from '../domain/ids';
import type { LabState } from '../domain/lab-log';
import type { Distrusted } from '../domain/workflow';
import { caseHistoryEntries, holdsHistory, lastEntry, openCaseHistory } from './audit-repo';
import { fromRow } from './case-codec';
import { db, type CaseRow } from './database';
import { labProblem, readLabTrust } from './lab-log-repo';
import { proveRecord, type RecordProof } from './record-proof';
import { verifyCaseSignatures, type SignatureCheck, type SignatureVerdict } from './signature-checks';
import { currentUnlock, requireUnlock, subscribeVault } from './vault';
import { holdingOf, readSyncState } from './sync-state';

/** A check as the screen and the PDF word it. */
export type Check = { state: 'verified' | 'legacy' | 'failed'; text: string };

/** A case as its page shows it first. */
export type CaseView = {
  case: Case;
  /** Each current signature checked with its signer's key on the signed lab log. */
  signatures: Partial<Record<StageId, SignatureCheck>>;
  /** The same checks in words. */
  verdicts: Partial<Record<StageId, SignatureVerdict>>;
  distrusted: Distrusted;
  /** The stored case against the case its last signed history entry records. */
  record: Check;
  /** The lab's signed log of people, roles and keys. */
  people: Check;
  /** Fingerprint (hex) of the lab's root key. */
  labRoot: string | null;
  /** False on a device that holds only recent cases, for an older case whose history stays on the lab server. */
  historyHere: boolean;
};

export type CaseHistory = {
  events: CaseEvent[];
  /** The case's audit chain, checked entry by entry against its stored head. */
  history: ChainVerification;
  /** Its history is on the lab server, not on this device (see CaseView.historyHere). */
  elsewhere?: boolean;
};

export type CaseWithHistory = CaseView & CaseHistory;

/** The case decrypted, its record checked against its signed history and its signatures against the lab log. Its history is read apart: only the history and billing tabs show it. */
export async function getCaseView(id: CaseId): Promise<CaseView | null> {
  const { dataKey } = requireUnlock();
  // Read at once, not one after another: the row, the lab log, how this device holds histories, and the
  // chain's last entry (almost always the one the row's head names: checkRecord reads that one if not).
  const [row, lab, holding, tail] = await Promise.all([db.cases.get(id), readLabTrust(), readSyncState().then(holdingOf), lastEntry(id)]);
  if (!row) return null;
  const [c, historyHere] = await Promise.all([fromRow(row, dataKey), holdsHistory(row, undefined, holding)]);
  const [{ checks, verdicts, distrusted }, record] = await Promise.all([verifyCaseSignatures(c, lab.state), historyHere ? checkRecord(row, c, tail, dataKey, lab.state) : elsewhere(holding).then((text): Check => ({ state: 'legacy', text }))]);
  const problem = labProblem(lab);
  const people: Check = problem ? { state: 'failed', text: problem } : { state: 'verified', text: 'The lab’s signed log of people, roles and keys verifies.' };
  return { case: c, signatures: checks, verdicts, distrusted, record, people, labRoot: lab.state.root, historyHere };
}

const RECORD_CHECKS: Record<RecordProof, Check> = {
  verified: { state: 'verified', text: 'The stored case matches what its signed history records.' },
  legacy: { state: 'legacy', text: 'Made before the signed log: this case was last changed before entries were signed, so its stored record is checked against its signed history only from its next change.' },
  'not-head': { state: 'failed', text: 'Does not verify: the stored case does not match the last entry of its history (the record or its history was altered).' },
  'not-signed': { state: 'failed', text: 'Does not verify: the last entry of its history is not signed by its author’s key on the lab log.' },
  changed: { state: 'failed', text: 'Does not verify: the stored case was changed outside Printpath and no longer matches what its signed history records.' },
};

export const HISTORY_ELSEWHERE = 'Its history is on the lab server, not on this device (it holds older closed cases as records only): it is brought here and checked when the case is opened online.';
/** A device that joined takes each case's record first; the history follows behind the list. */
export const HISTORY_ARRIVING = 'Its history is still arriving from the lab server, behind the case list: it is checked as soon as it is here, or when the case is opened online.';

async function elsewhere(holding?: ReturnType<typeof holdingOf>): Promise<string> {
  return (holding ?? holdingOf(await readSyncState())) === 'arriving' ? HISTORY_ARRIVING : HISTORY_ELSEWHERE;
}

// A record proved once is not proved again while nothing it rests on has changed: the exact stored row (its
// clear part, its sealed PHI, its head), the exact entry its head names, the lab log it was checked against (a
// new log entry makes another LabState) and the key that opened it. Anything different, and it is proved again.
const PROVED_SIZE = 300;
let proved: { lab: LabState; dataKey: DataKey; byCase: Map<string, string> } | null = null;
subscribeVault(() => (proved = null));

/** The stored case against the last entry of its history (record-proof.ts). `tail`: the chain's last entry, if read. */
async function checkRecord(row: CaseRow, c: Case, tail: AuditEntry | null, dataKey: DataKey, lab: LabState): Promise<Check> {
  const last = row.auditHead.seq < 1 ? undefined : tail?.seq === row.auditHead.seq ? tail : await db.audit.get([row.id, row.auditHead.seq]);
  const exact = JSON.stringify([row, last ?? null]);
  if (proved?.lab === lab && proved.dataKey === dataKey && proved.byCase.get(row.id) === exact) return RECORD_CHECKS.verified;
  const proof = await proveRecord(row, c, last, dataKey, lab);
  if (proof === 'verified' && currentUnlock()?.dataKey === dataKey) {
    if (proved?.lab !== lab || proved.dataKey !== dataKey) proved = { lab, dataKey, byCase: new Map() };
    const { byCase } = proved;
    byCase.delete(row.id); // a Map iterates in insertion order: the oldest goes first
    byCase.set(row.id, exact);
    if (byCase.size > PROVED_SIZE) byCase.delete(byCase.keys().next().value!);
  }
  return RECORD_CHECKS[proof];
}

/** The case's events, its chain checked against the head its row stores (both read in one transaction). */
export async function getCaseHistory(id: CaseId): Promise<CaseHistory> {
  const { dataKey } = requireUnlock();
  const [row, entries] = await db.transaction('r', db.cases, db.audit, () => Promise.all([db.cases.get(id), caseHistoryEntries(id)]));
  if (row && !(await holdsHistory(row))) return { events: [], history: { ok: false, brokenAt: 1, reason: await elsewhere() }, elsewhere: true };
  const { events, verification } = await openCaseHistory(id, entries, row?.auditHead ?? null, dataKey);
  return { events, history: verification };
}

export async function getCase(id: CaseId): Promise<CaseWithHistory | null> {
  const [view, history] = await Promise.all([getCaseView(id), getCaseHistory(id)]);
  return view && { ...view, ...history };
}
