// What a case means for billing, in one set of words for the screen and the PDF: derived
// from the case's status and its suggested codes (both from what verifies), so the words
// never say more than the codes do. Nothing billable is never "Ready for billing"; a warning
// is never "Ready". Pure: the clock for the stage-date checks is passed in.
import type { Case } from './case';
import { BILLING_STATE_LABELS, BILLING_TONES, type BillingStateCode, type BillingTone } from './billing-labels';
import type { CptSuggestion } from './cpt';
import { stageDateWarnings, type StageClock } from './stage-dates';
import { deliverableUse, type CaseStatus } from './workflow';

export { BILLING_STATE_LABELS, type BillingStateCode, type BillingTone };

/** What closing the case does from this state; `none` where it cannot be closed (yet, or any more). */
export type CloseAction =
  | { kind: 'none'; why: string }
  | { kind: 'close' }
  /** Codes with warnings: the person confirms having read them, and that goes on the audit trail. */
  | { kind: 'confirm-and-close'; warnings: string[] }
  /** Nothing billable: the case is closed with nothing billed. */
  | { kind: 'close-nothing-billed' };

export type BillingState = {
  code: BillingStateCode;
  /** The state's name (BILLING_STATE_LABELS). */
  label: string;
  /** The case header's status: where the case is while in a stage, else the billing state's name. */
  statusLabel: string;
  tone: BillingTone;
  /** Why nothing is billed ("Nothing to bill: …"), or null. */
  nothingToBill: string | null;
  /** The suggestion's warnings, then the stage-date warnings: all must be read before billing. */
  warnings: string[];
  close: CloseAction;
};

/** The "how to close it anyway" line for a case with nothing to bill. */
export const CLOSE_NOTHING_BILLED_HINT = 'Close the case with nothing billed to finish it: the codes stay empty and the closing goes on the audit trail.';

const used = (c: Case) => c.deliverables.filter((d) => deliverableUse(c, d) === 'yes');
const names = (items: { name: string }[]) => items.map((d) => d.name).join(', ');

function cancelledReason(c: Case): string {
  const yes = used(c);
  const deliveredAt = c.stages.delivery.values.deliveredAt;
  if (yes.length && typeof deliveredAt === 'string' && deliveredAt) {
    return `the case was cancelled after delivery (${deliveredAt.replace('T', ' ')}), although ${names(yes)} ${yes.length === 1 ? 'is' : 'are'} recorded as used in this patient's care. No code is suggested for a cancelled case.`;
  }
  return 'the case was cancelled. No code is suggested for a cancelled case.';
}

/** Why nothing is billed, from the suggestion's own first reason ("… no code is suggested."). */
const noneReason = (s: CptSuggestion) => {
  const r = s.reasons[0] ?? 'no code is suggested.';
  return r[0]!.toLowerCase() + r.slice(1);
};

/**
 * The billing state of a case. `status` and `suggestion` must both come from what verifies
 * (case-trust.ts verifiedStatus and verifiedCodes); `clock` for the stage-date checks.
 */
export function billingState(c: Case, status: CaseStatus | { code: 'not-verified'; label: string }, suggestion: CptSuggestion, clock: StageClock): BillingState {
  const dateWarnings = c.closed || c.cancelled ? [] : stageDateWarnings(c, clock).map((w) => w.text);
  const warnings = [...suggestion.warnings, ...dateWarnings];
  const make = (code: BillingStateCode, rest: { nothingToBill?: string | null; close: CloseAction; warnings?: string[] }): BillingState => ({
    code,
    label: BILLING_STATE_LABELS[code],
    statusLabel: status.code === 'in-stage' || status.code === 'awaiting-use' || status.code === 'not-verified' ? status.label : BILLING_STATE_LABELS[code],
    tone: BILLING_TONES[code],
    nothingToBill: rest.nothingToBill ?? null,
    warnings: rest.warnings ?? warnings,
    close: rest.close,
  });

  if (status.code === 'not-verified') return make('not-verified', { close: { kind: 'none', why: 'This record does not verify: nothing can be billed from it.' }, warnings: [] });
  if (c.cancelled) return make('cancelled', { nothingToBill: `Nothing to bill: ${cancelledReason(c)}`, close: { kind: 'none', why: 'A cancelled case is finished as it is: there is nothing more to close.' } });
  if (c.closed) {
    return suggestion.lines.length
      ? make('closed', { close: { kind: 'none', why: 'The case is closed: its codes are frozen.' } })
      : make('closed-nothing-billed', { nothingToBill: `Nothing to bill: ${noneReason(suggestion)}`, close: { kind: 'none', why: 'The case is closed with nothing billed.' } });
  }
  if (status.code !== 'ready-for-billing' || suggestion.state === 'provisional') {
    const why = `A case can be closed once it is complete (${status.label.toLowerCase()} now).`;
    return make(suggestion.lines.length ? 'provisional' : 'no-code-yet', { close: { kind: 'none', why } });
  }
  if (suggestion.lines.length === 0) return make('nothing-to-bill', { nothingToBill: `Nothing to bill: ${noneReason(suggestion)}`, close: { kind: 'close-nothing-billed' } });
  if (warnings.length) return make('check-before-billing', { close: { kind: 'confirm-and-close', warnings } });
  return make('ready-for-billing', { close: { kind: 'close' } });
}

/**
 * What cancelling would mean for billing, said before it is done: null when cancelling costs
 * nothing billable (nothing delivered, or nothing recorded as used in care).
 */
export function cancelConsequence(c: Case): string | null {
  const yes = used(c);
  const deliveredAt = c.stages.delivery.values.deliveredAt;
  if (!yes.length || typeof deliveredAt !== 'string' || !deliveredAt) return null;
  return `This case was delivered (${deliveredAt.replace('T', ' ')}) and ${names(yes)} ${yes.length === 1 ? 'is' : 'are'} recorded as used in this patient's care. Cancelling it means nothing is billed: no code is suggested for a cancelled case, and it can no longer be closed for billing. To bill for what was used, close the case for billing instead.`;
}
