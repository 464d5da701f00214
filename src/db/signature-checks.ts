// Verifying stage sign-offs: each signature is checked with the signer's sign-off
// key as the signed lab log records it (not as the people table says: that table is
// only a cache an attacker could edit), and only counts if the signer held the role
// it claims and, for a real case, is not a demo person. Every key a person has had
// stays on the log, so signatures made before a reset still verify.
import type { Case, Signature, StageId } from '../domain/case';
import { shownName } from '../domain/demo-people';
import { signingKeyOf, type LabState } from '../domain/lab-log';
import { STAGES } from '../domain/stages';
import { signatureText, type Distrusted } from '../domain/workflow';
import { ROLE_LABELS } from '../domain/case';
import { verifyText } from '../crypto/signing-keys';
import type { Verify } from '../crypto/verify-pool';
import { readLabTrust } from './lab-log-repo';

export type SignatureCheck = 'verified' | 'not-verified';
/** A check and, when it fails, why, in one sentence for the screen and the PDF. */
export type SignatureVerdict = { check: SignatureCheck; text: string };

const verdict = (check: SignatureCheck, text: string): SignatureVerdict => ({ check, text });

export async function checkSignature(c: Pick<Case, 'id' | 'demo'>, stage: StageId, sig: Signature, lab: LabState, verify: Verify = verifyText): Promise<SignatureVerdict> {
  const signer = lab.members.get(sig.signerId);
  const recorded = `the signature recorded as ${sig.signerName}’s`;
  if (!signer) return verdict('not-verified', `Does not verify: ${recorded} names someone who is not on the lab’s signed log.`);
  if (shownName(signer) !== sig.signerName) return verdict('not-verified', `Does not verify: ${recorded} was made under ${signer.name}’s identity on the lab log.`);
  if (!signer.heldRoles.includes(sig.role)) return verdict('not-verified', `Does not verify: ${signer.name} has never held the role ${ROLE_LABELS[sig.role]} on the lab’s signed log.`);
  if (signer.demo && !c.demo) return verdict('not-verified', `Does not count: ${signer.name} is a demo person, and demo signatures never count on a real case.`);
  const key = signingKeyOf(signer, sig.keyFingerprint);
  if (!key) return verdict('not-verified', `Does not verify: ${recorded} was not made with a key the lab log registers for ${signer.name}.`);
  if (!sig.value || !(await verify(key, signatureText(c.id, stage, sig), sig.value))) return verdict('not-verified', `Does not verify: ${recorded} does not match ${signer.name}’s registered sign-off key.`);
  return verdict('verified', `Digital signature verified with ${signer.name}’s sign-off key on the lab’s signed log.`);
}

/** Verifies every current signature on a case with its signer's key from the signed lab log. */
export async function verifyCaseSignatures(c: Case, lab?: LabState, verify?: Verify): Promise<{ checks: Partial<Record<StageId, SignatureCheck>>; verdicts: Partial<Record<StageId, SignatureVerdict>>; distrusted: Distrusted }> {
  const state = lab ?? (await readLabTrust()).state;
  const verdicts: Partial<Record<StageId, SignatureVerdict>> = {};
  await Promise.all(
    STAGES.map(async ({ id }) => {
      const sig = c.stages[id].signature;
      if (sig) verdicts[id] = await checkSignature(c, id, sig, state, verify);
    }),
  );
  const checks = Object.fromEntries(Object.entries(verdicts).map(([k, v]) => [k, v.check])) as Partial<Record<StageId, SignatureCheck>>;
  return { checks, verdicts, distrusted: new Set(STAGES.map((s) => s.id).filter((id) => checks[id] === 'not-verified')) };
}
