// The lab log on this device (domain/lab-log.ts): the chain 'lab' of the audit
// store, every entry signed. Writing: the entries are built and signed first, then
// one durable transaction checks the log did not move, makes the change and appends
// them. Reading: links and head first, then the signatures of the entries that
// change who may do what (the rest are checked on the admin page), then the fold.
import { chainHead, UNSIGNED_KINDS, verifyChain, type AuditEntry, type ChainHead, type ChainVerification } from '../domain/audit-chain';
import { changesAuthority, foldLabLog, introducedKeys, mergedLogs, type LabEvent, type LabState, type MergedState } from '../domain/lab-log';
import { activeDb, appendEntries, db, durableDb, type PrintpathDb } from './database';
import { CommandRefused, guardStorage } from './errors';
import { entrySignatureValid, signedEntries, type EntrySigner } from './signed-entries';
import { deviceChain, readSyncState } from './sync-state';

export const LAB_CHAIN = 'lab';
export const LAB_HEAD = 'labHead';
/** The lab log a tablet brought when it joined with its own records, in parts: `mergedLog:<merge id>:<part>` (sync/merge.ts). */
export const MERGED_LOG_PREFIX = 'mergedLog:';

/** Merged logs' entries by merge id, from settings rows (this device's, or a backup's). */
export function mergedLogEntries(settings: readonly { key: string; value: unknown }[]): Map<string, AuditEntry<LabEvent>[]> {
  const parts = settings.filter((s) => s.key.startsWith(MERGED_LOG_PREFIX)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out = new Map<string, AuditEntry<LabEvent>[]>();
  for (const { key, value } of parts) {
    const id = key.slice(MERGED_LOG_PREFIX.length).split(':')[0]!;
    out.set(id, [...(out.get(id) ?? []), ...(Array.isArray(value) ? (value as AuditEntry<LabEvent>[]) : [])]);
  }
  return out;
}

const storedMergedLogs = async (store: PrintpathDb) => mergedLogEntries(await store.settings.where('key').startsWith(MERGED_LOG_PREFIX).toArray());

const chainEntries = (store: PrintpathDb, chain: string) => store.audit.where('[chain+seq]').between([chain, 0], [chain, Infinity]);
export const labEntries = (store: PrintpathDb) => chainEntries(store, LAB_CHAIN);

/** What only this device records (who signed in here, failed attempts, exports): on a connected device these go on its own chain. */
const DEVICE_KINDS: ReadonlySet<string> = new Set(['sign-in', 'sign-in-failed', 'account-locked', 'lock', 'backup-exported', 'conflict-resolved']);

async function chainFor(events: readonly LabEvent[]): Promise<string> {
  if (events.length === 0 || !events.every((e) => DEVICE_KINDS.has(e.kind))) return LAB_CHAIN;
  const sync = await readSyncState(durableDb);
  return sync ? deviceChain(sync) : LAB_CHAIN;
}

class Moved extends Error {}

/** What a lab write records and, inside its transaction, changes (it may throw CommandRefused). */
export type LabChange<T> = { events: LabEvent[]; write?: () => Promise<T> };

/**
 * Appends `events` to the lab log, signed by `signer`, together with `write`, in one
 * durable transaction; `prepare` runs again if another write moved the log meanwhile.
 */
export async function writeLab<T = void>(signer: EntrySigner, at: string, prepare: () => LabChange<T> | Promise<LabChange<T>>, attempts = 3): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    const change = await prepare();
    const chain = await chainFor(change.events);
    const last = (await chainEntries(durableDb, chain).last()) ?? null;
    const entries = await signedEntries(last, change.events.map((body) => ({ chain, at, kind: body.kind, body })), signer);
    try {
      return await guardStorage(() =>
        durableDb.transaction('rw', [durableDb.users, durableDb.audit, durableDb.outbox, durableDb.parked, durableDb.settings, durableDb.printers, durableDb.materials, durableDb.cases, durableDb.fileChunks], async () => {
          if (((await chainEntries(durableDb, chain).last())?.hash ?? null) !== (last?.hash ?? null)) throw new Moved();
          const result = change.write ? await change.write() : undefined;
          if (entries.length) {
            await appendEntries(durableDb, entries);
            if (chain === LAB_CHAIN) await durableDb.settings.put({ key: LAB_HEAD, value: chainHead(entries.at(-1)!, LAB_CHAIN) });
          }
          return result;
        }),
      );
    } catch (e) {
      if (!(e instanceof Moved)) throw e;
      if (attempt >= attempts) throw new CommandRefused('The lab changed on another screen while saving: nothing was saved. Try again.');
    }
  }
}

