// Tamper-evident audit trail: one hash chain per case (and one, 'lab', for lab-wide
// events). Each entry carries the hash of the one before it, so altering, inserting,
// removing or reordering entries breaks a link that verifyChain reports in plain words.
// Entries of format 2 are also signed by their author (the signature covers the hash,
// so the whole chain up to it), which is what stops a chain being rebuilt by anyone
// who can write the store: checking those signatures needs Web Crypto and happens in
// src/db; here are the rules that are pure. Format 2 also carries what another device
// needs to order and replay an entry: a global id, its parents and a hybrid logical clock.
// Pure and synchronous: no clock, storage or DOM — callers pass `at` and persist entries.
import { canonicalJson, sha256Hex } from './canonical';

export type AuditEntry<T = unknown> = {
  /** Which chain: a case id, or 'lab' for lab-wide events. */
  chain: string;
  /** 1, 2, 3… within the chain. */
  seq: number;
  /** ISO 8601 time of the event. */
  at: string;
  actorId: string;
  actorName: string;
  kind: string;
  /** The event payload (may be an encrypted blob for PHI). Must be plain JSON data. */
  body: T;
  /** Hash of the previous entry, GENESIS for the first. */
  prevHash: string;
  hash: string;
  /** 2: a signed entry (id, parents, hlc and keyId set; sig added once signed). Absent: made before the signed log. */
  v?: 2;
  /** Globally unique (a UUID): the same entry on every device. */
  id?: string;
  /** Hashes of the entries its author had seen last on this chain (today the one before it). */
  parents?: string[];
  /** Hybrid logical clock (hlc.ts): orders entries of several devices. */
  hlc?: string;
  /** Fingerprint of the public key that signs it; '' for the few events no one signed in can sign (failed sign-ins). */
  keyId?: string;
  /** ECDSA P-256 (base64) over entrySigningText(hash). Not part of the hash. */
  sig?: string;
};

export type AuditDraft<T = unknown> = Pick<AuditEntry<T>, 'chain' | 'at' | 'actorId' | 'actorName' | 'kind' | 'body'> &
  Partial<Pick<AuditEntry<T>, 'id' | 'hlc' | 'keyId'>>;

/** Kinds that are written while nobody is signed in, so no person's key can sign them. */
export const UNSIGNED_KINDS: ReadonlySet<string> = new Set(['sign-in-failed', 'account-locked']);

/** The last entry of a chain, stored apart from the entries so a cut-off tail is noticed. */
export type ChainHead = {
  seq: number;
  hash: string;
  /** The chain the entries must belong to; when absent, the chain most entries name. */
  chain?: string;
};

export type ChainVerification =
  | { ok: true; head: string | null; count: number }
  | {
      ok: false;
      /** 1-based position (= the seq that belongs there) of the first entry that cannot be trusted. */
      brokenAt: number;
      reason: string;
    };

export const GENESIS = '0'.repeat(64);

/**
 * The hash of an entry: SHA-256 of the canonical JSON of every field except `hash` and `sig`.
 * canonicalJson drops undefined fields, so an entry made before format 2 hashes as it always did.
 */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return sha256Hex(entryHashText(entry));
}

/** What entryHash hashes (UTF-8): for a caller that hashes many entries with the platform's SHA-256 instead. */
export function entryHashText(entry: Omit<AuditEntry, 'hash'>): string {
  const { chain, seq, at, actorId, actorName, kind, body, prevHash, v, id, parents, hlc, keyId } = entry;
  return canonicalJson({ chain, seq, at, actorId, actorName, kind, body, prevHash, v, id, parents, hlc, keyId });
}

/** What an entry's author signs: its hash, which covers its content and every entry before it. */
export const entrySigningText = (hash: string) => `printpath/v2/entry\u0000${hash}`;

export const isSignedFormat = (e: Pick<AuditEntry, 'v'>) => e.v === 2;

/** The head to store beside a chain after appending `entry` (or for an empty chain). */
export function chainHead(entry: AuditEntry | null, chain?: string): ChainHead {
  if (entry === null) return { seq: 0, hash: GENESIS, ...(chain === undefined ? {} : { chain }) };
  return { seq: entry.seq, hash: entry.hash, chain: entry.chain };
}

