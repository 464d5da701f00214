// What this device sends: its outbox (audit entries, in chain order, each sealed once
// and kept sealed so a retry resends the same bytes), and the lab records that are not
// entries (people's wrapped keys and verifiers, lab settings, equipment) when changed.
import { sha256Hex, canonicalJson } from '../domain/canonical';
import { entryEventId } from '../domain/entry-id';
import { formatHlc, nextHlc } from '../domain/hlc';
import type { PushedEvent } from '../domain/sync-wire';
import type { AuditEntry } from '../domain/audit-chain';
import { durableDb, type OutboxRow } from '../db/database';
import { storedCase } from '../db/stored-case';
import { SEARCH_KEY } from '../db/search-key';
import { MERGED_LOG_PREFIX } from '../db/lab-log-repo';
import { KEY_EPOCH_PREFIX, RECOVERY_KEY, type KeyEpoch } from '../db/key-epochs';
import type { KeyRing } from '../crypto/key-ring';
import { readSyncState, updateSyncState, type SyncState } from '../db/sync-state';
import { sealEnvelope, type Payload, type SyncedPerson } from './envelope';

/** Lab settings every device shares. The search key is the lab's (not per epoch): a new device needs it to search. */
export const SHARED_SETTINGS = [SEARCH_KEY, 'codeTable', 'security', 'backupPolicy', RECOVERY_KEY, 'labSoftware', 'validatedCombinations'] as const;

export const isSharedSetting = (key: string) => (SHARED_SETTINGS as readonly string[]).includes(key) || key.startsWith(KEY_EPOCH_PREFIX) || key.startsWith(MERGED_LOG_PREFIX);

export const isCaseChain = (chain: string) => chain !== 'lab' && !chain.startsWith('device:');

const toBase64Url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_');
const byteLength = (b64: string) => (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);

async function wire(payload: Payload, key: CryptoKey, state: SyncState, eventId: string, seq: number, hlc: string, chain?: { chain: string; entry: AuditEntry }): Promise<PushedEvent> {
  const envelope = await sealEnvelope(payload, key, state.labId, eventId);
  return {
    eventId,
    deviceSeq: seq,
    hlc,
    parents: chain ? [chain.entry.prevHash] : [],
    sig: chain?.entry.sig ? toBase64Url(chain.entry.sig) : 'none',
    envelope,
    size: byteLength(envelope),
    ...(chain ? { chain: chain.chain, hash: chain.entry.hash } : {}),
  };
}

const entryHlc = (e: AuditEntry) => e.hlc ?? formatHlc(Date.parse(e.at) || 0, e.seq % 100_000, 'before-sync');

/** Seals the outbox rows that are not sealed yet, keeping the sealed form with each row. Rows whose entry is gone (parked) are dropped. */
export async function sealOutbox(rows: OutboxRow[], ring: KeyRing): Promise<PushedEvent[]> {
  const state = (await readSyncState(durableDb))!;
  let seq = state.deviceSeq;
  const sealed: { row: OutboxRow; wire: PushedEvent }[] = [];
  const gone: string[] = [];
  for (const row of rows) {
    if (row.wire) {
      sealed.push({ row, wire: row.wire as PushedEvent });
      continue;
    }
    const entry = await durableDb.audit.get([row.chain, row.seq]);
    if (!entry || entryEventId(entry) !== row.id) {
      gone.push(row.id);
      continue;
    }
    const stored = isCaseChain(row.chain) ? await durableDb.cases.get(row.chain) : undefined;
    // The case travels with the entry that was its head when sealed: a receiver applies both at once.
    const caseRow = stored && stored.auditHead.hash === entry.hash ? storedCase(stored) : undefined;
    sealed.push({ row, wire: await wire({ type: 'entry', entry, ...(caseRow ? { row: caseRow } : {}) }, ring.key, state, row.id, ++seq, entryHlc(entry), { chain: row.chain, entry }) });
  }
  // Writes only what it newly sealed: an outbox write wakes the sync loop, so rewriting rows already
  // sealed would wake it at every failed push (a busy loop while the server is unreachable).
  const fresh = sealed.filter(({ row }) => !row.wire);
  if (gone.length === 0 && fresh.length === 0) return sealed.map((s) => s.wire);
  return durableDb.transaction('rw', durableDb.outbox, durableDb.settings, async () => {
    await durableDb.outbox.bulkDelete(gone);
    // Sealed meanwhile by another round: its bytes may already be on the server, so keep them.
    const now = await durableDb.outbox.bulkGet(sealed.map((s) => s.row.id));
    const kept = sealed.flatMap((s, n) => (now[n] ? [{ ...s.row, wire: (now[n].wire as PushedEvent | undefined) ?? s.wire }] : []));
    await durableDb.outbox.bulkPut(kept.filter((r) => !now.find((x) => x?.id === r.id)?.wire));
    await updateSyncState(durableDb, (s) => ({ ...s, deviceSeq: Math.max(s.deviceSeq, seq) }));
    return kept.map((r) => r.wire);
  });
}

/** A new key epoch travels under the epoch before it: the devices still in the lab have that one. */
const sealingKey = (payload: Payload, ring: KeyRing) =>
  payload.type === 'setting' && payload.key.startsWith(KEY_EPOCH_PREFIX) ? (ring.keys.get((payload.value as KeyEpoch).sealedUnder) ?? ring.key) : ring.key;

/** People, shared settings and equipment that changed since this device last pushed them, sealed, with the hashes to record once the server has them. */
export async function changedRecords(ring: KeyRing, node: string): Promise<{ events: PushedEvent[]; hashes: Record<string, string> }> {
  const state = (await readSyncState(durableDb))!;
  const [users, settings, printers, materials] = await Promise.all([
    durableDb.users.toArray(),
    durableDb.settings.filter((s) => isSharedSetting(s.key)).toArray(),
    durableDb.printers.toArray(),
    durableDb.materials.toArray(),
  ]);
  const payloads: [string, Payload][] = [
    ...users.map(({ failedAttempts: _f, lockedUntil: _l, ...person }): [string, Payload] => [`person:${person.id}`, { type: 'person', person: person as SyncedPerson }]),
    ...settings.filter((s) => s !== undefined).map((s): [string, Payload] => [`setting:${s.key}`, { type: 'setting', key: s.key, value: s.value }]),
    ...printers.map((row): [string, Payload] => [`printers:${row.id}`, { type: 'equipment', table: 'printers', row }]),
    ...materials.map((row): [string, Payload] => [`materials:${row.id}`, { type: 'equipment', table: 'materials', row }]),
  ];
  const events: PushedEvent[] = [];
  const hashes: Record<string, string> = {};
  let hlc = state.pushed['hlc'] ?? null;
  let seq = state.deviceSeq;
  for (const [name, payload] of payloads) {
    const hash = sha256Hex(canonicalJson(payload));
    if (state.pushed[name] === hash) continue;
    hlc = nextHlc(hlc, Date.now(), node);
    hashes[name] = hash;
    hashes[`hlc:${name}`] = hlc;
    events.push(await wire(payload, sealingKey(payload, ring), state, crypto.randomUUID(), ++seq, hlc));
  }
  if (hlc) hashes['hlc'] = hlc;
  if (events.length) await updateSyncState(durableDb, (s) => ({ ...s, deviceSeq: Math.max(s.deviceSeq, seq) }));
  return { events, hashes };
}
