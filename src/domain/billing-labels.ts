// The names of the billing states (billing-state.ts derives them) and how each looks: one
// vocabulary for the case page, the case list and the PDF. Kept apart and small: the case
// list, in the first load, names the states it can tell from the stored case.
import type { Case } from './case';

export type BillingStateCode =
  | 'not-verified'
  | 'provisional'
  | 'no-code-yet'
  | 'nothing-to-bill'
  | 'check-before-billing'
  | 'ready-for-billing'
  | 'closed'
  | 'closed-nothing-billed'
  | 'cancelled';

/** The one name of each state: the codes badge on screen and "Billing state" in the PDF. */
export const BILLING_STATE_LABELS: Record<BillingStateCode, string> = {
  'not-verified': 'No code suggested — the record does not verify',
  provisional: 'Provisional',
  'no-code-yet': 'No code yet',
  'nothing-to-bill': 'Nothing to bill',
  'check-before-billing': 'Check before billing',
  'ready-for-billing': 'Ready for billing',
  closed: 'Closed for billing',
  'closed-nothing-billed': 'Closed — nothing billed',
  cancelled: 'Cancelled — nothing to bill',
};

/** How a state looks: cancelled and does-not-verify differ from billable at a glance. */
export type BillingTone = 'ok' | 'warn' | 'bad' | 'cancelled' | 'neutral';

export const BILLING_TONES: Record<BillingStateCode, BillingTone> = {
  'not-verified': 'bad',
  provisional: 'neutral',
  'no-code-yet': 'neutral',
  'nothing-to-bill': 'neutral',
  'check-before-billing': 'warn',
  'ready-for-billing': 'ok',
  closed: 'ok',
  'closed-nothing-billed': 'neutral',
  cancelled: 'cancelled',
};

/**
 * The case list's name for a stored status key, refined by what the stored case (without its
 * PHI) shows: a finished case with nothing used in care has nothing to bill, a closed one says
 * whether anything was billed. The warnings need the whole case: the list says "Ready to close",
 * the case page says whether to check before billing.
 */
export function listStatusLabel(c: Pick<Case, 'deliverables' | 'stages' | 'closed' | 'cancelled'>, key: string, fallback: string): string {
  if (key === 'cancelled') return BILLING_STATE_LABELS.cancelled;
  if (key === 'closed') return c.closed && c.closed.billing.lines.length === 0 ? BILLING_STATE_LABELS['closed-nothing-billed'] : BILLING_STATE_LABELS.closed;
  if (key === 'ready-for-billing' && c.deliverables.every((d) => c.stages.delivery.perDeliverable[d.id]?.usedInCare === 'no')) return BILLING_STATE_LABELS['nothing-to-bill'];
  return fallback;
}

/** The tone of a case list badge: cancelled looks unlike anything billable. */
export const listStatusTone = (key: string, label: string): BillingTone =>
  key === 'cancelled' ? 'cancelled' : label === BILLING_STATE_LABELS['nothing-to-bill'] || label === BILLING_STATE_LABELS['closed-nothing-billed'] ? 'neutral' : key === 'ready-for-billing' || key === 'closed' ? 'ok' : key === 'awaiting-use' ? 'warn' : 'neutral';
