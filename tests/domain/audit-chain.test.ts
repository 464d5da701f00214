import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GENESIS,
  appendEntry,
  chainHead,
  entryHash,
  verifyChain,
  type AuditDraft,
  type AuditEntry,
  type ChainHead,
} from '../../src/domain/audit-chain';
import { canonicalJson, sha256Hex } from '../../src/domain/canonical';
import { Lab } from '../support/case-builder';

// ---------------------------------------------------------------- helpers

const draft = (chain: string, n: number, overrides: Partial<AuditDraft> = {}): AuditDraft => ({
  chain,
  at: `2026-03-02T08:${String(n).padStart(2, '0')}:00.000Z`,
  actorId: n % 2 ? 'u-tech' : 'u-rad',
  actorName: n % 2 ? 'Tess Technician' : 'Dr. Rita Radiologist',
  kind: n === 1 ? 'create' : 'saveStage',
  body: { summary: `change ${n}`, changes: [{ field: 'modality', before: null, after: 'CT' }] },
  ...overrides,
});

function build(drafts: readonly AuditDraft[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (const d of drafts) out.push(appendEntry(out[out.length - 1] ?? null, d));
  return out;
}

const chainOf = (chain: string, length: number) => build(Array.from({ length }, (_, i) => draft(chain, i + 1)));

/** Recomputes an entry's own hash, as a careful forger would. */
const rehash = (e: Omit<AuditEntry, 'hash'>): AuditEntry => ({ ...e, hash: entryHash(e) });

const CASE = chainOf('case-1', 8); // entries 1..8
const OTHER = chainOf('case-2', 8);
const HEAD = chainHead(CASE[7] as AuditEntry);
const at = (seq: number) => CASE[seq - 1] as AuditEntry;
const without = (...seqs: number[]) => CASE.filter((e) => !seqs.includes(e.seq));
const edit = (seq: number, patch: Partial<AuditEntry>) => CASE.map((e) => (e.seq === seq ? { ...e, ...patch } : e));
const insertBefore = (seq: number, ...extra: AuditEntry[]) => [...CASE.slice(0, seq - 1), ...extra, ...CASE.slice(seq - 1)];
const forged = (seq: number, prevHash: string) =>
  rehash({ ...draft('case-1', seq, { body: { summary: 'forged' } }), seq, prevHash });

// ---------------------------------------------------------------- appending

describe('appendEntry', () => {
  it('starts a chain at seq 1 linked to GENESIS, and links each next entry to the one before', () => {
    expect(GENESIS).toBe('0'.repeat(64));
    const [first, second] = chainOf('lab', 2) as [AuditEntry, AuditEntry];
    expect(first).toMatchObject({ chain: 'lab', seq: 1, prevHash: GENESIS });
    expect(second).toMatchObject({ chain: 'lab', seq: 2, prevHash: first.hash });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('hashes the canonical JSON of every field except hash (recomputable anywhere)', () => {
    const e = at(3);
    const { hash, ...rest } = e;
    expect(hash).toBe(sha256Hex(canonicalJson(rest)));
    expect(entryHash(e)).toBe(hash); // a stray hash field is ignored
    // Key order does not matter; content does.
    const reordered = Object.fromEntries(Object.entries(rest).reverse()) as Omit<AuditEntry, 'hash'>;
    expect(entryHash(reordered)).toBe(hash);
    expect(entryHash({ ...rest, body: { ...(rest.body as object), extra: 1 } })).not.toBe(hash);
  });

  it('is deterministic: the same drafts give the same chain', () => {
    expect(chainOf('case-1', 8)).toEqual(CASE);
  });

  it('refuses to append an entry of one chain to another', () => {
    expect(() => appendEntry(at(8), draft('case-2', 9))).toThrow('Cannot append an entry for chain "case-2" to chain "case-1"');
  });

  it('refuses to extend from an entry that was altered', () => {
    expect(() => appendEntry({ ...at(8), actorName: 'Mallory' }, draft('case-1', 9))).toThrow('entry 8 was altered');
  });

  it.each<[string, unknown]>([
    ['an ArrayBuffer (its bytes would not be hashed)', { iv: 'AAAA', ct: new ArrayBuffer(8) }],
    ['a Uint8Array', new Uint8Array([1, 2, 3])],
    ['a Date', { when: new Date('2026-03-02T08:00:00Z') }],
    ['a non-finite number', { n: Number.NaN }],
    ['a function', { f: () => 1 }],
    ['an own __proto__ key', JSON.parse('{"__proto__": {"x": 1}}')],
    ['an array with a hole', [1, , 3]],
  ])('refuses a body holding %s', (_name, body) => {
    expect(() => appendEntry(null, draft('case-1', 1, { body }))).toThrow(/plain JSON data/);
  });

  it.each<[string, Partial<AuditDraft>, RegExp]>([
    ['a blank chain', { chain: '' }, /needs a chain/],
    ['no time', { at: undefined as unknown as string }, /needs at as text/],
  ])('refuses a draft with %s', (_name, patch, message) => {
    expect(() => appendEntry(null, draft('case-1', 1, patch))).toThrow(message);
  });

  it('chains real case events (the body is the CaseEvent from applyCommand)', () => {
    const lab = new Lab();
    const c = lab.build();
    const entries = build(
      lab.events.map((ev) => ({ chain: ev.caseId, at: ev.at, actorId: ev.actorId, actorName: ev.actorName, kind: ev.type, body: ev })),
    );
    expect(entries.every((e) => e.chain === c.id)).toBe(true);
    const head = chainHead(entries[entries.length - 1] as AuditEntry);
    expect(verifyChain(entries, head)).toEqual({ ok: true, head: head.hash, count: lab.events.length });
    // A round trip through storage (structured clone, as IndexedDB does) keeps every hash.
    expect(verifyChain(structuredClone(entries), head).ok).toBe(true);
    expect(verifyChain(JSON.parse(JSON.stringify(entries)) as AuditEntry[], head).ok).toBe(true);
  });
});

// ---------------------------------------------------------------- verifying

describe('verifyChain accepts an intact chain', () => {
  it('reports the head hash and the count', () => {
    expect(verifyChain(CASE)).toEqual({ ok: true, head: at(8).hash, count: 8 });
    expect(verifyChain(CASE, HEAD)).toEqual({ ok: true, head: at(8).hash, count: 8 });
  });

  it('accepts an empty chain with head null', () => {
    expect(verifyChain([])).toEqual({ ok: true, head: null, count: 0 });
    expect(verifyChain([], chainHead(null, 'case-1'))).toEqual({ ok: true, head: null, count: 0 });
  });

  it('without the stored head, cannot notice entries cut off the end (why the head is stored apart)', () => {
    expect(verifyChain(without(7, 8))).toEqual({ ok: true, head: at(6).hash, count: 6 });
  });
});

type Tamper = [name: string, entries: () => readonly AuditEntry[], head: ChainHead | undefined, brokenAt: number, reason: string];

describe('verifyChain names the first broken link', () => {
  const tampering: Tamper[] = [
    // altered
    ['altered body', () => edit(7, { body: { summary: 'change 7', changes: [] } }), undefined, 7, 'entry 7 was altered'],
    ['altered actor name', () => edit(3, { actorName: 'Dr. Someone Else' }), undefined, 3, 'entry 3 was altered'],
    ['altered actor id', () => edit(3, { actorId: 'u-rad2' }), undefined, 3, 'entry 3 was altered'],
    ['altered time', () => edit(5, { at: '2026-03-01T08:05:00.000Z' }), undefined, 5, 'entry 5 was altered'],
    ['altered kind', () => edit(2, { kind: 'sign' }), undefined, 2, 'entry 2 was altered'],
    ['altered link to the previous entry', () => edit(4, { prevHash: GENESIS }), undefined, 4, 'entry 4 was altered'],
    ['altered stored hash', () => edit(1, { hash: 'f'.repeat(64) }), undefined, 1, 'entry 1 was altered'],
    ['altered seq', () => edit(6, { seq: 60 }), undefined, 6, 'the entry at position 6 was altered'],
    ['altered first entry', () => edit(1, { body: null }), undefined, 1, 'entry 1 was altered'],
    ['altered last entry', () => edit(8, { body: null }), HEAD, 8, 'entry 8 was altered'],
    ['altered and re-hashed in the middle', () => CASE.map((e) => (e.seq === 4 ? rehash({ ...e, body: 'edited' }) : e)), undefined, 5,
      'entry 5 does not link to entry 4: one of them was altered or replaced'],
    ['altered and re-hashed at the end', () => CASE.map((e) => (e.seq === 8 ? rehash({ ...e, body: 'edited' }) : e)), HEAD, 8,
      'entry 8 does not match the recorded head: the chain was rewritten'],
    ['first entry replaced by one linked elsewhere', () => CASE.map((e) => (e.seq === 1 ? rehash({ ...e, prevHash: 'f'.repeat(64) }) : e)), undefined, 1,
      'entry 1 does not start the chain: it was altered or replaced'],
    ['whole chain rebuilt', () => build(CASE.map((_e, i) => draft('case-1', i + 1, { actorName: 'Mallory' }))), HEAD, 8,
      'entry 8 does not match the recorded head: the chain was rewritten'],
    ['damaged entry (seq is text)', () => edit(3, { seq: '3' as unknown as number }), undefined, 3, 'the entry at position 3 is damaged (missing or invalid fields)'],
    ['damaged entry (body became binary)', () => edit(3, { body: new ArrayBuffer(4) }), undefined, 3, 'the entry at position 3 is damaged (missing or invalid fields)'],

    // inserted
    ['inserted, linked and hashed like a real one', () => insertBefore(6, forged(6, at(5).hash)), undefined, 6, 'an entry was inserted before 6'],
    ['inserted with a made-up hash', () => insertBefore(6, { ...forged(6, at(5).hash), hash: 'a'.repeat(64) }), undefined, 6, 'an entry was inserted before 6'],
    ['inserted with a wrong link', () => insertBefore(6, forged(6, GENESIS)), undefined, 6, 'an entry was inserted before 6'],
    ['inserted with an odd seq', () => insertBefore(6, forged(99, at(5).hash)), undefined, 6, 'an entry was inserted before 6'],
    ['inserted at the start', () => insertBefore(1, forged(1, GENESIS)), undefined, 1, 'an entry was inserted before 1'],
    ['appended past the recorded head', () => [...CASE, appendEntry(at(8), draft('case-1', 9))], HEAD, 9, 'entry 9 was added after the recorded head'],

    // removed
    ['removed in the middle', () => without(4), undefined, 4, 'entry 4 is missing'],
    ['two removed in the middle', () => without(4, 5), undefined, 4, 'entries 4 to 5 are missing'],
    ['first removed', () => without(1), undefined, 1, 'entry 1 is missing'],
    ['removed at the end', () => without(8), HEAD, 8, 'entry 8 is missing from the end'],
    ['two removed at the end', () => without(7, 8), HEAD, 7, 'entries 7 to 8 are missing from the end'],
    ['all removed', () => [], HEAD, 1, 'all 8 entries are missing'],

    // reordered
    ['swapped neighbours', () => [...CASE.slice(0, 4), at(6), at(5), ...CASE.slice(6)], undefined, 5, 'entry 5 is out of order (entry 6 is in its place)'],
    ['swapped far apart', () => CASE.map((e) => (e.seq === 2 ? at(7) : e.seq === 7 ? at(2) : e)), undefined, 2, 'entry 2 is out of order (entry 7 is in its place)'],
    ['moved to the end', () => [...without(3), at(3)], undefined, 3, 'entry 3 is out of order (entry 4 is in its place)'],
    ['reversed', () => [...CASE].reverse(), undefined, 1, 'entry 1 is out of order (entry 8 is in its place)'],

    // duplicated
    ['duplicated in place', () => insertBefore(5, at(4)), undefined, 5, 'entry 4 appears twice (again at position 5)'],
    ['duplicated later', () => insertBefore(7, at(2)), undefined, 7, 'entry 2 appears twice (again at position 7)'],
    ['duplicated at the end', () => [...CASE, at(8)], undefined, 9, 'entry 8 appears twice (again at position 9)'],

    // another chain
    ['entry of another chain inserted', () => insertBefore(4, OTHER[3] as AuditEntry), undefined, 4, 'an entry from another chain (case-2) is at position 4'],
    ['entry of another chain in place of one', () => edit(4, OTHER[3] as AuditEntry), undefined, 4, 'an entry from another chain (case-2) is at position 4'],
    ['entry of another chain first', () => [OTHER[0] as AuditEntry, ...CASE], undefined, 1, 'an entry from another chain (case-2) is at position 1'],
    ['a whole other chain, against the head', () => OTHER, HEAD, 1, 'an entry from another chain (case-2) is at position 1'],
    ['entry moved to another chain', () => edit(5, { chain: 'case-2' }), undefined, 5, 'an entry from another chain (case-2) is at position 5'],
  ];

  it.each(tampering)('%s', (_name, entries, head, brokenAt, reason) => {
    expect(verifyChain(entries(), head)).toEqual({ ok: false, brokenAt, reason });
  });

  // A restore hashes the entries with the platform's SHA-256 and hands the hashes in.
  it.each(tampering)('%s, with the hashes computed by the caller', (_name, entries, head, brokenAt, reason) => {
    const list = entries();
    const hashes = list.map((e) => { try { return entryHash(e); } catch { return null; } });
    expect(verifyChain(list, head, hashes)).toEqual({ ok: false, brokenAt, reason });
  });

  it('a hash from the caller that is not the entry’s (or none) counts as an altered entry, never as a good one', () => {
    const hashes = CASE.map((e) => e.hash);
    expect(verifyChain(CASE, HEAD, hashes)).toEqual({ ok: true, head: at(8).hash, count: 8 });
    expect(verifyChain(CASE, HEAD, hashes.map((h, i) => (i === 4 ? GENESIS : h)))).toEqual({ ok: false, brokenAt: 5, reason: 'entry 5 was altered' });
    expect(verifyChain(CASE, HEAD, hashes.map((h, i) => (i === 2 ? null : h)))).toEqual({ ok: false, brokenAt: 3, reason: 'entry 3 was altered' });
    expect(verifyChain(CASE, HEAD, hashes.slice(0, 6))).toEqual({ ok: false, brokenAt: 7, reason: 'entry 7 was altered' });
  });

  it('copes with rows that are not entries at all', () => {
    const rows = [at(1), null, at(3)] as unknown as AuditEntry[];
    expect(verifyChain(rows)).toEqual({ ok: false, brokenAt: 2, reason: 'the entry at position 2 is damaged (missing or invalid fields)' });
  });

  it('refuses a damaged recorded head', () => {
    expect(verifyChain(CASE, { seq: -1, hash: GENESIS })).toMatchObject({ ok: false, reason: 'the recorded head of the chain is damaged' });
    expect(verifyChain(CASE, { seq: 0, hash: 'x' })).toMatchObject({ ok: false, reason: 'the recorded head of the chain is damaged' });
  });
});

// ---------------------------------------------------------------- properties

/** JSON bodies canonicalJson hashes faithfully (no own __proto__ key). */
const bodyArb = fc.jsonValue({ maxDepth: 3 }).filter((v) => !JSON.stringify(v).includes('"__proto__"'));
const draftsArb = fc.array(
  fc.record({
    at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    actorId: fc.string(),
    actorName: fc.string(),
    kind: fc.constantFrom('create', 'editOrder', 'saveStage', 'tick', 'sign', 'void', 'cancel', 'signIn', 'signInFailed'),
    body: bodyArb,
  }),
  { minLength: 1, maxLength: 12 },
);
const chainArb = draftsArb.map((ds) => build(ds.map((d) => ({ ...d, chain: 'case-p' }))));

type Field = keyof AuditEntry;
const FIELDS: Field[] = ['chain', 'seq', 'at', 'actorId', 'actorName', 'kind', 'body', 'prevHash', 'hash'];
const anyValue = fc.oneof(bodyArb, fc.string(), fc.integer());

describe('properties', () => {
  it('appending any drafts gives a chain that verifies, with and without its stored head', () => {
    fc.assert(
      fc.property(chainArb, (entries) => {
        const last = entries[entries.length - 1] as AuditEntry;
        expect(verifyChain(entries)).toEqual({ ok: true, head: last.hash, count: entries.length });
        expect(verifyChain(entries, chainHead(last)).ok).toBe(true);
        expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
      }),
    );
  });

  it('any single change to any field of any entry fails verification at or before that entry', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), fc.constantFrom(...FIELDS), anyValue, fc.boolean(), (entries, pick, field, value, withHead) => {
        const i = pick % entries.length;
        const original = entries[i] as AuditEntry;
        fc.pre(canonicalJson(value) !== canonicalJson(original[field]));
        const tampered = entries.map((e, j) => (j === i ? { ...e, [field]: value } : e)) as AuditEntry[];
        const head = withHead ? chainHead(entries[entries.length - 1] as AuditEntry) : undefined;
        const result = verifyChain(tampered, head);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.brokenAt).toBeLessThanOrEqual(i + 1);
          expect(result.reason).not.toBe('');
        }
      }),
    );
  });

  it('removing any one entry fails at or before it (with the stored head, even the last one)', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (entries, pick) => {
        const i = pick % entries.length;
        const result = verifyChain(entries.filter((_, j) => j !== i), chainHead(entries[entries.length - 1] as AuditEntry));
        expect(result).toMatchObject({ ok: false, brokenAt: i + 1 });
      }),
    );
  });

  it('cutting off any tail is caught by the stored head', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (entries, pick) => {
        const keep = pick % entries.length;
        const result = verifyChain(entries.slice(0, keep), chainHead(entries[entries.length - 1] as AuditEntry));
        expect(result).toMatchObject({ ok: false, brokenAt: keep + 1 });
      }),
    );
  });

  it('swapping, duplicating or inserting a copy of any entry fails at or before the first changed position', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), fc.nat(), fc.constantFrom('swap', 'duplicate'), (entries, a, b, how) => {
        const i = a % entries.length;
        const j = b % entries.length;
        let tampered: AuditEntry[];
        if (how === 'swap') {
          fc.pre(i !== j);
          tampered = entries.map((e, k) => (k === i ? entries[j] : k === j ? entries[i] : e) as AuditEntry);
        } else {
          tampered = [...entries.slice(0, j), entries[i] as AuditEntry, ...entries.slice(j)];
        }
        const firstChanged = tampered.findIndex((e, k) => e !== entries[k]);
        const result = verifyChain(tampered);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.brokenAt).toBeLessThanOrEqual(firstChanged + 1);
      }),
    );
  });
});

