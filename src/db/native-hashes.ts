// entryHash (domain/audit-chain.ts) and caseHash (domain/case-hash.ts) with the platform's
// SHA-256: a restore checks the hash of every entry of every case, some 160,000, and of every
// case, which in JavaScript was the largest part of reading a backup. Same text, same hash:
// only where it is computed differs.
import { entryHashText, type AuditEntry } from '../domain/audit-chain';
import type { Case } from '../domain/case';
import { caseHashText } from '../domain/case-hash';
import { bytesToHex, utf8Encode } from '../crypto/encoding';
import { subtle } from '../crypto/runtime';

const sha256 = async (text: string) => bytesToHex(new Uint8Array(await subtle().digest('SHA-256', utf8Encode(text))));

/** caseHash of a case. */
export const caseHashNative = (c: Case): Promise<string> => sha256(caseHashText(c));

/** entryHash of each entry, or null where the entry cannot be hashed (it is then not self-consistent). */
export async function entryHashes(entries: readonly AuditEntry[]): Promise<Map<AuditEntry, string | null>> {
  const hashes = await Promise.all(
    entries.map(async (e) => {
      try {
        return await sha256(entryHashText(e));
      } catch {
        return null;
      }
    }),
  );
  return new Map(entries.map((e, i) => [e, hashes[i]!]));
}
