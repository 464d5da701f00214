// People and sign-in (HIPAA 164.312(a)(2)(i), (d); 21 CFR 11.200). Each person has
// their own entry. A secret is never stored: PBKDF2 turns it into a verifier
// (checks the secret) and, separately, a key-encryption key that unwraps that
// person's copy of the device data key, their sign-off key and their entry key.
// Who is on the lab, with which roles and keys, is what the signed lab log says
// (lab-log-repo.ts); the `users` rows are a cache that must agree with it. Adding a
// person, changing roles, resetting a secret, disabling someone or changing the
// policy needs the acting admin's secret typed at that moment: it unwraps their
// sign-off key, which signs the change on the log. Every sign-in, failure and
// lock-out goes on the log too. All Web Crypto work happens before a transaction opens.
import type { Actor, Role } from '../domain/case';
import { asUserId } from '../domain/ids';
import { actorOf, keyFingerprint, rowDisagreement, type LabEvent, type Member, type MemberRecord, type PublicKey } from '../domain/lab-log';
import { newUserSchema } from '../domain/user-input';
import { newDataKey } from '../crypto/data-key';
import { newPersonAgreementKey, openPersonAgreementKey } from '../crypto/key-grant';
import { ringOf, unwrapRing, wrapRing, type KeyRing } from '../crypto/key-ring';
import { deriveSecretKeys, newKdfParams, validateSecretPolicy, verifySecret } from '../crypto/secret-keys';
import { keyPairMatches, newSigningKeyPair, publicKeyFingerprint, unwrapSigningKey } from '../crypto/signing-keys';
import { db, durableDb, INDEX_STALE, type SigningKeyRow, type UserRow } from './database';
import { CommandRefused } from './errors';
import { labProblem, readLabTrust, writeLab } from './lab-log-repo';
import { getSecurityPolicy, putSecurityPolicy, type SecurityPolicy } from './settings-repo';
import { openSearchKey } from './search-key';
import { DEVICE_KEY_ID, UNSIGNED, type EntrySigner } from './signed-entries';
import { requireUnlock, setUnlocked, type Unlocked } from './vault';
import { isJoining, joinInterrupted, MERGE_INTERRUPTED, readSyncState } from './sync-state';
import { grantedKeys, keepEpochKeys } from './key-epochs';

/** Names the device data key: a backup can only be restored where the same key (or none) is. */
export { DEVICE_KEY_ID };

export const toActor = (u: Pick<UserRow, 'id' | 'name' | 'roles' | 'demo'>): Actor => ({ id: asUserId(u.id), name: u.name, roles: u.roles, ...(u.demo ? { demo: true } : {}) });

export type NewAccount = { name: string; roles: Role[]; secret: string };

async function validate(input: NewAccount, policy: SecurityPolicy): Promise<NewAccount> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new CommandRefused(parsed.error.issues[0]!.message);
  const problem = validateSecretPolicy(input.secret, policy.secret);
  if (problem) throw new CommandRefused(problem);
  return { ...input, name: parsed.data.name, roles: parsed.data.roles as Role[] };
}

const publicKey = (jwk: JsonWebKey): PublicKey => ({ kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! });

/** The secret-derived parts of an account: verifier, the lab's keys wrapped, a new sign-off key pair, entry key pair and key-agreement key. */
async function secretMaterial(secret: string, ring: KeyRing, now: string) {
  const kdf = newKdfParams();
  const { verifier, kek } = await deriveSecretKeys(secret, kdf);
  const [wrapped, signing, entry, agreementKey] = await Promise.all([wrapRing(ring, kek), newSigningKeyPair(kek), newSigningKeyPair(kek, 'entry-key'), newPersonAgreementKey(kek)]);
  const keyRow = async (jwk: JsonWebKey): Promise<SigningKeyRow> => ({ fingerprint: await publicKeyFingerprint(jwk), publicKeyJwk: jwk, createdAt: now });
  return { kek, kdf, verifier, ...wrapped, agreementKey, wrappedSigningKey: signing.wrappedPrivateKey, wrappedEntryKey: entry.wrappedPrivateKey, key: await keyRow(signing.publicKeyJwk), entryKey: await keyRow(entry.publicKeyJwk) };
}
type SecretMaterial = Awaited<ReturnType<typeof secretMaterial>>;

