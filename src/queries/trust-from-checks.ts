// The case's checks as they exist on this version, as one CaseTrust for the
// screen and the PDF. What this version does not check (the stored record against
// a signed history, a signed log of people and keys) is said so in words and never
// claimed as verified.
import type { ChainVerification } from '../domain/audit-chain';
import { ROLE_LABELS } from '../domain/case';
import type { CaseTrust, TrustCheck } from '../domain/case-trust';
import { STAGES } from '../domain/stages';
import type { CaseView } from '../db/case-repo';

export type TrustInputs = {
  /** The case's audit chain as checked; null or absent while it is being read. */
  history?: ChainVerification | null;
  record?: TrustCheck;
  people?: TrustCheck;
  labRoot?: string | null;
};

export const RECORD_NOT_CHECKED: TrustCheck = { state: 'legacy', text: 'The stored record is not checked against a signed history on this version.' };
export const PEOPLE_NOT_CHECKED: TrustCheck = { state: 'legacy', text: 'People, roles and keys are not checked against a signed lab log on this version.' };

export function historyCheck(history: ChainVerification | null | undefined): TrustCheck {
  if (!history) return { state: 'verifying', text: 'The audit chain is being checked.' };
  return history.ok
    ? { state: 'verified', text: `Audit chain verified: ${history.count} ${history.count === 1 ? 'entry' : 'entries'}, none altered, inserted or removed.` }
    : { state: 'failed', text: `Audit chain broken at entry ${history.brokenAt}: ${history.reason}.` };
}

export function trustFromChecks(view: Pick<CaseView, 'case' | 'signatures'>, inputs: TrustInputs = {}): CaseTrust {
  const c = view.case;
  const signatures: CaseTrust['signatures'] = {};
  for (const { id } of STAGES) {
    const sig = c.stages[id].signature;
    const check = view.signatures[id];
    if (!sig || !check) continue;
    const who = `${sig.signerName} (${ROLE_LABELS[sig.role]})`;
    signatures[id] =
      check === 'verified'
        ? { state: 'verified', text: `The digital signature verifies with the key on this tablet for ${who}.` }
        : { state: 'failed', text: `The signature recorded as ${who} does not verify with that person’s key: it was not made in Printpath, or the record was altered.` };
  }
  return {
    signatures,
    history: historyCheck(inputs.history),
    record: inputs.record ?? RECORD_NOT_CHECKED,
    people: inputs.people ?? PEOPLE_NOT_CHECKED,
    labRoot: inputs.labRoot ?? null,
  };
}
