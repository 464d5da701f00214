// A hash of a whole case (PHI included), recorded inside the sealed audit entry that
// produced it: a stored case row edited afterwards no longer matches its signed
// history. Kept inside the encryption, since a hash of patient data in the clear
// could be checked against guesses.
import type { Case } from './case';
import { canonicalJson, sha256Hex } from './canonical';

export const caseHash = (c: Case): string => sha256Hex(canonicalJson(c));