/** The next entry of a chain. Throws rather than build an entry that would not verify. */
export function appendEntry<T>(prev: AuditEntry | null, draft: AuditDraft<T>): AuditEntry<T> {
  if (typeof draft.chain !== 'string' || draft.chain === '') throw new Error('An audit entry needs a chain');
  for (const field of ['at', 'actorId', 'actorName', 'kind'] as const) {
    if (typeof draft[field] !== 'string') throw new Error(`An audit entry needs ${field} as text`);
  }
  if (!isPlainJson(draft.body)) {
    // canonicalJson would hash e.g. an ArrayBuffer as {}, leaving its bytes unprotected.
    throw new Error('An audit entry body must be plain JSON data (encode binary, e.g. ciphertext, as base64 text)');
  }
  if (prev !== null) {
    if (prev.chain !== draft.chain) {
      throw new Error(`Cannot append an entry for chain "${draft.chain}" to chain "${prev.chain}"`);
    }
    if (!isWellFormed(prev) || entryHash(prev) !== prev.hash) {
      throw new Error(`Cannot append to chain "${prev.chain}": entry ${String(prev.seq)} was altered`);
    }
  }
  const prevHash = prev === null ? GENESIS : prev.hash;
  const signed = draft.id !== undefined;
  if (signed && (typeof draft.hlc !== 'string' || typeof draft.keyId !== 'string')) throw new Error('A signed audit entry needs an id, a clock and a key');
  if (!signed && prev !== null && isSignedFormat(prev)) throw new Error('An entry after a signed one must be signed too');
  const unhashed: Omit<AuditEntry<T>, 'hash'> = {
    chain: draft.chain,
    seq: prev === null ? 1 : prev.seq + 1,
    at: draft.at,
    actorId: draft.actorId,
    actorName: draft.actorName,
    kind: draft.kind,
    body: draft.body,
    prevHash,
    ...(signed ? { v: 2 as const, id: draft.id, parents: [prevHash], hlc: draft.hlc, keyId: draft.keyId } : {}),
  };
  return { ...unhashed, hash: entryHash(unhashed) };
}

/**
 * Checks entries in the order given (the repository reads them by seq; nothing is sorted
 * here) and names the first broken link. With `expectedHead`, also notices entries cut
 * off the end, or a chain rewritten past the recorded head. `hashes`: entryHash of each
 * entry, position by position, computed by the caller (null where it could not be); when
 * given, the entries are not hashed again here.
 */