describe('signed entries (format 2)', () => {
  const draft = (n: number, signed: boolean) => ({
    chain: 'c1', at: `2026-12-01T10:00:0${n}Z`, actorId: 'u1', actorName: 'Tess', kind: 'tick', body: { n },
    ...(signed ? { id: `e${n}`, hlc: `h${n}`, keyId: 'k1' } : {}),
  });

  it('hash their id, parents, clock and key, not their signature; older entries hash as they always did', () => {
    const legacy = appendEntry(null, draft(1, false));
    expect(legacy).not.toHaveProperty('v');
    const signed = appendEntry(legacy, draft(2, true));
    expect(signed).toMatchObject({ v: 2, id: 'e2', parents: [legacy.hash], hlc: 'h2', keyId: 'k1' });
    expect(entryHash({ ...signed, sig: 'anything' } as never)).toBe(signed.hash);
    expect(entryHash({ ...signed, hlc: 'h9' })).not.toBe(signed.hash);
    expect(verifyChain([legacy, signed], chainHead(signed)).ok).toBe(true);
  });

  it('refuses an unsigned entry after a signed one, whether appended or found in storage', () => {
    const signed = appendEntry(null, draft(1, true));
    expect(() => appendEntry(signed, draft(2, false))).toThrow(/must be signed too/);
    const unhashed = { ...draft(2, false), seq: 2, prevHash: signed.hash };
    const forged = { ...unhashed, hash: entryHash(unhashed) };
    const v = verifyChain([signed, forged], chainHead(forged));
    expect(v).toMatchObject({ ok: false, brokenAt: 2, reason: expect.stringMatching(/not signed, yet it follows signed entries/) });
  });
});
