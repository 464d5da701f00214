// The lab key reaching a new device end to end. The new device makes an ECDH P-256 key
// pair (private half in memory only, never stored) and shows a short code derived from
// its public key; the approving admin's device shows the code of the key the server
// handed it, so a server that swapped keys is caught by a person comparing two codes.
// The admin's device wraps the lab key to the new device's public key (ephemeral ECDH,
// AES-GCM, lab and enrolment as associated data); the server relays an opaque blob.
import { base64ToBytes, bytesToBase64, bytesToHex, utf8Encode } from '../crypto/encoding';
import { GCM_IV_BYTES, randomBytes, subtle } from '../crypto/runtime';

const ECDH: EcKeyImportParams = { name: 'ECDH', namedCurve: 'P-256' };
const LAB_KEY: AesKeyAlgorithm = { name: 'AES-GCM', length: 256 };

export type EnrolmentKeys = { privateKey: CryptoKey; publicKey: string };

export async function newEnrolmentKeys(): Promise<EnrolmentKeys> {
  const pair = (await subtle().generateKey(ECDH, false, ['deriveKey'])) as CryptoKeyPair;
  const jwk = await subtle().exportKey('jwk', pair.publicKey);
  return { privateKey: pair.privateKey, publicKey: JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }) };
}

/** "4F2A 9C11 07BE": what both screens show for one public key. */
export async function keyCode(publicKey: string): Promise<string> {
  const digest = new Uint8Array(await subtle().digest('SHA-256', utf8Encode(publicKey)));
  return bytesToHex(digest.slice(0, 6)).toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');
}

const context = (labId: string, enrolmentId: string) => utf8Encode(`printpath/v1/enrolment\u0000${labId}\u0000${enrolmentId}`);

async function sharedKey(privateKey: CryptoKey, publicJwk: JsonWebKey, usage: 'wrapKey' | 'unwrapKey'): Promise<CryptoKey> {
  const publicKey = await subtle().importKey('jwk', publicJwk, ECDH, false, []);
  return subtle().deriveKey({ name: 'ECDH', public: publicKey }, privateKey, LAB_KEY, false, [usage]);
}

/** On the approving device: the lab key for the device whose public key is `devicePublicKey`. */
export async function wrapLabKey(labKey: CryptoKey, devicePublicKey: string, labId: string, enrolmentId: string): Promise<string> {
  const ephemeral = (await subtle().generateKey(ECDH, true, ['deriveKey'])) as CryptoKeyPair;
  const iv = randomBytes(GCM_IV_BYTES);
  const wrapping = await sharedKey(ephemeral.privateKey, JSON.parse(devicePublicKey) as JsonWebKey, 'wrapKey');
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', labKey, wrapping, { name: 'AES-GCM', iv, additionalData: context(labId, enrolmentId) }));
  const epk = await subtle().exportKey('jwk', ephemeral.publicKey);
  return JSON.stringify({ v: 1, epk: { kty: epk.kty, crv: epk.crv, x: epk.x, y: epk.y }, iv: bytesToBase64(iv), key: bytesToBase64(wrapped) });
}

/** On the new device: the lab key, or a throw when the blob was not made for this key, lab and enrolment. */
export async function unwrapLabKey(blob: string, keys: EnrolmentKeys, labId: string, enrolmentId: string): Promise<CryptoKey> {
  const parsed = JSON.parse(blob) as { v: number; epk: JsonWebKey; iv: string; key: string };
  const unwrapping = await sharedKey(keys.privateKey, parsed.epk, 'unwrapKey');
  // Extractable like every device's data key (crypto/data-key.ts): it is wrapped again for each person.
  return subtle().unwrapKey('raw', base64ToBytes(parsed.key), unwrapping, { name: 'AES-GCM', iv: base64ToBytes(parsed.iv), additionalData: context(labId, enrolmentId) }, LAB_KEY, true, ['encrypt', 'decrypt']);
}
