// Applying what other devices sent. Events wait in the inbox (still sealed) until this
// device can open them (someone is signed in, or an enrolment is collecting its key),
// then are applied in the server's order, a chunk at a time, each chunk in one
// transaction with the removal of its inbox rows: a crash re-applies, never loses.
//   entries   appended where they follow this device's chain. Where this device has an
//             entry of its own at that place (made while apart, never accepted by the
//             server), its entries from there on are parked: kept and shown, not lost.
//   a case    travels with the entry that was its head; it is applied with that entry,
//             its list keys derived again here (never taken from another device); the
//             model files it names that are not here come down later (file-transfer.ts).
//   records   people, shared settings, equipment: the latest clock wins.
//   unknown   kinds from a newer version stay in the inbox, counted, never dropped.
import type { DataKey, KeyRing } from '../crypto/key-ring';
import { GENESIS, chainHead, entryHash } from '../domain/audit-chain';
import { canonicalJson, sha256Hex } from '../domain/canonical';
import { entryEventId } from '../domain/entry-id';
import type { PulledEvent, PullResponse } from '../domain/sync-wire';
import { numberKeys, type SearchKey } from '../domain/search-terms';
import { base64ToBytes } from '../crypto/encoding';
import { decryptJson, type Sealed } from '../crypto/field-cipher';
import { DecryptionError } from '../crypto/errors';
import { fromRow } from '../db/case-codec';
import { derivedKeys } from '../db/case-encode';
import { db, type AuditRow, type CaseRow, type InboxRow, type StoredCaseRow, type UserRow } from '../db/database';
import { noteCaseFiles } from '../db/file-transfers';
import { LAB_CHAIN, LAB_HEAD } from '../db/lab-log-repo';
import { SEARCH_KEY } from '../db/search-key';
import { readSyncState, updateSyncState } from '../db/sync-state';
import { KNOWN_TYPES, openEnvelope, type Payload } from './envelope';
import { isCaseChain, isSharedSetting } from './outgoing';

const CHUNK = 1000;

const chainOf = (chain: string) => db.audit.where('[chain+seq]').between([chain, 0], [chain, Infinity]);

export type Keys = { dataKey: KeyRing; labId: string };
export type Applied = { applied: number; waiting: number; newer: number; unreadable: number; parked: number };

type Opened = { row: InboxRow; event: PulledEvent; payload: Payload };

async function searchKeyOf(dataKey: DataKey): Promise<SearchKey | null> {
  const stored = (await db.settings.get(SEARCH_KEY))?.value as Sealed | undefined;
  return stored ? base64ToBytes(await decryptJson<string>(stored, dataKey, 'search-key')) : null;
}

/** Applies everything in the inbox that can be applied now. */
export async function applyInbox(keys: Keys): Promise<Applied> {
  const result: Applied = { applied: 0, waiting: 0, newer: 0, unreadable: 0, parked: 0 };
  let after = -1;
  let carried: Opened[] = [];
  for (;;) {
    const rows = await db.inbox.where('serverSeq').above(after).limit(CHUNK).toArray();
    if (rows.length === 0) return { ...result, waiting: carried.length };
    after = rows.at(-1)!.serverSeq;
    carried = (await applyChunk(rows, carried, keys, result, true)).left;
  }
}

/**
 * A joining device's page, applied straight from memory rather than through the inbox (a
 * join that is interrupted starts again from nothing, sync-state.ts). What cannot be applied
 * yet goes to the inbox, with the cursor, in one transaction: it is applied later, as if pulled.
 */
export async function applyPage(cursor: number, page: PullResponse, keys: Keys, opened?: Promise<Envelopes>): Promise<void> {
  const rows: InboxRow[] = page.events.map((event) => ({ serverSeq: event.serverSeq, event }));
  const { left, kept } = await applyChunk(rows, [], keys, { applied: 0, waiting: 0, newer: 0, unreadable: 0, parked: 0 }, false, opened);
  await db.transaction('rw', db.inbox, db.settings, async () => {
    if ((await readSyncState(db))?.cursor !== cursor) throw new Error('The sync cursor moved during a join');
    await db.inbox.bulkPut([...kept, ...left.map((o) => o.row)]);
    await updateSyncState(db, (s) => ({ ...s, cursor: page.next, lastSyncedAt: new Date().toISOString() }));
  });
}

