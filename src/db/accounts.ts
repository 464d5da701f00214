// People and sign-in (HIPAA 164.312(a)(2)(i), (d); 21 CFR 11.200). Each person has
// their own entry. A secret is never stored: PBKDF2 turns it into a verifier
// (checks the secret) and, separately, a key-encryption key that unwraps that
// person's copy of the device data key and their signing key. Every sign-in,
// failure, lock-out and user change goes on the lab audit chain. All Web Crypto
// work happens before a transaction opens.
import type { Actor, Role } from '../domain/case';
import { asUserId } from '../domain/ids';
import { newUserSchema } from '../domain/user-input';
import { newDataKey, unwrapDataKey, wrapDataKey } from '../crypto/data-key';
import { deriveSecretKeys, newKdfParams, PBKDF2_ITERATIONS, validateSecretPolicy, verifySecret } from '../crypto/secret-keys';
import { newSigningKeyPair, publicKeyFingerprint } from '../crypto/signing-keys';
import { appendLabEvent } from './audit-repo';
import { db, durableDb, INDEX_STALE, type UserRow } from './database';
import { CommandRefused, guardStorage } from './errors';
import { getSecurityPolicy, putSecurityPolicy, type SecurityPolicy } from './settings-repo';
import { openSearchKey } from './search-key';
import { requireUnlock, setUnlocked, type Unlocked } from './vault';

/** Names the device data key: a backup can only be restored where the same key (or none) is. */
export const DEVICE_KEY_ID = 'deviceKeyId';

let kdfIterations = PBKDF2_ITERATIONS;
/** Unit tests only: 600,000 PBKDF2 rounds per test would take minutes. */
export function setKdfIterationsForTests(n: number): void {
  kdfIterations = n;
}

export const toActor = (u: Pick<UserRow, 'id' | 'name' | 'roles' | 'demo'>): Actor => ({ id: asUserId(u.id), name: u.name, roles: u.roles, ...(u.demo ? { demo: true } : {}) });

export type NewAccount = { name: string; roles: Role[]; secret: string; demo?: boolean };

async function validate(input: NewAccount, policy: SecurityPolicy): Promise<NewAccount> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new CommandRefused(parsed.error.issues[0]!.message);
  const problem = validateSecretPolicy(input.secret, policy.secret);
  if (problem) throw new CommandRefused(problem);
  return { ...input, name: parsed.data.name, roles: parsed.data.roles as Role[] };
}

/** The secret-derived parts of an account: verifier, wrapped data key, a new signing key pair. */
async function secretMaterial(secret: string, dataKey: CryptoKey, now: string) {
  const kdf = newKdfParams(kdfIterations);
  const { verifier, kek } = await deriveSecretKeys(secret, kdf);
  const [wrappedDataKey, pair] = await Promise.all([wrapDataKey(dataKey, kek), newSigningKeyPair(kek)]);
  const fingerprint = await publicKeyFingerprint(pair.publicKeyJwk);
  return { kdf, verifier, wrappedDataKey, wrappedSigningKey: pair.wrappedPrivateKey, key: { fingerprint, publicKeyJwk: pair.publicKeyJwk, createdAt: now } };
}

async function requireAdmin(): Promise<Unlocked> {
  const u = requireUnlock();
  if (!u.actor.roles.includes('admin')) throw new CommandRefused('Only a lab admin can manage people on this tablet');
  return u;
}

// The lab trail and accounts are written on the durable connection: committed means on disk.
const write = <T>(fn: () => Promise<T>) => guardStorage(() => durableDb.transaction('rw', durableDb.users, durableDb.audit, durableDb.settings, fn));

export async function isTabletSetUp(): Promise<boolean> {
  return (await db.users.count()) > 0;
}

