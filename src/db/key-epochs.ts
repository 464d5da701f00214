// Key epochs at rest. A new epoch (a device was revoked) is a lab setting
// `keyEpoch:<id>`: the new key granted to each active person's key-agreement key and to
// the lab's recovery key, never in the clear and never under a key a device alone holds.
// It travels like other lab settings, in an envelope under the epoch before it (which
// every device still in the lab has; a revoked device is refused by the server and never
// receives it). A person picks up their grant when they sign in (wrapped again under
// their own secret) or, already signed in, when the record arrives.
import { grantKey, openGrant, type PublicKeyText } from '../crypto/key-grant';
import { compareEpochs, FIRST_EPOCH, nextEpochId, withKey, type KeyRing } from '../crypto/key-ring';
import { wrapDataKey, newDataKey } from '../crypto/data-key';
import { bytesToHex } from '../crypto/encoding';
import { randomBytes } from '../crypto/runtime';
import { activeDb, db, durableDb, type PrintpathDb, type UserRow } from './database';

export const KEY_EPOCH_PREFIX = 'keyEpoch:';
/** The lab's recovery key's public half (shared): every new epoch is granted to it too. */
export const RECOVERY_KEY = 'recoveryKey';
export const RECOVERY_GRANTEE = 'recovery';

export type KeyEpoch = { epoch: string; createdAt: string; reason: string; sealedUnder: string; grants: Record<string, string> };

export const grantContext = (labId: string, epoch: string, grantee: string) => `printpath/v1/key-epoch\u0000${labId}\u0000${epoch}\u0000${grantee}`;

export async function keyEpochs(store: PrintpathDb = activeDb(db)): Promise<KeyEpoch[]> {
  const rows = await store.settings.where('key').startsWith(KEY_EPOCH_PREFIX).toArray();
  return rows.map((r) => r.value as KeyEpoch).sort((a, b) => compareEpochs(a.epoch, b.epoch));
}

export async function recoveryPublicKey(store: PrintpathDb = activeDb(db)): Promise<PublicKeyText | null> {
  return ((await store.settings.get(RECOVERY_KEY))?.value as PublicKeyText | undefined) ?? null;
}

/** Epochs granted to this person that `ring` lacks, opened with their key-agreement key. Grants that do not open are left for a later sign-in. */
export async function grantedKeys(ring: KeyRing, personId: string, agreementKey: CryptoKey, labId: string): Promise<KeyRing> {
  let out = ring;
  for (const e of await keyEpochs()) {
    const grant = e.grants[personId];
    if (!grant || out.keys.has(e.epoch)) continue;
    const key = await openGrant(grant, agreementKey, grantContext(labId, e.epoch, personId)).catch(() => null);
    if (key) out = withKey(out, e.epoch, key);
  }
  return out;
}

/** Keeps the epochs this person newly received, wrapped under their secret, in their row. */
export async function keepEpochKeys(user: UserRow, ring: KeyRing, kek: CryptoKey): Promise<void> {
  const missing = [...ring.keys].filter(([epoch]) => epoch !== (user.firstEpoch ?? FIRST_EPOCH) && !user.wrappedEpochKeys?.[epoch]);
  if (missing.length === 0) return;
  const wrapped = Object.fromEntries(await Promise.all(missing.map(async ([epoch, key]) => [epoch, await wrapDataKey(key, kek)] as const)));
  await durableDb.transaction('rw', durableDb.users, async () => {
    const row = await durableDb.users.get(user.id);
    if (row) await durableDb.users.update(user.id, { wrappedEpochKeys: { ...row.wrappedEpochKeys, ...wrapped } });
  });
}

/** `key` of `epoch` granted to each of `people` with a key-agreement key, and to the recovery key when given. */
export async function grantsFor(key: CryptoKey, epoch: string, labId: string, people: readonly UserRow[], recovery: PublicKeyText | null): Promise<Record<string, string>> {
  const grantees: [string, PublicKeyText][] = [
    ...people.flatMap((u): [string, PublicKeyText][] => (u.agreementKey ? [[u.id, u.agreementKey.publicKey]] : [])),
    ...(recovery ? [[RECOVERY_GRANTEE, recovery] as [string, PublicKeyText]] : []),
  ];
  return Object.fromEntries(await Promise.all(grantees.map(async ([id, pub]) => [id, await grantKey(key, pub, grantContext(labId, epoch, id))] as const)));
}

/**
 * A new key epoch, granted to every active person with a key-agreement key and to the
 * recovery key. Returns the record to store (by the caller, with the revocation on the
 * lab log), the new ring and who received no grant (people who have not signed in since
 * key epochs: an admin resets their secret to give them the new key).
 */
export async function newKeyEpoch(ring: KeyRing, labId: string, reason: string, now: string): Promise<{ record: KeyEpoch; ring: KeyRing; without: string[] }> {
  const epoch = nextEpochId(ring, bytesToHex(randomBytes(4)));
  const key = await newDataKey();
  const people = (await db.users.toArray()).filter((u) => u.active);
  const grants = await grantsFor(key, epoch, labId, people, await recoveryPublicKey());
  return {
    record: { epoch, createdAt: now, reason, sealedUnder: ring.epoch, grants },
    ring: withKey(ring, epoch, key),
    without: people.filter((u) => !u.agreementKey).map((u) => u.name),
  };
}