/** Each event's payload, or null where it does not open. */
export type Envelopes = (({ type: string } & Record<string, unknown>) | null)[];

/**
 * Opens the envelopes of these events, all at once (one await for a chunk; Chromium still decrypts
 * on the page's thread: docs/benchmarks.md). A join opens the next page while the last one is written.
 */
export const openEvents = (events: readonly PulledEvent[], keys: Keys): Promise<Envelopes> =>
  Promise.all(events.map((event) => openEnvelope(event.envelope, keys.dataKey, keys.labId, event.eventId).catch(() => null)));

/**
 * `inInbox`: the rows are the inbox's, removed as they are applied. `kept`: those that stay, unreadable or of a newer kind.
 * `ready`: the rows' envelopes, opened already (openEvents).
 */
async function applyChunk(rows: InboxRow[], carried: Opened[], keys: Keys, result: Applied, inInbox: boolean, ready?: Promise<Envelopes>): Promise<{ left: Opened[]; kept: InboxRow[] }> {
  const opened: Opened[] = [];
  const kept: InboxRow[] = [];
  const payloads = await (ready ?? openEvents(rows.map((row) => row.event as PulledEvent), keys));
  for (const [n, row] of rows.entries()) {
    const event = row.event as PulledEvent;
    const payload = payloads[n];
    if (payload && KNOWN_TYPES.has(payload.type)) opened.push({ row, event, payload: payload as Payload });
    else {
      if (payload) result.newer++;
      else result.unreadable++;
      kept.push(row);
    }
  }
  const records = opened.filter((o) => o.payload.type !== 'entry');
  await applyRecords(records, inInbox);
  result.applied += records.length;
  const { applied, left, parked } = await applyEntries([...carried, ...opened.filter((o) => o.payload.type === 'entry')], keys, inInbox);
  result.applied += applied;
  result.parked += parked;
  // A case whose head (with its record) comes in a later chunk waits for it.
  return { left, kept };
}

/** People, settings, equipment: the newest clock wins; the search key is the lab's and is only taken when this device has none. */
async function applyRecords(records: Opened[], inInbox: boolean): Promise<void> {
  if (records.length === 0) return;
  await db.transaction('rw', [db.users, db.settings, db.printers, db.materials, db.inbox], async () => {
    const state = (await readSyncState(db))!;
    const pushed = { ...state.pushed };
    for (const { event, payload } of records) {
      const name = payload.type === 'person' ? `person:${payload.person.id}` : payload.type === 'setting' ? `setting:${payload.key}` : payload.type === 'equipment' ? `${payload.table}:${payload.row.id}` : '';
      const known = pushed[`hlc:${name}`];
      if (known && known >= event.hlc) continue;
      if (payload.type === 'person') {
        const local = await db.users.get(payload.person.id);
        await db.users.put({ ...payload.person, failedAttempts: local?.failedAttempts ?? 0, lockedUntil: local?.lockedUntil ?? null } satisfies UserRow);
      } else if (payload.type === 'setting') {
        if (!isSharedSetting(payload.key)) continue;
        if (payload.key === SEARCH_KEY && (await db.settings.get(SEARCH_KEY))) continue;
        await db.settings.put({ key: payload.key, value: payload.value });
      } else if (payload.type === 'equipment') {
        await (payload.table === 'printers' ? db.printers.put(payload.row) : db.materials.put(payload.row));
      }
      // Recorded as pushed, so this device does not send it back.
      pushed[name] = sha256Hex(canonicalJson(payload));
      pushed[`hlc:${name}`] = event.hlc;
    }
    await updateSyncState(db, (s) => ({ ...s, pushed }));
    if (inInbox) await db.inbox.bulkDelete(records.map((r) => r.row.serverSeq));
  });
}

/**
 * `summaryOnly`: a case whose history this device does not hold (domain/holding.ts): only its record is kept up to date.
 * `fresh`: a case not here at all, whose history starts here: nothing of it to compare, park or roll back (one another device made).
 */
type ChainBatch = { chain: string; items: Opened[]; row?: StoredCaseRow; derived?: Partial<CaseRow>; summaryOnly?: boolean; fresh?: boolean };

