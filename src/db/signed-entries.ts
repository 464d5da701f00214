// Making and checking signed audit entries (format 2, domain/audit-chain.ts). An entry
// is built and signed before its transaction opens (awaiting Web Crypto inside one
// would commit it early); the transaction then checks that the chain did not move.
import { appendEntry, entrySigningText, type AuditDraft, type AuditEntry } from '../domain/audit-chain';
import type { Actor } from '../domain/case';
import { nextHlc } from '../domain/hlc';
import { signText, verifyText } from '../crypto/signing-keys';
import type { Verify } from '../crypto/verify-pool';
import { db } from './database';
import type { Unlocked } from './vault';

/** Who signs an entry and with which key; `key` null for the unsigned kinds (failed sign-ins). */
export type EntrySigner = { actor: Pick<Actor, 'id' | 'name'>; key: CryptoKey | null; keyId: string };

/** The signed-in person's entry key signs their ordinary entries. */
export const entrySigner = (u: Unlocked): EntrySigner => ({ actor: u.actor, key: u.entryKey, keyId: u.entryKeyId });

export const UNSIGNED = (actor: Pick<Actor, 'id' | 'name'>): EntrySigner => ({ actor, key: null, keyId: '' });

/** Names this device in the clocks it makes. */
export const DEVICE_KEY_ID = 'deviceKeyId';
let node: string | undefined;
async function deviceNode(): Promise<string> {
  node ??= String((await db.settings.get(DEVICE_KEY_ID))?.value ?? '').slice(0, 8) || undefined;
  return node ?? 'local';
}

/** The entry that follows `prev` on its chain, signed by `signer`. */
export async function signedEntry<T>(prev: AuditEntry | null, draft: Omit<AuditDraft<T>, 'actorId' | 'actorName' | 'id' | 'hlc' | 'keyId'>, signer: EntrySigner): Promise<AuditEntry<T>> {
  const entry = appendEntry(prev, {
    ...draft,
    actorId: signer.actor.id,
    actorName: signer.actor.name,
    id: crypto.randomUUID(),
    hlc: nextHlc(prev?.hlc, Date.parse(draft.at), await deviceNode()),
    keyId: signer.keyId,
  });
  return signer.key ? { ...entry, sig: await signText(signer.key, entrySigningText(entry.hash)) } : entry;
}

/** Signed entries one after another on the same chain (one write that records several events). */
export async function signedEntries<T>(prev: AuditEntry | null, drafts: Omit<AuditDraft<T>, 'actorId' | 'actorName' | 'id' | 'hlc' | 'keyId'>[], signer: EntrySigner): Promise<AuditEntry<T>[]> {
  const out: AuditEntry<T>[] = [];
  for (const d of drafts) out.push(await signedEntry(out.at(-1) ?? prev, d, signer));
  return out;
}

/** Checks an entry's signature with the public key it names (resolved by the caller); `verify`: a pool's (crypto/verify-pool.ts) for many at once. */
export async function entrySignatureValid(e: AuditEntry, publicKey: JsonWebKey | null | undefined, verify: Verify = verifyText): Promise<boolean> {
  if (!publicKey || typeof e.sig !== 'string') return false;
  return verify(publicKey, entrySigningText(e.hash), e.sig);
}
