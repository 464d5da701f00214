// Verifying stage sign-offs: each signature is checked with its signer's public
// key (every key a person has had is kept, so signatures made before a reset
// still verify). A row edited or forged directly in IndexedDB fails here.
import type { Case, Signature, StageId } from '../domain/case';
import { STAGES } from '../domain/stages';
import { signatureText, type Distrusted } from '../domain/workflow';
import { verifyText } from '../crypto/signing-keys';
import { db, type UserRow } from './database';

export type SignatureCheck = 'verified' | 'not-verified';

export async function checkSignature(caseId: string, stage: StageId, sig: Signature, users?: Map<string, UserRow>): Promise<SignatureCheck> {
  const signer = users?.get(sig.signerId) ?? (await db.users.get(sig.signerId));
  const key = signer?.signingKeys.find((k) => k.fingerprint === sig.keyFingerprint);
  if (!key || !sig.value) return 'not-verified';
  return (await verifyText(key.publicKeyJwk, signatureText(caseId, stage, sig), sig.value)) ? 'verified' : 'not-verified';
}

/** Verifies every current signature on a case with its signer's public key. */
export async function verifyCaseSignatures(c: Case): Promise<{ checks: Partial<Record<StageId, SignatureCheck>>; distrusted: Distrusted }> {
  const checks: Partial<Record<StageId, SignatureCheck>> = {};
  await Promise.all(
    STAGES.map(async ({ id }) => {
      const sig = c.stages[id].signature;
      if (sig) checks[id] = await checkSignature(c.id, id, sig);
    }),
  );
  return { checks, distrusted: new Set(STAGES.map((s) => s.id).filter((id) => checks[id] === 'not-verified')) };
}

