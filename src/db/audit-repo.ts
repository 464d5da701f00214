// The audit trail (21 CFR 11.10(e), HIPAA 164.312(b)): append-only, hash-chained
// entries. A case's chain holds its events, sealed (they may carry PHI before
// and after values); the lab chain holds sign-ins, failed sign-ins and user
// changes, which carry no PHI. Entries are only ever added, inside the same
// transaction as the change they describe; each chain's head is stored beside
// it so that cutting entries off the end is detected too.
import { appendEntry, chainHead, verifyChain, type AuditEntry, type ChainHead, type ChainVerification } from '../domain/audit-chain';
import type { CaseEvent } from '../domain/case';
import { decryptJson, type Sealed } from '../crypto/field-cipher';
import { activeDb, db, durableDb, type PrintpathDb } from './database';

export const LAB_CHAIN = 'lab';
const LAB_HEAD = 'labHead';

/** Changes to the lab's printer and material lists (lab-settings-repo.ts). */
export type LabListEventKind = `${'printer' | 'material'}-${'added' | 'changed' | 'retired' | 'reactivated' | 'deleted'}`;

export type LabEvent = {
  kind: LabListEventKind | 'tablet-set-up' | 'user-added' | 'user-disabled' | 'user-enabled' | 'secret-reset' | 'signing-key-set' | 'sign-in' | 'sign-in-failed' | 'account-locked' | 'policy-changed' | 'lock' | 'backup-exported' | 'backup-restored';
  summary: string;
  subjectId?: string;
  keyFingerprint?: string;
};

const chainEntries = (chain: string, store: PrintpathDb = activeDb(db)) => store.audit.where('[chain+seq]').between([chain, 0], [chain, Infinity]);

/** Inside a transaction that includes `audit`: the entry that follows the chain's last one. */
export async function nextEntry<T>(chain: string, draft: { at: string; actorId: string; actorName: string; kind: string; body: T }, store: PrintpathDb = activeDb(db)): Promise<AuditEntry<T>> {
  const last = (await chainEntries(chain, store).last()) ?? null;
  return appendEntry(last, { chain, ...draft });
}

/** Inside a transaction that includes `audit` and `settings` (on the durable connection where it matters). */
export async function appendLabEvent(at: string, actor: { id: string; name: string }, event: LabEvent, store: PrintpathDb = activeDb(durableDb)): Promise<void> {
  const entry = await nextEntry(LAB_CHAIN, { at, actorId: actor.id, actorName: actor.name, kind: event.kind, body: event }, store);
  await store.audit.add(entry);
  await store.settings.put({ key: LAB_HEAD, value: chainHead(entry, LAB_CHAIN) });
}

export type History<T> = { entries: { at: string; actorName: string; kind: string; body: T }[]; verification: ChainVerification };

/** A case's history entries in order. Read them in one transaction with the case's row, whose head they must match. */
export const caseHistoryEntries = (caseId: string) => chainEntries(caseId).toArray();

/** Checks a case's entries against its stored head, and opens their sealed events. */
export async function openCaseHistory(caseId: string, entries: AuditEntry[], head: ChainHead | null, dataKey: CryptoKey): Promise<{ events: CaseEvent[]; verification: ChainVerification }> {
  const verification = verifyChain(entries, head);
  // An entry that no longer opens was altered; the verification already says where.
  const opened = await Promise.all(entries.map((e) => decryptJson<CaseEvent>(e.body as Sealed, dataKey, caseId).catch(() => null)));
  return { events: opened.filter((e): e is CaseEvent => e !== null), verification };
}

export async function readLabHistory(): Promise<History<LabEvent>> {
  const [entries, head] = await Promise.all([chainEntries(LAB_CHAIN).toArray(), db.settings.get(LAB_HEAD)]);
  return {
    entries: entries.map((e) => ({ at: e.at, actorName: e.actorName, kind: e.kind, body: e.body as LabEvent })),
    verification: verifyChain(entries, (head?.value as ChainHead | undefined) ?? null),
  };
}
