import type { BillingTone } from '../domain/billing-labels';

const CLASS: Record<BillingTone, string> = { ok: 'badge ok', warn: 'badge warn', bad: 'badge bad', cancelled: 'badge cancelled', neutral: 'badge' };

/** A billing state's badge: the same name and look on the case header, the codes and the case list. */
export function BillingBadge({ tone, label, title }: { tone: BillingTone; label: string; title?: string }) {
  return <span className={CLASS[tone]} title={title}>{label}</span>;
}
