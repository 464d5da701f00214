// entryHash (domain/audit-chain.ts) and caseHash (domain/case-hash.ts) with the platform's
// SHA-256: a restore checks the hash of every entry of every case, some 160,000, and of every
// case, which in JavaScript was the largest part of reading a backup. Same text, same hash:
// only where it is computed differs.
import { entryHashText, type AuditEntry } from '../domain/audit-chain';
import type { Case } from '../domain/case';
import { caseHashText } from '../domain/case-hash';
import { sha256Native } from '../crypto/sha256';
import type { HashIs } from '../crypto/verify-pool';

/** caseHash of a case. */
export const caseHashNative = (c: Case): Promise<string> => sha256Native(caseHashText(c));

const hashIsNative: HashIs = async (text, hash) => (await sha256Native(text)) === hash;

/** Each entry's hash where it is entryHash of the entry, else null (an entry that cannot be hashed is not self-consistent); `hashIs`: a checking pool's for many at once. */
export async function entryHashesHolding(entries: readonly AuditEntry[], hashIs: HashIs = hashIsNative): Promise<Map<AuditEntry, string | null>> {
  const holds = await Promise.all(
    entries.map((e) => {
      let text: string;
      try {
        text = entryHashText(e);
      } catch {
        return false;
      }
      return hashIs(text, e.hash);
    }),
  );
  return new Map(entries.map((e, i) => [e, holds[i] ? e.hash : null]));
}
