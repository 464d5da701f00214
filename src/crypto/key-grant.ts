// A key handed to whoever holds an ECDH P-256 private key, without a shared secret:
// ephemeral ECDH → AES-GCM key wrap, with a context string as associated data so a grant
// made for one purpose (an enrolment, an epoch for one person) cannot be replayed as
// another. Used to bring the lab key to a new device, each new key epoch to each person
// and to the lab's recovery key.
import { base64ToBytes, bytesToBase64, utf8Encode } from './encoding';
import { unwrapWithKek, wrapWithKek, type WrappedKey } from './key-wrap';
import { GCM_IV_BYTES, randomBytes, subtle } from './runtime';

const ECDH: EcKeyImportParams = { name: 'ECDH', namedCurve: 'P-256' };
const AES: AesKeyAlgorithm = { name: 'AES-GCM', length: 256 };

/** A P-256 public key as minimal JWK JSON ({kty, crv, x, y}). */
export type PublicKeyText = string;

export const publicKeyText = (jwk: JsonWebKey): PublicKeyText => JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });

export async function newAgreementKeyPair(extractable: boolean): Promise<{ privateKey: CryptoKey; publicKey: PublicKeyText }> {
  const pair = (await subtle().generateKey(ECDH, extractable, ['deriveKey'])) as CryptoKeyPair;
  return { privateKey: pair.privateKey, publicKey: publicKeyText(await subtle().exportKey('jwk', pair.publicKey)) };
}

async function sharedKey(privateKey: CryptoKey, publicJwk: JsonWebKey, usage: 'wrapKey' | 'unwrapKey'): Promise<CryptoKey> {
  const publicKey = await subtle().importKey('jwk', publicJwk, ECDH, false, []);
  return subtle().deriveKey({ name: 'ECDH', public: publicKey }, privateKey, AES, false, [usage]);
}

/** `key` (AES-GCM) for the holder of `recipient`'s private key, bound to `context`. */
export async function grantKey(key: CryptoKey, recipient: PublicKeyText, context: string): Promise<string> {
  const ephemeral = (await subtle().generateKey(ECDH, true, ['deriveKey'])) as CryptoKeyPair;
  const iv = randomBytes(GCM_IV_BYTES);
  // Only the key's own members: an enrolment's key text may say more (sync/enrol-keys.ts).
  const wrapping = await sharedKey(ephemeral.privateKey, JSON.parse(publicKeyText(JSON.parse(recipient) as JsonWebKey)) as JsonWebKey, 'wrapKey');
  const wrapped = new Uint8Array(await subtle().wrapKey('raw', key, wrapping, { name: 'AES-GCM', iv, additionalData: utf8Encode(context) }));
  return JSON.stringify({ v: 1, epk: JSON.parse(publicKeyText(await subtle().exportKey('jwk', ephemeral.publicKey))), iv: bytesToBase64(iv), key: bytesToBase64(wrapped) });
}

/** Opens a grant; throws when it was not made for this private key and context. The key is extractable: it is wrapped again for each person. */
export async function openGrant(grant: string, privateKey: CryptoKey, context: string): Promise<CryptoKey> {
  const parsed = JSON.parse(grant) as { v: number; epk: JsonWebKey; iv: string; key: string };
  const unwrapping = await sharedKey(privateKey, parsed.epk, 'unwrapKey');
  return subtle().unwrapKey('raw', base64ToBytes(parsed.key), unwrapping, { name: 'AES-GCM', iv: base64ToBytes(parsed.iv), additionalData: utf8Encode(context) }, AES, true, ['encrypt', 'decrypt']);
}

/** A person's key-agreement key as stored: public half in the clear (inside lab envelopes), private half under their KEK. */
export type AgreementKey = { publicKey: PublicKeyText; wrapped: WrappedKey };

export async function newPersonAgreementKey(kek: CryptoKey): Promise<AgreementKey> {
  const pair = await newAgreementKeyPair(true);
  return { publicKey: pair.publicKey, wrapped: await wrapWithKek('pkcs8', pair.privateKey, kek, 'agreement-key') };
}

/** Opens a person's key-agreement key (non-extractable); a wrong KEK rejects with WrongSecretError. */
export function openPersonAgreementKey(k: AgreementKey, kek: CryptoKey): Promise<CryptoKey> {
  return unwrapWithKek('pkcs8', k.wrapped, kek, 'agreement-key', ECDH, false, ['deriveKey']);
}
