import type { ChainVerification } from '../../domain/audit-chain';
import type { AuditSummary } from '../../domain/case-summary';

/** The audit chain check as the case summary prints it. */
export function auditSummaryOf(history: ChainVerification, eventCount: number): AuditSummary {
  return history.ok
    ? { verified: true, entries: history.count, head: history.head, problem: null }
    : { verified: false, entries: eventCount, head: null, problem: `entry ${history.brokenAt}: ${history.reason}` };
}