export type LabTrust = {
  state: LabState;
  chain: ChainVerification;
  /** Every signed entry checked (the admin page), or only those that change who may do what (sign-in). */
  checked: 'all' | 'authority';
  /** Signed entries whose signature does not verify, by seq. */
  badSignatures: number[];
  entries: AuditEntry<LabEvent>[];
};

let memo: { key: string; value: Promise<LabTrust> } | null = null;

/**
 * The lab log read, checked and folded. Memoised by its stored head and the entry that
 * head names (two reads), so opening a case does not read the whole log again.
 */
export function readLabTrust({ all = false, store = activeDb(db) }: { all?: boolean; store?: PrintpathDb } = {}): Promise<LabTrust> {
  // Reads asked for while one is under way (a case's view and history, the people list, after a write) share it.
  const same = reading?.all === all && reading.store === store ? reading : null;
  if (same) return same.value;
  const value = readLabTrustNow(all, store);
  reading = { all, store, value };
  const done = () => {
    if (reading?.value === value) reading = null;
  };
  value.then(done, done);
  return value;
}
let reading: { all: boolean; store: PrintpathDb; value: Promise<LabTrust> } | null = null;

async function readLabTrustNow(all: boolean, store: PrintpathDb): Promise<LabTrust> {
  // A merged log's parts may arrive after the entry that vouches for them.
  const [stored, parts] = await Promise.all([store.settings.get(LAB_HEAD), store.settings.where('key').startsWith(MERGED_LOG_PREFIX).count()]);
  const head = stored?.value as ChainHead | undefined;
  const last = head ? await store.audit.get([LAB_CHAIN, head.seq]) : undefined;
  const key = `${all}:${JSON.stringify(head ?? null)}:${last?.hash ?? ''}:${last?.sig ?? ''}:${parts}`;
  if (memo?.key !== key) {
    const value = Promise.all([labEntries(store).toArray(), parts ? storedMergedLogs(store) : new Map()]).then(([entries, merged]) => checkLab(entries as AuditEntry<LabEvent>[], head ?? null, all, merged));
    memo = { key, value };
    value.catch(() => {
      if (memo?.value === value) memo = null;
    });
  }
  return memo.value;
}

/** The checks of readLabTrust on given entries (a backup's, say), with the logs merged into it by merge id. */
export async function checkLab(entries: AuditEntry<LabEvent>[], head: ChainHead | null, all: boolean, merged: ReadonlyMap<string, AuditEntry<LabEvent>[]> = new Map()): Promise<LabTrust> {
  const chain = verifyChain(entries, head);
  const trusted = chain.ok ? entries : entries.slice(0, chain.brokenAt - 1);
  const states = new Map<string, MergedState>();
  for (const m of mergedLogs(trusted)) {
    const brought = merged.get(m.id);
    if (!brought) continue;
    const sub = await checkLab(brought, { seq: m.seq, hash: m.head, chain: LAB_CHAIN }, all);
    const problem = labProblem(sub);
    states.set(m.id, problem ? { problem: problem.replace(/^The lab log does not verify: /, '') } : sub.state);
  }
  const keys = introducedKeys([...trusted, ...[...merged.values()].flat()]);
  const signed = trusted.filter((e) => e.v === 2 && !UNSIGNED_KINDS.has(e.kind));
  const toCheck = all ? signed : [...signed.filter(changesAuthority), ...signed.slice(-1)];
  const results = new Map<AuditEntry, boolean>(await Promise.all(toCheck.map(async (e) => [e, await entrySignatureValid(e, keys.get(e.keyId ?? ''))] as const)));
  const state = foldLabLog(trusted, (e) => results.get(e), states);
  const badSignatures = [...results].filter(([, ok]) => !ok).map(([e]) => e.seq);
  return { state, chain, checked: all ? 'all' : 'authority', badSignatures, entries };
}

/** Where the lab log stands, in one sentence; null when it verifies. */
export function labProblem(t: LabTrust): string | null {
  if (!t.chain.ok) return `The lab log does not verify: ${t.chain.reason}.`;
  if (t.state.root === null) return t.entries.some((e) => e.v === 2) ? 'The lab log has no valid signed start: nobody on it can be trusted.' : null;
  if (t.badSignatures.length) return `The lab log does not verify: entry ${t.badSignatures[0]} carries a signature that does not verify.`;
  if (t.state.refused.length) return `The lab log does not verify: ${t.state.refused[0]!.reason}.`;
  return null;
}
