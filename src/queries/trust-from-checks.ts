// A case's checks (db/case-repo.ts: its sign-offs against the signed lab log, its
// stored record against its signed history, the lab log itself; and its history,
// read apart) as one CaseTrust, for the screen and the PDF alike.
import type { ChainVerification } from '../domain/audit-chain';
import type { CaseTrust, TrustCheck } from '../domain/case-trust';
import type { CaseView } from '../db/case-view-repo';

export function historyCheck(history: ChainVerification | null | undefined, elsewhere = false): TrustCheck {
  if (!history) return { state: 'verifying', text: 'The audit chain is being checked.' };
  if (elsewhere && !history.ok) return { state: 'legacy', text: history.reason };
  return history.ok
    ? { state: 'verified', text: `Audit chain verified: ${history.count} ${history.count === 1 ? 'entry' : 'entries'}, none altered, inserted or removed, each signed by its author.` }
    : { state: 'failed', text: `Audit chain broken at entry ${history.brokenAt}: ${history.reason}.` };
}

/** `history` null or absent while it is being read: the trust says "verifying" until then. */
export function trustFromChecks(view: Pick<CaseView, 'verdicts' | 'record' | 'people' | 'labRoot'>, history?: ChainVerification | null, elsewhere = false): CaseTrust {
  const signatures: CaseTrust['signatures'] = {};
  for (const [stage, v] of Object.entries(view.verdicts) as [keyof CaseTrust['signatures'], NonNullable<CaseView['verdicts'][keyof CaseView['verdicts']]>][]) {
    signatures[stage] = { state: v.check === 'verified' ? 'verified' : 'failed', text: v.text };
  }
  return { signatures, history: historyCheck(history, elsewhere), record: view.record, people: view.people, labRoot: view.labRoot };
}
