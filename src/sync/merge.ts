// A tablet that already has people and cases joins the lab already on the server, its
// records merged: nothing lost, nothing re-encrypted or re-signed. What it brings (its lab
// log's root and head) is part of the key text both screens show a code of, so the admin
// who approves vouches for exactly this tablet's log (domain/lab-log.ts, lab-merged). Then
// the tablet:
//   - keeps its data key as an older key epoch "0-<random>" beside the lab's keys;
//   - keeps its lab log whole, as lab settings `mergedLog:<id>:<part>` (its entries name
//     the chain "lab", which is the lab's own log's name), and takes the lab's log;
//   - gives up its shared settings (search key, code table, policies) for the lab's, and
//     derives its cases' list and search keys again under the lab's search key;
//   - grants its key to the lab's people and the recovery key, and the lab's keys to its
//     own people (key-agreement keys, as a revocation does): each PIN then opens both.
import { FIRST_EPOCH, MERGED_EPOCH_PREFIX, ringOf, withKey, type KeyRing } from '../crypto/key-ring';
import { bytesToHex } from '../crypto/encoding';
import { randomBytes } from '../crypto/runtime';
import { durableDb, type UserRow } from '../db/database';
import { CommandRefused } from '../db/errors';
import { grantsFor, KEY_EPOCH_PREFIX, recoveryPublicKey, type KeyEpoch } from '../db/key-epochs';
import { LAB_CHAIN, LAB_HEAD, labEntries, labProblem, MERGED_LOG_PREFIX, readLabTrust } from '../db/lab-log-repo';
import { openSearchKey } from '../db/search-key';
import { JOINING, MERGING, readSyncState, SYNC_STATE } from '../db/sync-state';
import { requireUnlock, setUnlocked } from '../db/vault';
import { rebuildIndexes } from '../db/derived-index';
import type { Holding } from '../domain/holding';
import type { ChainHead } from '../domain/audit-chain';
import { bringingKeyText, broughtBy, keyCode, newEnrolmentKeys, type Bringing } from './enrol-keys';
import { applyInbox } from './incoming';
import { SHARED_SETTINGS } from './outgoing';
import { serverApi, deviceApi, Unreachable } from './server-api';
import { approval, serverLab, type Joining, type JoinOptions } from './lab-server';

/** Entries per setting: a part must fit one event (256 KiB) with room to spare. */
const PART = 100;

/** What this tablet would bring; refused when its own lab log does not verify (the lab would vouch for it). */
async function bringing(): Promise<Bringing> {
  const trust = await readLabTrust();
  const problem = labProblem(trust);
  if (problem) throw new CommandRefused(`${problem} A tablet joins a lab with its records only when its own lab log verifies.`);
  const head = (await durableDb.settings.get(LAB_HEAD))?.value as ChainHead | undefined;
  if (!trust.state.root || !head) throw new CommandRefused('This tablet has no signed lab log to bring: a lab admin signs in once first.');
  return { root: trust.state.root, head: head.hash, seq: head.seq, people: await durableDb.users.count(), cases: await durableDb.cases.count() };
}

/**
 * A lab admin, signed in on a tablet with people and cases of its own, asks to join the
 * server's lab with them; it shows the codes until an admin on an enrolled device approves.
 */
