// The lab's recovery key: shown once, when the lab is created on the server, for the lab
// to keep on paper; it restores the lab onto a new device if every device is lost. It is
// the private half of an ECDH P-256 key: each key epoch is granted to its public half
// (key-epochs.ts), so revocations keep it working without anyone typing it. The server
// keeps those grants, the public half and the hash of a token derived from the paper key;
// none of them opens anything without the paper.
import { base64UrlToBytes, bytesToBase64Url, utf8Encode } from '../crypto/encoding';
import { grantKey, newAgreementKeyPair, openGrant } from '../crypto/key-grant';
import { keyRing, type KeyRing } from '../crypto/key-ring';
import { subtle } from '../crypto/runtime';
import { durableDb } from '../db/database';
import { CommandRefused } from '../db/errors';
import { grantContext, keyEpochs, RECOVERY_GRANTEE, RECOVERY_KEY, type KeyEpoch } from '../db/key-epochs';
import type { DeviceApi } from './server-api';

// Crockford's base32: no I, L, O or U, so what is copied from paper is not misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SCALAR_BYTES = 32;
const CHECK_BYTES = 3;


function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + ALPHABET[(value << (5 - bits)) & 31] : out;
}

function fromBase32(text: string): Uint8Array | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    const n = ALPHABET.indexOf(ch);
    if (n < 0) return null;
    value = ((value << 5) | n) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

const checksum = async (scalar: Uint8Array) => new Uint8Array(await subtle().digest('SHA-256', scalar as Uint8Array<ArrayBuffer>)).slice(0, CHECK_BYTES);

/** "ABCD-EFGH-…": 56 characters in 14 groups, the key and a check that catches a mistyped character. */
async function paperText(scalar: Uint8Array): Promise<string> {
  const all = new Uint8Array(SCALAR_BYTES + CHECK_BYTES);
  all.set(scalar);
  all.set(await checksum(scalar), SCALAR_BYTES);
  return base32(all).match(/.{4}/g)!.join('-');
}

/** The key's 32 bytes from what a person typed, or a sentence saying what is wrong. */
export async function readPaperKey(typed: string): Promise<Uint8Array> {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (compact.length !== 56) throw new CommandRefused(`A recovery key has 56 characters in 14 groups of four; this has ${compact.length}.`);
  const bytes = fromBase32(compact);
  if (!bytes) throw new CommandRefused('A recovery key holds only the digits 0–9 and the letters A–Z except I, L, O and U: check it against the paper.');
  const scalar = bytes.slice(0, SCALAR_BYTES);
  const check = await checksum(scalar);
  if (check.some((b, i) => b !== bytes[SCALAR_BYTES + i])) throw new CommandRefused('This recovery key has a mistake in it: check each group against the paper.');
  return scalar;
}

/** What the server keeps the hash of, to recognise the paper key without being able to use it. */
export async function recoveryToken(scalar: Uint8Array): Promise<string> {
  const label = utf8Encode('printpath/v1/recovery-token\u0000');
  const input = new Uint8Array(label.length + scalar.length);
  input.set(label);
  input.set(scalar, label.length);
  return bytesToBase64Url(new Uint8Array(await subtle().digest('SHA-256', input)));
}

async function grantsFor(ring: KeyRing, publicKey: string, labId: string) {
  return Promise.all([...ring.keys].map(async ([epoch, key]) => ({ epoch, grant: await grantKey(key, publicKey, grantContext(labId, epoch, RECOVERY_GRANTEE)) })));
}

/** Makes the lab's recovery key and gives the server what it keeps. Returns the paper text, to show once. */
export async function createRecoveryKey(api: DeviceApi, ring: KeyRing, labId: string): Promise<string> {
  const pair = await newAgreementKeyPair(true);
  const jwk = await subtle().exportKey('jwk', pair.privateKey);
  const scalar = base64UrlToBytes(jwk.d!);
  await api.setUpRecovery(pair.publicKey, await recoveryToken(scalar), await grantsFor(ring, pair.publicKey, labId));
  await durableDb.settings.put({ key: RECOVERY_KEY, value: pair.publicKey });
  return paperText(scalar);
}

/** A new key epoch's grant to the recovery key, to the server (where a recovery finds it). */
export async function shareRecoveryGrant(api: DeviceApi, record: KeyEpoch): Promise<void> {
  const grant = record.grants[RECOVERY_GRANTEE];
  if (grant) await api.addRecoveryGrant(record.epoch, grant);
}

/** Gives the server every epoch's recovery grant it lacks (one was made while the server was out of reach). */
export async function catchUpRecoveryGrants(api: DeviceApi): Promise<void> {
  const local = (await keyEpochs()).filter((e) => e.grants[RECOVERY_GRANTEE]);
  if (local.length === 0) return;
  const { recoveryKey, epochs } = await api.recovery();
  if (!recoveryKey) return;
  for (const e of local) if (!epochs.includes(e.epoch)) await shareRecoveryGrant(api, e);
}

/** On a new device: the lab's key ring from the paper key and the grants the server returned. */
export async function openRecoveredRing(scalar: Uint8Array, publicKey: string, grants: { epoch: string; grant: string }[], labId: string): Promise<KeyRing> {
  const pub = JSON.parse(publicKey) as JsonWebKey;
  const privateKey = await subtle().importKey('jwk', { kty: 'EC', crv: 'P-256', x: pub.x, y: pub.y, d: bytesToBase64Url(scalar) }, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveKey']);
  const opened = await Promise.all(grants.map(async (g) => [g.epoch, await openGrant(g.grant, privateKey, grantContext(labId, g.epoch, RECOVERY_GRANTEE))] as [string, CryptoKey]));
  return keyRing(opened);
}
