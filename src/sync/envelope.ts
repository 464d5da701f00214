// What travels to the lab server: a payload sealed under the lab key (AES-GCM) with the
// lab and the event id as associated data, so the server (or anyone) cannot move a
// sealed event to another lab or under another id. The server sees only the base64.
// An envelope does not name its key epoch (that would tell the server which events came
// after a revocation): the receiver tries the epoch that opened the last one first, then
// the rest of its ring, newest first; AES-GCM refuses a wrong key at once.
import { base64ToBytes, bytesToBase64, utf8Decode, utf8Encode } from '../crypto/encoding';
import { GCM_IV_BYTES, randomBytes, subtle } from '../crypto/runtime';
import type { AuditEntry } from '../domain/audit-chain';
import { compareEpochs, type KeyRing } from '../crypto/key-ring';
import type { MaterialRow, PrinterRow, StoredCaseRow, UserRow } from '../db/database';

/** A person's row as it travels: their secret verifier and keys wrapped by their secret, without this device's lock-out counters. */
export type SyncedPerson = Omit<UserRow, 'failedAttempts' | 'lockedUntil'>;

export type Payload =
  /** An audit entry as stored; `row`: the case as it stands at this entry, when it was its chain's head at push time. */
  | { type: 'entry'; entry: AuditEntry; row?: StoredCaseRow }
  | { type: 'person'; person: SyncedPerson }
  | { type: 'setting'; key: string; value: unknown }
  | { type: 'equipment'; table: 'printers'; row: PrinterRow }
  | { type: 'equipment'; table: 'materials'; row: MaterialRow };

export const KNOWN_TYPES: ReadonlySet<string> = new Set(['entry', 'person', 'setting', 'equipment']);

const aad = (labId: string, eventId: string) => utf8Encode(`printpath/v1/envelope\u0000${labId}\u0000${eventId}`);

export async function sealEnvelope(payload: Payload, key: CryptoKey, labId: string, eventId: string): Promise<string> {
  const iv = randomBytes(GCM_IV_BYTES);
  const ct = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad(labId, eventId) }, key, utf8Encode(JSON.stringify(payload))));
  const out = new Uint8Array(iv.length + ct.length);
  out.set(iv);
  out.set(ct, iv.length);
  return bytesToBase64(out);
}

let lastOpened: CryptoKey | null = null;

/** Opens an envelope; throws when it was not sealed under a key of the ring for this lab and event. The type is checked by the caller. */
export async function openEnvelope(envelope: string, ring: KeyRing, labId: string, eventId: string): Promise<{ type: string } & Record<string, unknown>> {
  const bytes = base64ToBytes(envelope);
  const byAge = [...ring.keys].sort(([a], [b]) => compareEpochs(b, a)).map(([, key]) => key);
  const keys = lastOpened && byAge.includes(lastOpened) ? [lastOpened, ...byAge.filter((k) => k !== lastOpened)] : byAge;
  let plain: ArrayBuffer | null = null;
  for (const key of keys) {
    plain = await subtle().decrypt({ name: 'AES-GCM', iv: bytes.slice(0, GCM_IV_BYTES), additionalData: aad(labId, eventId) }, key, bytes.slice(GCM_IV_BYTES)).catch(() => null);
    if (plain) {
      lastOpened = key;
      break;
    }
  }
  if (!plain) throw new Error('The event was not sealed under any key this device holds');
  const value = JSON.parse(utf8Decode(new Uint8Array(plain))) as unknown;
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') throw new Error('The event has no type');
  return value as { type: string } & Record<string, unknown>;
}