/** First run: the first lab admin, and the device data key that every later account gets a copy of. */
export async function setUpTablet(input: NewAccount, now: string = new Date().toISOString()): Promise<Unlocked> {
  if (!input.roles.includes('admin')) throw new CommandRefused('The first person on a tablet must be a lab admin');
  const account = await validate(input, await getSecurityPolicy());
  const dataKey = await newDataKey();
  const m = await secretMaterial(account.secret, dataKey, now);
  const row: UserRow = { id: crypto.randomUUID(), name: account.name, roles: account.roles, createdAt: now, active: true, kdf: m.kdf, verifier: m.verifier, wrappedDataKey: m.wrappedDataKey, wrappedSigningKey: m.wrappedSigningKey, signingKeys: [m.key], failedAttempts: 0, lockedUntil: null };
  const actor = toActor(row);
  await write(async () => {
    if ((await durableDb.users.count()) > 0) throw new CommandRefused('This tablet is already set up: sign in instead');
    await durableDb.users.add(row);
    await durableDb.settings.put({ key: DEVICE_KEY_ID, value: crypto.randomUUID() });
    await appendLabEvent(now, actor, { kind: 'tablet-set-up', summary: `Tablet set up; ${row.name} is the first lab admin`, subjectId: row.id });
    await appendLabEvent(now, actor, { kind: 'signing-key-set', summary: `Signing key set for ${row.name}`, subjectId: row.id, keyFingerprint: m.key.fingerprint });
  });
  const unlocked = { actor, dataKey, searchKey: await openSearchKey(dataKey) };
  setUnlocked(unlocked);
  return unlocked;
}

export async function addUser(input: NewAccount, now: string = new Date().toISOString()): Promise<UserRow> {
  const admin = await requireAdmin();
  const account = await validate(input, await getSecurityPolicy());
  const m = await secretMaterial(account.secret, admin.dataKey, now);
  const row: UserRow = { id: crypto.randomUUID(), name: account.name, roles: account.roles, createdAt: now, active: true, kdf: m.kdf, verifier: m.verifier, wrappedDataKey: m.wrappedDataKey, wrappedSigningKey: m.wrappedSigningKey, signingKeys: [m.key], failedAttempts: 0, lockedUntil: null, ...(input.demo ? { demo: true } : {}) };
  await write(async () => {
    const clash = await durableDb.users.where('name').equalsIgnoreCase(row.name).first();
    if (clash) throw new CommandRefused(`${row.name} already has an entry on this tablet`);
    await durableDb.users.add(row);
    await appendLabEvent(now, admin.actor, { kind: 'user-added', summary: `${row.name} added (${row.roles.join(', ')})`, subjectId: row.id });
    await appendLabEvent(now, admin.actor, { kind: 'signing-key-set', summary: `Signing key set for ${row.name}`, subjectId: row.id, keyFingerprint: m.key.fingerprint });
  });
  return row;
}

/** A forgotten secret: new secret, new copy of the data key, new signing key (old public keys stay, so old signatures verify). */
export async function resetSecret(userId: string, secret: string, now: string = new Date().toISOString()): Promise<void> {
  const admin = await requireAdmin();
  const policy = await getSecurityPolicy();
  const problem = validateSecretPolicy(secret, policy.secret);
  if (problem) throw new CommandRefused(problem);
  const m = await secretMaterial(secret, admin.dataKey, now);
  await write(async () => {
    const user = await durableDb.users.get(userId);
    if (!user) throw new CommandRefused('No such person on this tablet');
    await durableDb.users.put({ ...user, kdf: m.kdf, verifier: m.verifier, wrappedDataKey: m.wrappedDataKey, wrappedSigningKey: m.wrappedSigningKey, signingKeys: [...user.signingKeys, m.key], failedAttempts: 0, lockedUntil: null });
    await appendLabEvent(now, admin.actor, { kind: 'secret-reset', summary: `Secret reset for ${user.name}`, subjectId: user.id });
    await appendLabEvent(now, admin.actor, { kind: 'signing-key-set', summary: `New signing key for ${user.name}`, subjectId: user.id, keyFingerprint: m.key.fingerprint });
  });
}