export async function askToJoinWithRecords(deviceName: string, holds: Holding = 'all'): Promise<Joining> {
  const { actor } = requireUnlock();
  if (!actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can join this tablet to a lab.');
  if (await readSyncState(durableDb)) throw new CommandRefused('This tablet is already connected to a lab server.');
  const labId = await serverLab(deviceName);
  const brings = await bringing();
  const keys = await newEnrolmentKeys();
  const text = bringingKeyText(keys.publicKey, brings);
  const asked = await serverApi.askToEnrol(labId, deviceName.trim(), text);
  return { labId, enrolmentId: asked.enrolmentId, code: asked.code, keyCode: await keyCode(text), collectToken: asked.collectToken, deviceName: deviceName.trim(), holds, keys: { ...keys, publicKey: text } };
}

export type Merged = { people: number; cases: number; withoutKeys: string[] };

/** Waits for the approval, then merges (see the top of this file). Returns who received no grant (they need a secret reset). */
export async function finishJoiningWithRecords(j: Joining, { signal, onProgress }: JoinOptions = {}): Promise<Merged> {
  const brings = broughtBy(j.keys.publicKey);
  if (!brings) throw new CommandRefused('This request to join does not describe the records it brings: ask again.');
  const { state, ring: labRing } = await approval(j, signal);
  const own = ringOf(requireUnlock().dataKey);
  if (own.keys.size !== 1 || !own.keys.has(FIRST_EPOCH)) throw new CommandRefused('This tablet’s records are already part of a lab: they cannot join another.');
  const epoch = `${MERGED_EPOCH_PREFIX}${bytesToHex(randomBytes(4))}`;
  const ring = withKey(labRing, epoch, own.key);
  const ownPeople = await durableDb.users.toArray();

  // Everything from the server first, before this tablet changes anything of its own: a network
  // that drops here leaves the tablet as it was (ask again); after it, only local work remains.
  const api = deviceApi(state.labId, state.credential);
  let cursor = 0;
  try {
    for (let pages = 1; ; pages++) {
      const page = await api.pull(cursor);
      await durableDb.inbox.bulkPut(page.events.map((event) => ({ serverSeq: event.serverSeq, event })));
      cursor = page.next;
      onProgress?.(`Receiving the lab’s records… (${pages * 500} events)`);
      if (!page.more) break;
    }
  } catch (e) {
    await durableDb.inbox.clear();
    const why = e instanceof Unreachable ? 'the lab server cannot be reached.' : e instanceof Error ? e.message : String(e);
    throw new CommandRefused(`The lab’s records stopped arriving: ${why} Nothing of this tablet’s was changed: ask to join again.`);
  }

  await durableDb.transaction('rw', [durableDb.audit, durableDb.outbox, durableDb.settings, durableDb.users], async () => {
    const log = await labEntries(durableDb).toArray();
    if (log.at(-1)?.hash !== brings.head) throw new CommandRefused('This tablet’s lab log changed while it waited for approval: nothing was merged. Ask to join again.');
    for (let i = 0; i * PART < log.length; i++) {
      await durableDb.settings.put({ key: `${MERGED_LOG_PREFIX}${j.enrolmentId}:${String(i).padStart(4, '0')}`, value: log.slice(i * PART, (i + 1) * PART) });
    }
    await labEntries(durableDb).delete();
    await durableDb.outbox.where('[chain+seq]').between([LAB_CHAIN, 0], [LAB_CHAIN, Infinity]).delete();
    await durableDb.settings.bulkDelete([LAB_HEAD, ...SHARED_SETTINGS]);
    await durableDb.users.toCollection().modify({ firstEpoch: epoch });
    await durableDb.settings.put({ key: SYNC_STATE, value: { ...state, cursor } });
    await durableDb.settings.put({ key: JOINING, value: MERGING });
  }).catch(async (e: unknown) => {
    await durableDb.inbox.clear();
    throw e;
  });
  setUnlocked({ ...requireUnlock(), dataKey: ring });

  onProgress?.('Opening the lab’s records…');
  await applyInbox({ dataKey: ring, labId: state.labId });
  const withoutKeys = await grantBothWays(ring, labRing, epoch, ownPeople, state.labId, j.deviceName);
  onProgress?.('Indexing this tablet’s cases for the lab’s search…');
  const searchKey = await openSearchKey(ring);
  await rebuildIndexes({ dataKey: ring, searchKey });
  setUnlocked({ ...requireUnlock(), searchKey });
  await durableDb.settings.delete(JOINING);
  return { people: brings.people, cases: brings.cases, withoutKeys };
}

/** This tablet's key to the lab's people and the recovery key; the lab's keys to this tablet's people. Returns who could not receive them. */
async function grantBothWays(ring: KeyRing, labRing: KeyRing, epoch: string, ownPeople: UserRow[], labId: string, deviceName: string): Promise<string[]> {
  const ownIds = new Set(ownPeople.map((u) => u.id));
  const active = (await durableDb.users.toArray()).filter((u) => u.active);
  const recovery = await recoveryPublicKey(durableDb);
  const now = new Date().toISOString();
  const reason = `“${deviceName}” joined the lab with its own records`;
  const records: KeyEpoch[] = [
    { epoch, createdAt: now, reason, sealedUnder: labRing.epoch, grants: await grantsFor(ring.keys.get(epoch)!, epoch, labId, active.filter((u) => !ownIds.has(u.id)), recovery) },
    ...(await Promise.all(
      [...labRing.keys].map(async ([e, key]) => ({ epoch: e, createdAt: now, reason, sealedUnder: labRing.epoch, grants: await grantsFor(key, e, labId, active.filter((u) => ownIds.has(u.id)), null) })),
    )),
  ];
  // One record per epoch and grantee group: `keyEpoch:<epoch>` for this tablet's key, `keyEpoch:<epoch>+<merged epoch>` for the lab's keys to its people.
  await durableDb.settings.bulkPut(records.map((r) => ({ key: `${KEY_EPOCH_PREFIX}${r.epoch === epoch ? epoch : `${r.epoch}+${epoch}`}`, value: r })));
  return active.filter((u) => !u.agreementKey).map((u) => u.name);
}
