// One case as its page shows it: decrypted, its stored record checked against its
// signed history, its sign-offs against the signed lab log, and (read apart, for the
// history and billing tabs) its history with every entry's signature. Loaded when a
// case is opened, not with the case list.
import type { ChainVerification } from '../domain/audit-chain';
import type { Case, CaseEvent, StageId } from '../domain/case';
import type { CaseId } from '../domain/ids';
import type { Distrusted } from '../domain/workflow';
import { caseHistoryEntries, holdsHistory, lastEntry, openCaseHistory } from './audit-repo';
import { fromRow } from './case-codec';
import { db } from './database';
import { labProblem, readLabTrust } from './lab-log-repo';
import { checkRecord, type Check } from './record-check';
import { verifyCaseSignatures, type SignatureCheck, type SignatureVerdict } from './signature-checks';
import { requireUnlock } from './vault';
import { readSyncState } from './sync-state';
import { holdingOf } from '../domain/holding';

export type { Check } from './record-check';

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

export const HISTORY_ELSEWHERE = 'Its history is on the lab server, not on this device (it holds older closed cases as records only): it is brought here and checked when the case is opened online.';
/** A device that joined takes each case's record first; the history follows behind the list. */
export const HISTORY_ARRIVING = 'Its history is still arriving from the lab server, behind the case list: it is checked as soon as it is here, or when the case is opened online.';

async function elsewhere(holding?: ReturnType<typeof holdingOf>): Promise<string> {
  return (holding ?? holdingOf(await readSyncState())) === 'arriving' ? HISTORY_ARRIVING : HISTORY_ELSEWHERE;
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
