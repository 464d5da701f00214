// The lab's keys reaching a new device end to end. The new device makes an ECDH P-256 key
// pair (private half in memory only, never stored) and shows a short code derived from
// its public key; the approving admin's device shows the code of the key the server
// handed it, so a server that swapped keys is caught by a person comparing two codes.
// The admin's device grants every epoch of the lab's key ring to the new device's public
// key (crypto/key-grant.ts, lab and enrolment as associated data); the server relays an
// opaque blob.
import { bytesToHex, utf8Encode } from '../crypto/encoding';
import { grantKey, newAgreementKeyPair, openGrant } from '../crypto/key-grant';
import { FIRST_EPOCH, keyRing, type KeyRing } from '../crypto/key-ring';
import { subtle } from '../crypto/runtime';
import { z } from 'zod';

export type EnrolmentKeys = { privateKey: CryptoKey; publicKey: string };

export const newEnrolmentKeys = (): Promise<EnrolmentKeys> => newAgreementKeyPair(false);

/** "4F2A 9C11 07BE": what both screens show for one public key. */
export async function keyCode(publicKey: string): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', utf8Encode(publicKey)));
  return bytesToHex(digest.slice(0, 6)).toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');
}

/** What a tablet joining with its own records brings: its lab log's root key and head, and how many people and cases. */
export type Bringing = { root: string; head: string; seq: number; people: number; cases: number };

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const bringingSchema = z.strictObject({ root: hex64, head: hex64, seq: z.int().min(1), people: z.int().min(0), cases: z.int().min(0) });

/** The key text of an enrolment that brings records: the public key and what it brings, so the key code both screens show covers both. */
export const bringingKeyText = (publicKey: string, brings: Bringing): string => JSON.stringify({ ...(JSON.parse(publicKey) as object), brings });

/** What an enrolment's key text says its device brings; null for a new device or a text that does not describe it fully. */
export function broughtBy(keyText: string): Bringing | null {
  try {
    const parsed = bringingSchema.safeParse((JSON.parse(keyText) as { brings?: unknown }).brings);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const context = (labId: string, enrolmentId: string, epoch: string) =>
  epoch === FIRST_EPOCH ? `printpath/v1/enrolment\u0000${labId}\u0000${enrolmentId}` : `printpath/v2/enrolment\u0000${labId}\u0000${enrolmentId}\u0000${epoch}`;

/** On the approving device: every key of the ring, for the device whose public key is `devicePublicKey`. */
export async function wrapLabKeys(ring: KeyRing, devicePublicKey: string, labId: string, enrolmentId: string): Promise<string> {
  const grants = await Promise.all([...ring.keys].map(async ([epoch, key]) => [epoch, await grantKey(key, devicePublicKey, context(labId, enrolmentId, epoch))] as const));
  return JSON.stringify({ v: 2, keys: Object.fromEntries(grants) });
}

/** On the new device: the lab's key ring, or a throw when the blob was not made for this key, lab and enrolment. */
export async function unwrapLabKeys(blob: string, keys: EnrolmentKeys, labId: string, enrolmentId: string): Promise<KeyRing> {
  const parsed = JSON.parse(blob) as { v: number; keys?: Record<string, string> };
  // v1: an app from before key epochs approved this device; its blob is the single grant itself.
  const grants = parsed.v === 2 && parsed.keys ? Object.entries(parsed.keys) : [[FIRST_EPOCH, blob] as const];
  return keyRing(await Promise.all(grants.map(async ([epoch, grant]) => [epoch, await openGrant(grant, keys.privateKey, context(labId, enrolmentId, epoch))] as [string, CryptoKey])));
}
