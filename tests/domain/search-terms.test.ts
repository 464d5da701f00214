import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseTokens, foldText, indexTerms, MAX_TERM, numberKeys, queryTerms, queryTokens } from '../../src/domain/search-terms';

const finds = (fields: string[], query: string) => {
  const terms = new Set(indexTerms(fields));
  const q = queryTerms(query);
  return q.length > 0 && q.every((t) => terms.has(t));
};

describe('search terms', () => {
  it('ignores case and accents', () => {
    expect(foldText('Łukasz Żółć')).toBe('lukasz zolc');
    expect(finds(['Łukasz Żółć'], 'zol')).toBe(true);
    expect(finds(['Nguyễn Thị'], 'NGUYEN')).toBe(true);
    expect(finds(['Søren Straße'], 'strasse')).toBe(true);
  });

  it('finds any word of a name by its beginning, and needs every word typed', () => {
    const name = ['Maria del Carmen Ruiz'];
    expect(finds(name, 'ruiz')).toBe(true);
    expect(finds(name, 'car rui')).toBe(true);
    expect(finds(name, 'maria smith')).toBe(false);
    expect(finds(name, 'uiz')).toBe(false); // a word's middle is not a beginning
  });

  it('finds a case number or MRN however much of it is typed, with or without its marks', () => {
    const fields = ['PP-2026-AB-0042', 'MRN-00917'];
    for (const q of ['pp-2026-ab-0042', 'PP2026', '2026-ab', 'ab-0042', '0042', 'mrn-009', '00917', 'mrn00917']) expect(finds(fields, q), q).toBe(true);
    expect(finds(fields, '0043')).toBe(false);
    expect(finds(fields, 'mrn-a')).toBe(false);
    expect(finds(["Siobhán O'Brien"], 'obrien')).toBe(true);
    expect(finds(["Siobhán O'Brien"], "o'bri")).toBe(true);
  });

  it('has no terms for a query of spaces and marks', () => {
    expect(queryTerms('  - / ')).toEqual([]);
  });

  it('every prefix of every word of a field finds it (property)', () => {
    // Latin-1 letters and digits; × and ÷ sit in that block but are signs, not letters.
    const word = fc.stringMatching(/^[A-Za-zÀ-ÖØ-öø-ÿ0-9]{1,20}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat(), (ws, w, n) => {
        const target = ws[w % ws.length]!;
        const prefix = target.slice(0, 1 + (n % target.length));
        expect(finds([ws.join(' ')], prefix)).toBe(true);
        expect(indexTerms([ws.join(' ')]).every((t) => t.length <= MAX_TERM)).toBe(true);
      }),
    );
  });

  it('stores keyed hashes of the name and MRN, not the terms: a query finds its case only under the same key', () => {
    const key = new Uint8Array(32).fill(7);
    const other = new Uint8Array(32).fill(8);
    const stored = caseTokens(key, ['Zofia Kowalska', 'MRN-55102']);
    const words = numberKeys('PP-2026-AB-0042');
    expect(stored.join(' ')).not.toMatch(/kowal|zofia|55102/i);
    expect(stored.every((t) => /^[A-Za-z0-9+/]{12}$/.test(t))).toBe(true);
    const matches = (k: Uint8Array, q: string) => queryTokens(k, q).every(({ hashed, prefix }) => stored.includes(hashed) || words.some((w) => w.startsWith(prefix)));
    expect(matches(key, 'kowal')).toBe(true);
    expect(matches(other, 'kowal')).toBe(false);
    // The case number is not PHI: its words are indexed as they are, so it is found under any key.
    expect(words).toEqual(['pp2026ab0042', '2026ab0042', 'ab0042', '0042']);
    expect(matches(other, 'ab-0042')).toBe(true);
    expect(matches(key, 'kowal 0042')).toBe(true);
    expect(matches(key, 'kowal 0043')).toBe(false);
  });

  it('a case number is found by a prefix of its words exactly when one of its index terms is the query (property)', () => {
    const number = fc.stringMatching(/^[A-Z]{1,3}(-[0-9A-Z]{1,6}){0,4}$/);
    const query = fc.stringMatching(/^[0-9A-Za-z-]{1,20}$/);
    fc.assert(
      fc.property(number, query, fc.nat(), (n, q, cut) => {
        const terms = new Set(indexTerms([n]));
        const typed = [q, n.slice(cut % n.length)];
        for (const t of typed.flatMap(queryTerms)) expect(numberKeys(n).some((w) => w.startsWith(t)), `${n} / ${t}`).toBe(terms.has(t));
      }),
    );
  });
});