async function applyEntries(entries: Opened[], keys: Keys, inInbox: boolean): Promise<{ applied: number; left: Opened[]; parked: number }> {
  const chains = new Map<string, Opened[]>();
  for (const o of entries) {
    const chain = (o.payload as Extract<Payload, { type: 'entry' }>).entry.chain;
    const list = chains.get(chain);
    if (list) list.push(o);
    else chains.set(chain, [o]);
  }
  const searchKey = await searchKeyOf(keys.dataKey);
  const batches: ChainBatch[] = [];
  const left: Opened[] = [];
  const cases: { chain: string; items: Opened[]; row: StoredCaseRow; tail: Opened[] }[] = [];
  for (const [chain, items] of chains) {
    if (!isCaseChain(chain)) {
      batches.push({ chain, items });
      continue;
    }
    // A case's entries are applied up to the last one that brought the case with it.
    const last = items.findLastIndex((o) => (o.payload as Extract<Payload, { type: 'entry' }>).row);
    if (last < 0) left.push(...items);
    else cases.push({ chain, items: items.slice(0, last + 1), row: (items[last]!.payload as Extract<Payload, { type: 'entry' }>).row!, tail: items.slice(last + 1) });
  }
  // Opened all at once (one await for the chunk), then read in one transaction.
  const opened = await Promise.all(
    cases.map(({ row }) =>
      fromRow(row as CaseRow, keys.dataKey, { cached: false }).catch((e: unknown) => {
        if (e instanceof DecryptionError) return null;
        throw e;
      }),
    ),
  );
  const firstSeq = (c: (typeof cases)[number]) => (c.items[0]!.payload as Extract<Payload, { type: 'entry' }>).entry.seq;
  // The entries before these are not here and none of the chain is (a device holding recent cases dropped
  // them, or a join's history is still arriving): only the record is kept, the newest one winning.
  // A case's entries are only ever here with its record, so a case not here has none: a join's cases need no look at the history.
  const { recordOnly, absent } = await db.transaction('r', db.audit, db.cases, async () => {
    const here = await db.cases.bulkGet(cases.map((c) => c.chain));
    const recordOnly = await Promise.all(cases.map(async (c, n) => firstSeq(c) > 1 && (!here[n] || (!(await db.audit.get([c.chain, firstSeq(c) - 1])) && (await chainOf(c.chain).count()) === 0))));
    return { recordOnly, absent: here.map((row) => !row) };
  });
  for (const [n, { chain, items, row, tail }] of cases.entries()) {
    const c = opened[n];
    // Sealed under a key epoch not granted to whoever is signed in yet (a tablet that joined with its own records): it waits.
    if (!c) {
      left.push(...items, ...tail);
      continue;
    }
    left.push(...tail);
    const derived = searchKey ? derivedKeys(c, searchKey) : undefined;
    batches.push({ chain, items, row, ...(derived ? { derived } : {}), ...(recordOnly[n] ? { summaryOnly: true } : absent[n] ? { fresh: true } : {}) });
  }
  if (batches.length === 0) return { applied: 0, left, parked: 0 };
  let applied = 0;
  let parked = 0;
  const now = new Date().toISOString();
  await db.transaction('rw', [db.audit, db.outbox, db.parked, db.cases, db.settings, db.inbox, db.fileTransfers], async () => {
    // Written together at the end: one bulk write of many rows costs IndexedDB (and Dexie's change
    // tracking, which records every index key of a small write) far less than a write per case.
    const rows: CaseRow[] = [];
    const done: number[] = [];
    const summaries = batches.filter((b) => b.summaryOnly);
    const stored = await db.cases.bulkGet(summaries.map((b) => b.chain));
    for (const [n, batch] of summaries.entries()) {
      const local = stored[n];
      if (batch.row && (!local || batch.row.auditHead.seq > local.auditHead.seq)) rows.push(caseRowOf(batch));
      done.push(...batch.items.map((o) => o.row.serverSeq));
      applied += batch.items.length;
    }
    // Fresh cases are written in one go: per case, five reads one after another were most of a join.
    const added: AuditRow[] = [];
    for (const batch of batches.filter((b) => b.fresh)) {
      const list = entriesOf(batch);
      if (!links(list, batch.chain, GENESIS) || !headOf(batch.row!, batch.chain, list)) {
        left.push(...batch.items);
        continue;
      }
      added.push(...list);
      rows.push(caseRowOf(batch));
      done.push(...batch.items.map((o) => o.row.serverSeq));
      applied += batch.items.length;
    }
    await db.audit.bulkAdd(added);
    for (const batch of batches) {
      if (batch.summaryOnly || batch.fresh) continue;
      const result = await appendChain(batch, now);
      if (result === null) {
        // Does not follow this device's chain: stays in the inbox, counted as waiting.
        left.push(...batch.items);
        continue;
      }
      parked += result;
      // The case is stored only as it stands at this chain's head here: entries that came again
      // (already applied, this device's own changes after them) must not roll it back.
      const head = batch.row ? await chainOf(batch.chain).last() : undefined;
      // Nor roll back a record that arrived ahead of its history (a join takes records first); a record
      // ahead because its own last entries were just parked (overtaken) does give way.
      const local = batch.row ? await db.cases.get(batch.chain) : undefined;
      const ahead = Boolean(batch.row && local && local.auditHead.seq > batch.row.auditHead.seq) && (await db.parked.where('chain').equals(batch.chain).filter((p) => p.entry.hash === local!.auditHead.hash).count()) === 0;
      if (batch.row && head?.hash === batch.row.auditHead.hash && !ahead) rows.push(caseRowOf(batch));
      if (batch.chain === LAB_CHAIN) {
        const last = await chainOf(LAB_CHAIN).last();
        await db.settings.put({ key: LAB_HEAD, value: chainHead(last ?? null, LAB_CHAIN) });
      }
      done.push(...batch.items.map((o) => o.row.serverSeq));
      applied += batch.items.length;
    }
    await db.cases.bulkPut(rows);
    // The files a case names that this device lacks come down after the events (file-transfer.ts).
    await noteCaseFiles(db, rows);
    if (inInbox) await db.inbox.bulkDelete(done);
    if (!searchKey) await db.settings.put({ key: 'statusIndexStale', value: true });
  });
  return { applied, left, parked };
}

