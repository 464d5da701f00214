// Signing stage sign-offs (21 CFR 11.50, 11.70, 11.200). To sign,
// the signed-in person enters their secret again; it unwraps their private
// sign-off key, which signs the manifestation (name, role, meaning, time) and the
// hash of exactly the content signed. Their role is what the signed lab log says.
// Verifying is in signature-checks.ts.
import type { Case, StageId } from '../domain/case';
import type { CaseId } from '../domain/ids';
import { STAGES } from '../domain/stages';
import { signatureManifest, signatureText } from '../domain/workflow';
import { verifyCaseSignatures } from './signature-checks';
import { signText, unwrapSigningKey } from '../crypto/signing-keys';
import { checkSecret } from './accounts';
import { keyFingerprint as keyFingerprint_ } from '../domain/lab-log';
import { readLabTrust } from './lab-log-repo';
import { commit } from './case-commands';
import { CommandRefused } from './errors';
import { requireUnlock } from './vault';

/** Signs a stage as the signed-in person, who must enter their secret now. */
export async function signStage(caseId: CaseId, stage: StageId, secret: string, now: string = new Date().toISOString()): Promise<Case> {
  const { actor } = requireUnlock();
  const { user, kek } = await checkSecret(actor.id, secret, now, 'signing');
  const privateKey = await unwrapSigningKey(user.wrappedSigningKey, kek);
  const lab = (await readLabTrust()).state;
  const registered = lab.members.get(actor.id)?.signingKeys.at(-1);
  const keyFingerprint = registered && keyFingerprint_(registered);
  if (!keyFingerprint || keyFingerprint !== user.signingKeys.at(-1)?.fingerprint) throw new CommandRefused('Your sign-off key on this tablet does not match the lab’s signed log: ask a lab admin to reset your secret.');
  return commit(
    caseId,
    async (current) => {
      if (!current) throw new CommandRefused('This case is not on this tablet');
      if (!STAGES.find((s) => s.id === stage)?.signoff) throw new CommandRefused('This stage is not signed off');
      const { distrusted } = await verifyCaseSignatures(current, lab);
      const value = await signText(privateKey, signatureText(current.id, stage, signatureManifest(current, stage, actor, now)));
      return { command: { type: 'sign', stage, proof: { keyFingerprint, value } }, distrusted };
    },
    now,
  );
}
