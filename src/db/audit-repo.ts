// The audit trail (21 CFR 11.10(e), HIPAA 164.312(b)): append-only, hash-chained,
// signed entries. A case's chain holds its events, sealed (they may carry PHI before
// and after values) together with the command and a hash of the case as it resulted;
// the lab chain (lab-log-repo.ts) holds people, keys, sign-ins and lab settings, which
// carry no PHI. Entries are only ever added, inside the same transaction as the change
// they describe; each chain's head is stored beside it so that cutting entries off
// the end is detected too.
import { historyKeptWhole, holdingOf, type Holding } from '../domain/holding';
import type { DataKey } from '../crypto/key-ring';
import type { Verify } from '../crypto/verify-pool';
import { BoundedMap } from '../domain/bounded-map';
import { sha256Hex } from '../domain/canonical';
import { entryHashText, verifyChain, type AuditEntry, type ChainHead, type ChainVerification } from '../domain/audit-chain';
import type { CaseEvent } from '../domain/case';
import type { Command } from '../domain/commands';
import { entryKeyOf, introducedKeys, type LabEvent, type LabState } from '../domain/lab-log';
import { readSyncState } from './sync-state';
import { decryptJson, type Sealed } from '../crypto/field-cipher';
import { activeDb, db, type PrintpathDb } from './database';
import { labProblem, readLabTrust } from './lab-log-repo';
import { entrySignatureValid } from './signed-entries';
import { subscribeVault } from './vault';
import { nextTask } from './next-task';

/** What a signed case entry seals: the event shown in the history, the command that made it, the case it resulted in. */
export type SealedCaseEntry = { event: CaseEvent; command: Command | null; caseHash: string | null };

const chainEntries = (chain: string, store: PrintpathDb = activeDb(db)) => store.audit.where('[chain+seq]').between([chain, 0], [chain, Infinity]);

/** The last entry of a chain (read before a write: the write's transaction checks it is still the last). */
export const lastEntry = (chain: string, store: PrintpathDb = activeDb(db)) => chainEntries(chain, store).last().then((e) => e ?? null);

/**
 * Whether this device holds the case's history. Only a connected device holding recent cases
 * keeps of an older closed or cancelled case the record alone (domain/holding.ts), and then
 * none of its entries: anything else (a head that names a missing entry, say) is a history
 * here that must verify, so an altered record never passes for one kept elsewhere.
 */
export async function holdsHistory(
  row: { id: string; auditHead: { seq: number }; statusKey: string; updatedAt: string },
  store: PrintpathDb = activeDb(db),
  holds?: Holding | 'arriving',
): Promise<boolean> {
  if (row.auditHead.seq < 1) return true;
  if (historyKeptWhole(holds ?? holdingOf(await readSyncState(store)), row, new Date().toISOString())) return true;
  // Up to the record's own head: a record can arrive before the last of its history.
  return ((await chainEntries(row.id, store).last())?.seq ?? 0) >= row.auditHead.seq;
}

/** A case's history entries in order. Read them in one transaction with the case's row, whose head they must match. */
export const caseHistoryEntries = (caseId: string) => chainEntries(caseId).toArray();

/** Opens an entry's sealed body: format 2 seals { event, command, caseHash }, older entries the event alone. */
export async function openCaseEntry(e: AuditEntry, caseId: string, dataKey: DataKey): Promise<SealedCaseEntry> {
  const opened = await decryptJson<SealedCaseEntry | CaseEvent>(e.body as Sealed, dataKey, caseId);
  return e.v === 2 ? (opened as SealedCaseEntry) : { event: opened as CaseEvent, command: null, caseHash: null };
}

// A case's history is checked on every opening and again after every change, and its SHA-256
// is JavaScript: each entry's hash is remembered by exactly the text it hashes (its canonical
// JSON), so an entry read again unchanged is not hashed again, and any change to it is.
const HASHED = 5_000;
const hashes = new BoundedMap<string, string>(HASHED);
// null: not hashable, which verifyChain reports as altered.
const rememberedEntryHash = (text: string | null): string | null => (text === null ? null : hashes.of(text, () => sha256Hex(text)));
function hashTextOf(e: AuditEntry): string | null {
  try {
    return entryHashText(e);
  } catch {
    return null;
  }
}

// Likewise each entry's opened event, by the same text (which holds its chain and its sealed body,
// so an altered entry is opened afresh), for the signed-in person's keys only: dropped at every
// lock and sign-in. An entry that did not open is tried again (a key epoch may have arrived since).
const opened = new BoundedMap<string, CaseEvent>(HASHED);
subscribeVault(() => opened.clear());
export const openedEventCount = () => opened.size;
async function openedEvent(e: AuditEntry, text: string | null, caseId: string, dataKey: DataKey): Promise<CaseEvent | null> {
  const known = text === null ? undefined : opened.get(text);
  if (known) return known;
  try {
    const { event } = await openCaseEntry(e, caseId, dataKey);
    if (text !== null) opened.set(text, event);
    return event;
  } catch {
    return null; // an entry that no longer opens was altered; the verification says where
  }
}

