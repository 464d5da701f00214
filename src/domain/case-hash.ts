// A hash of a whole case (PHI included), recorded inside the sealed audit entry that
// produced it: a stored case row edited afterwards no longer matches its signed
// history. Kept inside the encryption, since a hash of patient data in the clear
// could be checked against guesses.
import type { Case } from './case';
import { canonicalJson, sha256Hex } from './canonical';

export const caseHash = (c: Case): string => sha256Hex(caseHashText(c));

/** What caseHash hashes (UTF-8): for a caller that hashes many cases with the platform's SHA-256. */
export const caseHashText = (c: Case): string => canonicalJson(c);