/** What a new secret replaces in a person's row. */
const secretFields = (m: SecretMaterial) => ({
  kdf: m.kdf, verifier: m.verifier, wrappedDataKey: m.wrappedDataKey, wrappedEpochKeys: m.wrappedEpochKeys, firstEpoch: undefined, agreementKey: m.agreementKey, wrappedSigningKey: m.wrappedSigningKey, wrappedEntryKey: m.wrappedEntryKey,
});
function newRow(id: string, account: NewAccount, m: SecretMaterial, now: string, demo: boolean): UserRow {
  return {
    id, name: account.name, roles: account.roles, createdAt: now, active: true, ...(demo ? { demo: true } : {}),
    ...secretFields(m),
    signingKeys: [m.key], entryKeys: [m.entryKey], failedAttempts: 0, lockedUntil: null,
  };
}

/** A person as the lab log records them, from their row. */
export const memberRecord = (u: UserRow): MemberRecord => ({
  id: u.id,
  name: u.name,
  roles: u.roles,
  active: u.active,
  demo: Boolean(u.demo),
  signingKeys: u.signingKeys.map((k) => publicKey(k.publicKeyJwk)),
  entryKeys: (u.entryKeys ?? []).map((k) => publicKey(k.publicKeyJwk)),
});

/** The lab log's view of a person; refuses when the log or their row does not verify. */
async function trustedMember(user: UserRow): Promise<Member> {
  const lab = await readLabTrust();
  const problem = labProblem(lab);
  if (problem) throw new SignInError(`${problem} Nobody can sign in until it is restored from a backup.`);
  const member = lab.state.members.get(user.id);
  const disagreement = rowDisagreement(user, member);
  if (disagreement || !member) throw new SignInError(`${user.name}’s entry on this tablet does not verify: ${disagreement}. It was changed outside Printpath; a lab admin must restore it from a backup.`);
  return member;
}

/**
 * An admin's authority for a change to people, roles, keys or policy: their secret,
 * typed now, unwraps their sign-off key, which signs the change on the lab log.
 */
