// What a signer reviews besides the record itself: what changed since a signature of
// theirs (or a colleague's) was voided, from the audit trail. Pure.
import type { CaseEvent, StageId, VoidedSignature } from './case';
import type { Case } from './case';

export type ChangeSinceVoid = { voided: VoidedSignature; events: CaseEvent[] };

/** The latest voided signature of a stage and every change recorded after it was made, oldest first; null when none was voided. */
export function changesSinceVoided(c: Case, stage: StageId, events: readonly CaseEvent[]): ChangeSinceVoid | null {
  const voided = c.stages[stage].voidedSignatures.at(-1);
  if (!voided) return null;
  return { voided, events: events.filter((e) => e.at > voided.signedAt && e.changes.length > 0) };
}