/** Case entries whose signature does not verify with a key of their author on the lab log (by seq). */
export async function unsignedByAuthor(entries: readonly AuditEntry[], lab: LabState, verify?: Verify): Promise<number[]> {
  const checks = await Promise.all(
    entries
      .filter((e) => e.v === 2)
      .map(async (e) => {
        const author = lab.members.get(e.actorId);
        const key = author && entryKeyOf(author, e.keyId ?? '');
        return (await entrySignatureValid(e, key, verify)) ? null : e.seq;
      }),
  );
  return checks.filter((s): s is number => s !== null);
}

const CHECKED_AT_ONCE = 16;

/**
 * Checks a case's entries against its stored head and their authors' keys, and opens
 * their sealed events. Entries made before the signed log must end where the lab log
 * recorded the case's head when it started; otherwise they were made by hand.
 */
export async function openCaseHistory(caseId: string, entries: AuditEntry[], head: ChainHead | null, dataKey: DataKey): Promise<{ events: CaseEvent[]; verification: ChainVerification }> {
  const texts = entries.map(hashTextOf);
  const links = verifyChain(entries, head, texts.map(rememberedEntryHash));
  const lab = await readLabTrust();
  const events: (CaseEvent | null)[] = [];
  const unsigned: number[] = [];
  // Chromium checks each signature on the page's own thread: a long history is checked a slice at a
  // time, each its own task, so a tap on the case page is never held behind all of it.
  for (let i = 0; i < entries.length; i += CHECKED_AT_ONCE) {
    if (i > 0) await nextTask();
    const slice = entries.slice(i, i + CHECKED_AT_ONCE);
    const [opened, bad] = await Promise.all([Promise.all(slice.map((e, j) => openedEvent(e, texts[i + j] ?? null, caseId, dataKey))), unsignedByAuthor(slice, lab.state)]);
    events.push(...opened);
    unsigned.push(...bad);
  }
  return { events: events.filter((e): e is CaseEvent => e !== null), verification: links.ok ? signedHistory(caseId, entries, links, unsigned, lab.state) : links };
}

/** A chain whose links verify, checked further: every signed entry by its author's key, entries from before the signed log anchored by it. */
export function signedHistory(caseId: string, entries: AuditEntry[], links: Extract<ChainVerification, { ok: true }>, unsigned: number[], lab: LabState): ChainVerification {
  if (unsigned.length) return { ok: false, brokenAt: unsigned[0]!, reason: `entry ${unsigned[0]} is not signed by its author’s key on the lab log` };
  const legacy = entries.filter((e) => e.v !== 2);
  if (legacy.length) {
    const anchor = lab.legacyCases[caseId];
    const last = legacy.at(-1)!;
    if (anchor !== last.hash) return { ok: false, brokenAt: last.seq, reason: `entry ${last.seq} was made before the signed log, but the lab log does not record it: it was added or altered by hand` };
  }
  return links;
}

export type HistoryEntry<T> = { at: string; actorName: string; kind: string; body: T; signed: boolean; /** Devices of a lab: on which device it was recorded. */ device?: 'this' | 'other' };
export type History<T> = { entries: HistoryEntry<T>[]; verification: ChainVerification; problem: string | null; root: string | null };

/**
 * The lab log with every signature checked, for the admin page. On devices that share a
 * lab, each device's own events (sign-ins, failed attempts) are on its own chain: they are
 * listed too, in time order, each chain checked and each entry's signature checked.
 */
export async function readLabHistory(): Promise<History<LabEvent>> {
  const t = await readLabTrust({ all: true });
  const bad = new Set(t.badSignatures);
  const lab: HistoryEntry<LabEvent>[] = t.entries.map((e) => ({ at: e.at, actorName: e.actorName, kind: e.kind, body: e.body, signed: e.v === 2 && !!e.sig && !bad.has(e.seq) }));
  const devices = await deviceEntries(t.entries);
  return {
    entries: devices.length ? [...lab, ...devices].sort((a, b) => a.at.localeCompare(b.at)) : lab,
    verification: t.chain,
    problem: labProblem(t),
    root: t.state.root,
  };
}

async function deviceEntries(labEntries: AuditEntry<LabEvent>[]): Promise<HistoryEntry<LabEvent>[]> {
  const all = (await db.audit.where('[chain+seq]').between(['device:', 0], ['device:\uffff', Infinity]).toArray()) as AuditEntry<LabEvent>[];
  if (all.length === 0) return [];
  const mine = (await readSyncState(db))?.deviceId;
  const keys = introducedKeys(labEntries);
  const chains = new Map<string, AuditEntry<LabEvent>[]>();
  for (const e of all) chains.set(e.chain, [...(chains.get(e.chain) ?? []), e]);
  const out: HistoryEntry<LabEvent>[] = [];
  for (const [chain, entries] of chains) {
    const links = verifyChain(entries);
    const checks = await Promise.all(entries.map((e) => (e.sig ? entrySignatureValid(e, keys.get(e.keyId ?? '')) : false)));
    entries.forEach((e, n) => {
      const linked = links.ok || e.seq < links.brokenAt;
      out.push({ at: e.at, actorName: e.actorName, kind: e.kind, body: e.body, signed: linked && checks[n] === true, device: chain === `device:${mine}` ? 'this' : 'other' });
    });
  }
  return out;
}