/** The case as it is stored here: its list and search keys derived on this device, or blank until a signed-in person can. */
const caseRowOf = ({ row, derived }: ChainBatch): CaseRow => ({ ...(row as CaseRow), ...(derived ?? { statusKey: row!.statusKey, sortKey: '', openSort: '', workSort: '', search: [], numberKeys: numberKeys(row!.caseNumber) }) });

const entriesOf = ({ items }: ChainBatch): AuditRow[] => items.map((o) => (o.payload as Extract<Payload, { type: 'entry' }>).entry);

/** Do these entries of `chain` follow on from `prevHash`, one after another, each hashing to its own hash? */
function links(list: readonly AuditRow[], chain: string, prevHash: string): boolean {
  return list.every((e, k) => e.chain === chain && e.prevHash === (k === 0 ? prevHash : list[k - 1]!.hash) && (k === 0 || e.seq === list[k - 1]!.seq + 1) && entryHash(e) === e.hash);
}

/** Is this record the one the last of these entries of `chain` brought? */
const headOf = (row: StoredCaseRow, chain: string, list: readonly AuditRow[]) => row.id === chain && row.auditHead.hash === list.at(-1)!.hash;

/** Appends a chain's entries; returns how many of this device's entries were parked, or null when they do not follow this chain. */
async function appendChain(batch: ChainBatch, now: string): Promise<number | null> {
  const { chain, row } = batch;
  const list = entriesOf(batch);
  let i = 0;
  while (i < list.length && (await db.audit.get([chain, list[i]!.seq]))?.hash === list[i]!.hash) i++;
  const fresh = list.slice(i);
  if (fresh.length === 0) return 0;
  const first = fresh[0]!;
  const before = first.seq === 1 ? null : await db.audit.get([chain, first.seq - 1]);
  if ((first.seq > 1 && !before) || !links(fresh, chain, before?.hash ?? GENESIS)) return null;
  if (row && !headOf(row, chain, list)) return null;
  const mine = await db.audit.where('[chain+seq]').between([chain, first.seq], [chain, Infinity]).toArray();
  if (mine.length) {
    await db.parked.bulkPut(mine.map((entry) => ({ id: entryEventId(entry), chain, entry, parkedAt: now })));
    await db.audit.bulkDelete(mine.map((m) => [m.chain, m.seq] as [string, number]));
    await db.outbox.bulkDelete(mine.map(entryEventId));
  }
  await db.audit.bulkAdd(fresh);
  return mine.length;
}

