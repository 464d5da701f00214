// CaseTrust values for tests: what the verification would report, without running it.
import type { Case, StageId } from '../../src/domain/case';
import type { CaseTrust, TrustCheck } from '../../src/domain/case-trust';
import { STAGES } from '../../src/domain/stages';

export const LAB_ROOT = '1a2b3c4d5e6f70819aabbccddeeff00112233445566778899aabbccddeeff0011';

/** Every check passes: each current signature verifies with its signer's registered key. */
export function verifiedTrust(c: Case, labRoot: string | null = LAB_ROOT): CaseTrust {
  const signatures: CaseTrust['signatures'] = {};
  for (const { id } of STAGES) {
    const sig = c.stages[id].signature;
    if (sig) signatures[id] = { state: 'verified', text: `The signature verifies with ${sig.signerName}’s registered key.` };
  }
  return {
    signatures,
    history: { state: 'verified', text: 'Audit chain verified: every entry links and is signed.' },
    record: { state: 'verified', text: 'The stored case is the one its last signed history entry records.' },
    people: { state: 'verified', text: 'The lab log of people, roles and keys verifies from the lab root key.' },
    labRoot,
  };
}

/** `trust` with one check replaced. */
export function withCheck(trust: CaseTrust, which: 'history' | 'record' | 'people', check: TrustCheck): CaseTrust {
  return { ...trust, [which]: check };
}

/** `trust` with one stage's signature check replaced. */
export function withSignature(trust: CaseTrust, stage: StageId, check: TrustCheck): CaseTrust {
  return { ...trust, signatures: { ...trust.signatures, [stage]: check } };
}
