// What a case can be found by in the list: the words of the patient's name, the
// MRN and the case number, each searchable by any prefix ("smi" finds Smith,
// "0042" and "ab-0042" find PP-2026-AB-0042). Accents and case are ignored.
//
// The terms are PHI, so the database holds only a blind index of them: keyed
// hashes (HMAC-SHA-256 under the tablet's random search key, which is stored
// sealed with the data key and is in memory only while someone is signed in,
// see db/search-key.ts), truncated to 72 bits, enough that two different terms
// never meet among a lab's few million. It finds "smi" without holding the name.
// Synchronous (short-hmac.ts: two compressions a term, nothing allocated): a case has ~30 terms and a rebuild
// hashes 10,000 cases. Loaded with the first search or write, not with the list.
import { shortHmac } from './short-hmac';

/** 32 random bytes, made once per tablet. */
export type SearchKey = Uint8Array;

/** Longer words are indexed, and queried, by their first MAX_TERM characters. */
export const MAX_TERM = 16;

/** Lower case, accents removed ("Żółć" → "zolc"), 'ł' and 'ø' folded too. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss');
}

const parts = (chunk: string) => chunk.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
const chunks = (text: string) => foldText(text).split(/\s+/).filter(Boolean);
const term = (s: string) => s.slice(0, MAX_TERM);

/**
 * The words of the fields, each also from each of its parts on, without the marks
 * ("PP-2026-AB-0042" as pp2026ab0042, 2026ab0042, ab0042 and 0042; "O'Brien" as
 * obrien and brien), cut to MAX_TERM: a term finds the fields when it begins one of them.
 */
export function indexWords(fields: readonly string[]): string[] {
  const words = new Set<string>();
  for (const chunk of fields.flatMap(chunks)) {
    const p = parts(chunk);
    for (let from = 0; from < p.length; from++) words.add(term(p.slice(from).join('')));
  }
  return [...words];
}

/**
 * Every prefix of every word of the fields (indexWords): what a case's PHI is indexed by,
 * hashed, so it is found however much of it is typed.
 */
export function indexTerms(fields: readonly string[]): string[] {
  const terms = new Set<string>();
  for (const w of indexWords(fields)) for (let n = 1; n <= w.length; n++) terms.add(w.slice(0, n));
  return [...terms];
}

/** The terms of what someone typed: a case matches when it has every one of them. */
export function queryTerms(query: string): string[] {
  return [...new Set(chunks(query).map((c) => term(parts(c).join(''))).filter(Boolean))];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Hashes terms under one key (the keyed states made once, short-hmac.ts): 9 bytes of each HMAC, in base64 (12 characters). */
function tokenizer(key: SearchKey): (term: string) => string {
  const mac = shortHmac(key, 9);
  return (term) => {
    const d = mac(term);
    let s = '';
    for (let i = 0; i < 9; i += 3) {
      const n = (d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!;
      s += B64[n >>> 18]! + B64[(n >>> 12) & 63]! + B64[(n >>> 6) & 63]! + B64[n & 63]!;
    }
    return s;
  };
}

/** The index entries of a case's PHI fields (name, MRN): a keyed hash of every term. */
export const caseTokens = (key: SearchKey, phi: readonly string[]): string[] => indexTerms(phi).map(tokenizer(key));

/**
 * The case number is not PHI: its words are indexed as they are, one entry each (4 for
 * "PP-2026-AB-0042", where its every prefix would be 35), and found by a prefix range.
 */
export const numberKeys = (caseNumber: string): string[] => indexWords([caseNumber]);

/** For each term typed, what matches it: a PHI token equal to `hashed`, or a case-number word beginning with `prefix`. A case must match every term. */
export type QueryToken = { hashed: string; prefix: string };

export const queryTokens = (key: SearchKey, query: string): QueryToken[] => {
  const hash = tokenizer(key);
  return queryTerms(query).map((t) => ({ hashed: hash(t), prefix: t }));
};