export async function authorise(adminSecret: string, now: string): Promise<{ admin: Unlocked; signer: EntrySigner }> {
  const admin = requireUnlock();
  if (!admin.actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can manage people on this tablet');
  if (!adminSecret) throw new CommandRefused('Type your own secret to confirm this change');
  return { admin, signer: await signOffSigner(admin, adminSecret, now, 'authorising a change') };
}

/** The signed-in person's sign-off key, opened with their secret typed now (a wrong one counts towards the lock-out). */
export async function signOffSigner(u: Unlocked, secret: string, now: string, purpose: string): Promise<EntrySigner> {
  const { user, kek } = await checkSecret(u.actor.id, secret, now, purpose);
  const key = await unwrapSigningKey(user.wrappedSigningKey, kek);
  return { actor: u.actor, key, keyId: user.signingKeys.at(-1)!.fingerprint };
}

const rolesText = (roles: readonly Role[]) => roles.join(', ');

export async function isTabletSetUp(): Promise<boolean> {
  return (await db.users.count()) > 0;
}

/** First run: the first lab admin, whose sign-off key becomes the lab's root, and the device data key that every later account gets a copy of. */
export async function setUpTablet(input: NewAccount, now: string = new Date().toISOString()): Promise<Unlocked> {
  if (!input.roles.includes('admin')) throw new CommandRefused('The first person on a tablet must be a lab admin');
  if (await isJoining(durableDb)) throw new CommandRefused(await joinInterrupted(durableDb));
  const account = await validate(input, await getSecurityPolicy());
  const dataKey = ringOf(await newDataKey());
  const m = await secretMaterial(account.secret, dataKey, now);
  const row = newRow(crypto.randomUUID(), account, m, now, false);
  const actor = toActor(row);
  const [signingKey, entryKey] = await Promise.all([unwrapSigningKey(m.wrappedSigningKey, m.kek), unwrapSigningKey(m.wrappedEntryKey, m.kek, 'entry-key')]);
  const member = memberRecord(row);
  await writeLab({ actor, key: signingKey, keyId: m.key.fingerprint }, now, () => ({
    events: [{ kind: 'tablet-set-up', summary: `Tablet set up; ${row.name} is the first lab admin (root key ${m.key.fingerprint.slice(0, 16)})`, subjectId: row.id, keyFingerprint: m.key.fingerprint, member }],
    write: async () => {
      if ((await durableDb.users.count()) > 0) throw new CommandRefused('This tablet is already set up: sign in instead');
      await durableDb.users.add(row);
      await durableDb.settings.put({ key: DEVICE_KEY_ID, value: crypto.randomUUID() });
    },
  }));
  const agreementKey = await openPersonAgreementKey(m.agreementKey, m.kek);
  const unlocked: Unlocked = { actor, dataKey, searchKey: await openSearchKey(dataKey), entryKey, entryKeyId: m.entryKey.fingerprint, agreementKey };
  setUnlocked(unlocked);
  return unlocked;
}

/** Adds a person; the acting admin types their own secret (`adminSecret`) to sign the change. */
export async function addUser(input: NewAccount, adminSecret: string, now: string = new Date().toISOString(), { demo = false }: { demo?: boolean } = {}): Promise<UserRow> {
  const account = await validate(input, await getSecurityPolicy());
  const { admin, signer } = await authorise(adminSecret, now);
  const m = await secretMaterial(account.secret, admin.dataKey, now);
  const row = newRow(crypto.randomUUID(), account, m, now, demo);
  await writeLab(signer, now, () => ({
    events: [{ kind: 'user-added', summary: `${row.name} added (${rolesText(row.roles)}${demo ? ', demo person' : ''})`, subjectId: row.id, keyFingerprint: m.key.fingerprint, member: memberRecord(row) }],
    write: async () => {
      const clash = await durableDb.users.where('name').equalsIgnoreCase(row.name).first();
      if (clash) throw new CommandRefused(`${row.name} already has an entry on this tablet`);
      await durableDb.users.add(row);
    },
  }));
  return row;
}

/** A change to one person, signed by the acting admin: `change` gives the event and the new row (or a refusal). */
async function changePerson(userId: string, adminSecret: string, now: string, change: (user: UserRow, admin: Unlocked) => { event: LabEvent; row: UserRow } | Promise<{ event: LabEvent; row: UserRow }>): Promise<void> {
  const { admin, signer } = await authorise(adminSecret, now);
  await writeLab(signer, now, async () => {
    const before = await durableDb.users.get(userId);
    if (!before) throw new CommandRefused('No such person on this tablet');
    const { event, row } = await change(before, admin);
    return {
      events: [event],
      write: async () => {
        const current = await durableDb.users.get(userId);
        if (JSON.stringify(current) !== JSON.stringify(before)) throw new CommandRefused(`${before.name} changed on another screen: nothing was saved. Try again.`);
        await durableDb.users.put(row);
      },
    };
  });
}

/** A forgotten secret: new secret, new copy of the data key, new sign-off and entry keys (old public keys stay, so old signatures verify). */
export async function resetSecret(userId: string, secret: string, adminSecret: string, now: string = new Date().toISOString()): Promise<void> {
  const problem = validateSecretPolicy(secret, (await getSecurityPolicy()).secret);
  if (problem) throw new CommandRefused(problem);
  await changePerson(userId, adminSecret, now, async (user, admin) => {
    const m = await secretMaterial(secret, admin.dataKey, now);
    return {
      event: { kind: 'secret-reset', summary: `Secret reset for ${user.name} by ${admin.actor.name}: new keys ${m.key.fingerprint.slice(0, 16)}`, subjectId: user.id, keyFingerprint: m.key.fingerprint, signingKey: publicKey(m.key.publicKeyJwk), entryKey: publicKey(m.entryKey.publicKeyJwk) },
      row: { ...user, ...secretFields(m), signingKeys: [...user.signingKeys, m.key], entryKeys: [...(user.entryKeys ?? []), m.entryKey], failedAttempts: 0, lockedUntil: null },
    };
  });
}

/**
 * The signed-in person chooses a new secret, typing the current one: new keys, signed
 * on the lab log with their current sign-off key. After an admin reset, this is how the
 * person makes sure the admin no longer knows their secret.
 */
export async function changeOwnSecret(currentSecret: string, newSecret: string, now: string = new Date().toISOString()): Promise<void> {
  const me = requireUnlock();
  const problem = validateSecretPolicy(newSecret, (await getSecurityPolicy()).secret);
  if (problem) throw new CommandRefused(problem);
  const { user, kek } = await checkSecret(me.actor.id, currentSecret, now, 'changing their secret');
  const signingKey = await unwrapSigningKey(user.wrappedSigningKey, kek);
  const m = await secretMaterial(newSecret, me.dataKey, now);
  await writeLab({ actor: me.actor, key: signingKey, keyId: user.signingKeys.at(-1)!.fingerprint }, now, () => ({
    events: [{ kind: 'secret-changed', summary: `${user.name} chose a new secret: new keys ${m.key.fingerprint.slice(0, 16)}`, subjectId: user.id, keyFingerprint: m.key.fingerprint, signingKey: publicKey(m.key.publicKeyJwk), entryKey: publicKey(m.entryKey.publicKeyJwk) }],
    write: async () => {
      const current = await durableDb.users.get(user.id);
      if (JSON.stringify(current) !== JSON.stringify(user)) throw new CommandRefused('Your entry changed on another screen: nothing was saved. Try again.');
      await durableDb.users.put({ ...user, ...secretFields(m), signingKeys: [...user.signingKeys, m.key], entryKeys: [...(user.entryKeys ?? []), m.entryKey] });
    },
  }));
  // Ordinary entries from now on are signed with the new entry key.
  setUnlocked({ ...me, entryKey: await unwrapSigningKey(m.wrappedEntryKey, m.kek, 'entry-key'), entryKeyId: m.entryKey.fingerprint });
}

/** New roles for a person. Nobody can grant a role to themselves. */
export async function changeRoles(userId: string, roles: Role[], adminSecret: string, now: string = new Date().toISOString()): Promise<void> {
  if (roles.length === 0) throw new CommandRefused('Choose at least one role');
  await changePerson(userId, adminSecret, now, async (user, admin) => {
    if (user.id === admin.actor.id && roles.some((r) => !user.roles.includes(r))) throw new CommandRefused('You cannot grant a role to yourself: another lab admin must');
    if (user.roles.includes('admin') && !roles.includes('admin') && (await activeAdminCount(user.id)) === 0) throw new CommandRefused('The last active lab admin must stay a lab admin');
    return { event: { kind: 'roles-changed', summary: `${user.name}’s roles changed by ${admin.actor.name}: ${rolesText(user.roles)} → ${rolesText(roles)}`, subjectId: user.id, roles }, row: { ...user, roles } };
  });
}

const activeAdminCount = async (except: string) => (await durableDb.users.toArray()).filter((u) => u.id !== except && u.active && u.roles.includes('admin')).length;

export async function setUserActive(userId: string, active: boolean, adminSecret: string, now: string = new Date().toISOString()): Promise<void> {
  await changePerson(userId, adminSecret, now, async (user, admin) => {
    if (!active && user.id === admin.actor.id) throw new CommandRefused('You cannot disable your own account');
    if (!active && user.roles.includes('admin') && (await activeAdminCount(user.id)) === 0) throw new CommandRefused('The last active lab admin cannot be disabled');
    return { event: { kind: active ? 'user-enabled' : 'user-disabled', summary: `${user.name} ${active ? 'enabled' : 'disabled'} by ${admin.actor.name}`, subjectId: user.id }, row: { ...user, active } };
  });
}

export async function saveSecurityPolicy(policy: SecurityPolicy, adminSecret: string, now: string = new Date().toISOString()): Promise<void> {
  if (!(policy.idleMinutes >= 1 && policy.idleMinutes <= 60)) throw new CommandRefused('Automatic lock: between 1 and 60 minutes');
  const { signer } = await authorise(adminSecret, now);
  await writeLab(signer, now, () => ({
    events: [{ kind: 'policy-changed', summary: `Security policy: ${policy.secret.kind} of at least ${policy.secret.minLength}, lock after ${policy.idleMinutes} min idle`, policy }],
    write: () => putSecurityPolicy(policy, durableDb),
  }));
}

export class SignInError extends Error {
  override name = 'SignInError';
}

const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}`;

/**
 * Checks a person's secret, counting failures: after `maxFailedAttempts` in a row the
 * account is locked for `lockoutMinutes`. Returns the key-encryption key on success.
 */
export async function checkSecret(userId: string, secret: string, now: string, purpose: string): Promise<{ user: UserRow; kek: CryptoKey }> {
  const [user, policy] = await Promise.all([db.users.get(userId), getSecurityPolicy()]);
  if (!user || !user.active) throw new SignInError('This account is disabled. Ask a lab admin.');
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new SignInError(`Too many wrong secrets: ${user.name} is locked out until ${user.lockedUntil.slice(11, 16)} UTC.`);
  }
  const { ok, kek } = await verifySecret(secret, user.kdf, user.verifier);
  if (!ok || !kek) {
    const failures = user.failedAttempts + 1;
    const lockNow = failures >= policy.maxFailedAttempts;
    const lockedUntil = lockNow ? new Date(Date.parse(now) + policy.lockoutMinutes * 60_000).toISOString() : null;
    const events: LabEvent[] = [{ kind: 'sign-in-failed', summary: `Wrong secret for ${user.name} (${purpose}, ${failures} in a row)`, subjectId: user.id }];
    if (lockNow) events.push({ kind: 'account-locked', summary: `${user.name} locked out for ${minutes(policy.lockoutMinutes)} after ${failures} wrong secrets`, subjectId: user.id });
    await writeLab(UNSIGNED(toActor(user)), now, () => ({ events, write: () => durableDb.users.update(user.id, { failedAttempts: lockNow ? 0 : failures, lockedUntil }) }));
    throw new SignInError(
      lockNow
        ? `Wrong secret. That was ${failures} in a row: ${user.name} is locked out for ${minutes(policy.lockoutMinutes)}.`
        : `Wrong secret. ${policy.maxFailedAttempts - failures} more wrong ${policy.maxFailedAttempts - failures === 1 ? 'try' : 'tries'} and the account locks for ${minutes(policy.lockoutMinutes)}.`,
    );
  }
  if (user.failedAttempts === 0 && !user.lockedUntil) return { user, kek };
  await durableDb.users.update(user.id, { failedAttempts: 0, lockedUntil: null });
  return { user: { ...user, failedAttempts: 0, lockedUntil: null }, kek };
}

/**
 * A tablet upgraded from before the signed log: the first lab admin to sign in starts
 * it, attesting with their sign-off key everyone on the tablet and where each case's
 * history stood, so those older, unsigned entries stay anchored.
 */
async function startSignedLog(user: UserRow, kek: CryptoKey, now: string): Promise<void> {
  const key = await unwrapSigningKey(user.wrappedSigningKey, kek);
  await writeLab({ actor: toActor(user), key, keyId: user.signingKeys.at(-1)!.fingerprint }, now, async () => {
    const [users, cases] = await Promise.all([durableDb.users.toArray(), durableDb.cases.toArray()]);
    return {
      events: [{
        kind: 'signed-log-started',
        summary: `Signed lab log started by ${user.name}: ${users.length} people and ${cases.length} cases recorded as they were`,
        subjectId: user.id,
        keyFingerprint: user.signingKeys.at(-1)!.fingerprint,
        members: users.map(memberRecord),
        legacyCases: Object.fromEntries(cases.map((c) => [c.id, c.auditHead.hash])),
      }],
    };
  });
}

/** Opens a person's entry key, making and registering one (signed with their sign-off key) if they have none yet. */
async function openEntryKey(user: UserRow, member: Member, kek: CryptoKey, now: string): Promise<{ key: CryptoKey; keyId: string }> {
  const registered = member.entryKeys.at(-1);
  if (user.wrappedEntryKey && registered) {
    const key = await unwrapSigningKey(user.wrappedEntryKey, kek, 'entry-key');
    if (!(await keyPairMatches(key, registered))) throw new SignInError(`${user.name}’s entry key on this tablet does not match the lab’s signed log: it was changed outside Printpath. A lab admin must restore it from a backup.`);
    return { key, keyId: keyFingerprint(registered) };
  }
  const pair = await newSigningKeyPair(kek, 'entry-key');
  const fingerprint = await publicKeyFingerprint(pair.publicKeyJwk);
  const signingKey = await unwrapSigningKey(user.wrappedSigningKey, kek);
  await writeLab({ actor: toActor(user), key: signingKey, keyId: user.signingKeys.at(-1)!.fingerprint }, now, () => ({
    events: [{ kind: 'entry-key-set', summary: `Entry key set for ${user.name}`, subjectId: user.id, keyFingerprint: fingerprint, entryKey: publicKey(pair.publicKeyJwk) }],
    write: () => durableDb.users.update(user.id, { wrappedEntryKey: pair.wrappedPrivateKey, entryKeys: [...(user.entryKeys ?? []), { fingerprint, publicKeyJwk: pair.publicKeyJwk, createdAt: now }] }),
  }));
  return { key: await unwrapSigningKey(pair.wrappedPrivateKey, kek, 'entry-key'), keyId: fingerprint };
}

/** Opens a person's key-agreement key, making one if their row is from before key epochs (it travels with their row). */
async function openAgreementKey(user: UserRow, kek: CryptoKey): Promise<CryptoKey> {
  if (user.agreementKey) return openPersonAgreementKey(user.agreementKey, kek);
  const made = await newPersonAgreementKey(kek);
  await durableDb.users.update(user.id, { agreementKey: made });
  return openPersonAgreementKey(made, kek);
}

export async function signIn(userId: string, secret: string, now: string = new Date().toISOString()): Promise<Unlocked> {
  // The people arrive before the lab log that vouches for them: nobody signs in until the whole lab is here.
  if (await isJoining(durableDb)) {
    const merging = (await joinInterrupted(durableDb)) === MERGE_INTERRUPTED;
    throw new SignInError(merging ? MERGE_INTERRUPTED : 'This device is still receiving the lab’s records: sign in once joining has finished. If joining was interrupted, clear this site’s data in the browser and join again.');
  }  const { user, kek } = await checkSecret(userId, secret, now, 'sign-in');
  const ownRing = await unwrapRing(user, kek);
  const lab = await readLabTrust();
  if (lab.state.root === null && !lab.entries.some((e) => e.v === 2)) {
    if (!user.roles.includes('admin')) throw new SignInError('Printpath was updated: a lab admin must sign in first, to start the lab’s signed log.');
    await startSignedLog(user, kek, now);
  }
  const member = await trustedMember(user);
  const { key: entryKey, keyId: entryKeyId } = await openEntryKey(user, member, kek, now);
  const actor = actorOf(member);
  await writeLab({ actor, key: entryKey, keyId: entryKeyId }, now, () => ({ events: [{ kind: 'sign-in', summary: `${user.name} signed in`, subjectId: user.id }] }));
  const agreementKey = await openAgreementKey(user, kek);
  const sync = await readSyncState(durableDb);
  const dataKey = sync ? await grantedKeys(ownRing, user.id, agreementKey, sync.labId) : ownRing;
  if (dataKey !== ownRing) await keepEpochKeys(user, dataKey, kek);
  const unlocked: Unlocked = { actor, dataKey, searchKey: await openSearchKey(dataKey), entryKey, entryKeyId, agreementKey };
  setUnlocked(unlocked);
  // Behind the list, which fills as cases are indexed (a restored tablet of 10,000 cases takes a while).
  if ((await durableDb.settings.get(INDEX_STALE))?.value) void (await import('./derived-index')).rebuildBehindList(unlocked);
  return unlocked;
}