export async function setUserActive(userId: string, active: boolean, now: string = new Date().toISOString()): Promise<void> {
  const admin = await requireAdmin();
  await write(async () => {
    const user = await durableDb.users.get(userId);
    if (!user) throw new CommandRefused('No such person on this tablet');
    if (!active && user.id === admin.actor.id) throw new CommandRefused('You cannot disable your own account');
    if (!active && user.roles.includes('admin')) {
      const admins = (await durableDb.users.toArray()).filter((u) => u.active && u.roles.includes('admin'));
      if (admins.length <= 1) throw new CommandRefused('The last active lab admin cannot be disabled');
    }
    await durableDb.users.put({ ...user, active });
    await appendLabEvent(now, admin.actor, { kind: active ? 'user-enabled' : 'user-disabled', summary: `${user.name} ${active ? 'enabled' : 'disabled'}`, subjectId: user.id });
  });
}

export async function saveSecurityPolicy(policy: SecurityPolicy, now: string = new Date().toISOString()): Promise<void> {
  const admin = await requireAdmin();
  if (!(policy.idleMinutes >= 1 && policy.idleMinutes <= 60)) throw new CommandRefused('Automatic lock: between 1 and 60 minutes');
  await write(async () => {
    await putSecurityPolicy(policy, durableDb);
    await appendLabEvent(now, admin.actor, { kind: 'policy-changed', summary: `Security policy: ${policy.secret.kind} of at least ${policy.secret.minLength}, lock after ${policy.idleMinutes} min idle` });
  });
}

export class SignInError extends Error {
  override name = 'SignInError';
}

const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}`;

/**
 * Checks a person's secret, counting failures: after `maxFailedAttempts` in a row the
 * account is locked for `lockoutMinutes`. Returns the key-encryption key on success.
 */
export async function checkSecret(userId: string, secret: string, now: string, purpose: 'sign-in' | 'signing'): Promise<{ user: UserRow; kek: CryptoKey }> {
  const [user, policy] = await Promise.all([db.users.get(userId), getSecurityPolicy()]);
  if (!user || !user.active) throw new SignInError('This account is disabled. Ask a lab admin.');
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new SignInError(`Too many wrong secrets: ${user.name} is locked out until ${user.lockedUntil.slice(11, 16)} UTC.`);
  }
  const { ok, kek } = await verifySecret(secret, user.kdf, user.verifier);
  const actor = toActor(user);
  if (!ok || !kek) {
    const failures = user.failedAttempts + 1;
    const lockNow = failures >= policy.maxFailedAttempts;
    const lockedUntil = lockNow ? new Date(Date.parse(now) + policy.lockoutMinutes * 60_000).toISOString() : null;
    await write(async () => {
      await durableDb.users.update(user.id, { failedAttempts: lockNow ? 0 : failures, lockedUntil });
      await appendLabEvent(now, actor, { kind: 'sign-in-failed', summary: `Wrong secret for ${user.name} (${purpose}, ${failures} in a row)`, subjectId: user.id });
      if (lockNow) await appendLabEvent(now, actor, { kind: 'account-locked', summary: `${user.name} locked out for ${minutes(policy.lockoutMinutes)} after ${failures} wrong secrets`, subjectId: user.id });
    });
    throw new SignInError(
      lockNow
        ? `Wrong secret. That was ${failures} in a row: ${user.name} is locked out for ${minutes(policy.lockoutMinutes)}.`
        : `Wrong secret. ${policy.maxFailedAttempts - failures} more wrong ${policy.maxFailedAttempts - failures === 1 ? 'try' : 'tries'} and the account locks for ${minutes(policy.lockoutMinutes)}.`,
    );
  }
  if (user.failedAttempts > 0 || user.lockedUntil) await write(() => durableDb.users.update(user.id, { failedAttempts: 0, lockedUntil: null }));
  return { user, kek };
}

export async function signIn(userId: string, secret: string, now: string = new Date().toISOString()): Promise<Unlocked> {
  const { user, kek } = await checkSecret(userId, secret, now, 'sign-in');
  const dataKey = await unwrapDataKey(user.wrappedDataKey, kek);
  const actor = toActor(user);
  await write(() => appendLabEvent(now, actor, { kind: 'sign-in', summary: `${user.name} signed in`, subjectId: user.id }));
  const unlocked = { actor, dataKey, searchKey: await openSearchKey(dataKey) };
  if ((await durableDb.settings.get(INDEX_STALE))?.value) await (await import('./derived-index')).rebuildIndexes(unlocked);
  setUnlocked(unlocked);
  return unlocked;
}
