// Which stage of a case waits for a signer now, and since when: what the sign-off queue
// lists (its keys are derived from this when a case is written). Pure.
import type { Case, Role, StageId } from './case';
import { stageDef } from './stages';
import { NONE, stageStates, type Distrusted } from './workflow';

/** A stage that waits for a signer: everything else about it is done. `since`: the latest change the record shows that made it ready. */
export type SignoffWait = { stage: StageId; role: Role; meaning: string; since: string };

/** The stage waiting for its sign-off now (at most one: stages complete in order), or null. */
export function awaitingSignoff(c: Case, distrusted: Distrusted = NONE): SignoffWait | null {
  if (c.cancelled || c.closed) return null;
  const states = stageStates(c, distrusted);
  const open = states.find((s) => !s.complete);
  // Only the missing signature itself stands in the way (a change request is a blocker of its own).
  if (!open || !open.needsSignature || open.signatureValid || open.blockers.length !== 1) return null;
  const signoff = stageDef(open.id).signoff!;
  const rec = c.stages[open.id];
  const times = [c.createdAt, rec.updatedAt, rec.voidedSignatures.at(-1)?.voidedAt, ...states.slice(0, states.indexOf(open)).map((s) => c.stages[s.id].signature?.signedAt)];
  const since = times.reduce<string>((latest, t) => (t && t > latest ? t : latest), '');
  return { stage: open.id, role: signoff.role, meaning: signoff.meaning, since };
}