export function verifyChain(entries: readonly AuditEntry[], expectedHead?: ChainHead | null, hashes?: readonly (string | null)[]): ChainVerification {
  const chain = expectedHead?.chain ?? mostNamedChain(entries);
  const selfConsistent = entries.map((e, i) => isWellFormed(e) && (hashes ? hashes[i] ?? null : safeHash(e)) === e.hash);
  const fail = (brokenAt: number, reason: string): ChainVerification => ({ ok: false, brokenAt, reason });

  // Would `entries[j]` be accepted at position n, right after an entry whose hash is prevHash?
  const fitsAt = (j: number, n: number, prevHash: string): boolean => {
    const e = entries[j];
    return e !== undefined && selfConsistent[j] === true && e.chain === chain && e.seq === n && e.prevHash === prevHash;
  };

  // Does e's prevHash name an entry in the list that has the seq just before e's (a genuine entry, misplaced)?
  const linksIntoList = (e: AuditEntry, i: number): boolean =>
    e.seq === 1
      ? e.prevHash === GENESIS
      : entries.some((x, j) => j !== i && selfConsistent[j] === true && x.seq === e.seq - 1 && x.hash === e.prevHash);

  const seenHashes = new Set<string>();
  let signedSeen = false;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as AuditEntry;
    const n = i + 1; // positions 1..i all held seq 1..i, so seq n belongs here
    const expectedPrev = i === 0 ? GENESIS : (entries[i - 1] as AuditEntry).hash;
    if (fitsAt(i, n, expectedPrev)) {
      // Unsigned entries belong only before the signed log began: one after it was made by hand.
      if (signedSeen && !isSignedFormat(e)) return fail(n, `entry ${n} is not signed, yet it follows signed entries: it was inserted or altered`);
      signedSeen ||= isSignedFormat(e);
      seenHashes.add(e.hash);
      continue;
    }

    if (!isWellFormed(e)) {
      if (fitsAt(i + 1, n, expectedPrev)) return fail(n, `an entry was inserted before ${n}`);
      return fail(n, `the entry at position ${n} is damaged (missing or invalid fields)`);
    }
    if (e.chain !== chain) return fail(n, `an entry from another chain (${e.chain}) is at position ${n}`);
    if (selfConsistent[i] !== true) {
      if (fitsAt(i + 1, n, expectedPrev)) return fail(n, `an entry was inserted before ${n}`);
      return fail(n, e.seq === n ? `entry ${n} was altered` : `the entry at position ${n} was altered`);
    }
    if (seenHashes.has(e.hash)) return fail(n, `entry ${e.seq} appears twice (again at position ${n})`);

    if (e.seq === n) {
      // Right number, wrong link.
      if (fitsAt(i + 1, n, expectedPrev)) return fail(n, `an entry was inserted before ${n}`);
      if (n === 1) return fail(1, 'entry 1 does not start the chain: it was altered or replaced');
      return fail(n, `entry ${n} does not link to entry ${n - 1}: one of them was altered or replaced`);
    }
    if (e.seq > n) {
      const laterHasN = entries.some((x, j) => j > i && selfConsistent[j] === true && x.chain === chain && x.seq === n);
      if (laterHasN && linksIntoList(e, i)) return fail(n, `entry ${n} is out of order (entry ${e.seq} is in its place)`);
      if (fitsAt(i + 1, n, expectedPrev)) return fail(n, `an entry was inserted before ${n}`);
      if (laterHasN) return fail(n, `entry ${n} is out of order (entry ${e.seq} is in its place)`);
      return fail(n, e.seq === n + 1 ? `entry ${n} is missing` : `entries ${n} to ${e.seq - 1} are missing`);
    }
    // e.seq < n: a second entry with a number already used.
    const rival = e.seq === 1 ? GENESIS : entries[e.seq - 2]?.hash;
    if (e.prevHash === rival) return fail(e.seq, `an entry was inserted before ${e.seq}`);
    return fail(n, `entry ${e.seq} is out of order (found after entry ${n - 1})`);
  }

  const last = entries[entries.length - 1];
  const count = entries.length; // every entry passed, so the last one's seq is the count
  if (expectedHead !== undefined && expectedHead !== null) {
    const { seq, hash } = expectedHead;
    if (!Number.isSafeInteger(seq) || seq < 0 || (seq === 0 && hash !== GENESIS)) {
      return fail(1, 'the recorded head of the chain is damaged');
    }
    if (count < seq) {
      const first = count + 1;
      if (count === 0) return fail(1, seq === 1 ? 'entry 1 is missing' : `all ${seq} entries are missing`);
      return fail(first, first === seq ? `entry ${seq} is missing from the end` : `entries ${first} to ${seq} are missing from the end`);
    }
    if (seq > 0 && (entries[seq - 1] as AuditEntry).hash !== hash) {
      return fail(seq, `entry ${seq} does not match the recorded head: the chain was rewritten`);
    }
    if (count > seq) return fail(seq + 1, `entry ${seq + 1} was added after the recorded head`);
  }
  return { ok: true, head: last === undefined ? null : last.hash, count };
}

// The chain most entries name; on a tie, the first of them to appear.
function mostNamedChain(entries: readonly AuditEntry[]): string | undefined {
  const counts = new Map<string, number>();
  for (const e of entries) {
    if (e !== null && typeof e === 'object' && typeof e.chain === 'string') counts.set(e.chain, (counts.get(e.chain) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [chain, n] of counts) {
    if (n > bestCount) {
      best = chain;
      bestCount = n;
    }
  }
  return best;
}

function isWellFormed(e: unknown): e is AuditEntry {
  if (e === null || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  return (
    typeof x.chain === 'string' &&
    typeof x.seq === 'number' &&
    Number.isSafeInteger(x.seq) &&
    x.seq >= 1 &&
    typeof x.at === 'string' &&
    typeof x.actorId === 'string' &&
    typeof x.actorName === 'string' &&
    typeof x.kind === 'string' &&
    typeof x.prevHash === 'string' &&
    typeof x.hash === 'string' &&
    isPlainJson(x.body) &&
    (x.v === undefined ||
      (x.v === 2 &&
        typeof x.id === 'string' &&
        typeof x.hlc === 'string' &&
        typeof x.keyId === 'string' &&
        Array.isArray(x.parents) &&
        x.parents.every((p) => typeof p === 'string') &&
        (x.sig === undefined || typeof x.sig === 'string')))
  );
}

function safeHash(e: AuditEntry): string | null {
  try {
    return sha256Hex(entryHashText(e));
  } catch {
    return null;
  }
}

/** Data canonicalJson hashes faithfully: no class instances, binary buffers, functions or non-finite numbers. */
function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      if (!(k in value) || !isPlainJson(value[k], depth + 1)) return false;
    }
    return true;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return false;
    // canonicalJson would drop an own "__proto__" key's content from the hash.
    if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return false;
    return Object.values(value).every((v) => v === undefined || isPlainJson(v, depth + 1));
  }
  return false;
}
