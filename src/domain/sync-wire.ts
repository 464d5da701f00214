// The sync wire format: what a device sends to and receives from the lab server.
// Shared by the server (validation) and the browser (building requests). Everything here
// is routing metadata or opaque ciphertext: the envelope is AES-GCM under the lab key and
// the server never sees its plaintext, so nothing in the clear may be derived from it.
import { z } from './zod';

/** Limits the server enforces; the browser batches within them. */
export const SYNC_LIMITS = {
  maxEventsPerPush: 200,
  maxEnvelopeBytes: 256 * 1024,
  maxParents: 64,
  maxPullLimit: 500,
  defaultPullLimit: 100,
  maxWaitSeconds: 30,
  maxPublicKeyChars: 4096,
  maxWrappedKeyChars: 16 * 1024,
  maxDeviceNameChars: 80,
  maxChainChars: 100,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
// With a length that is a multiple of 4, this is canonical padded base64, and twice as fast to test as the grouped form.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (text: string) => text.length % 4 === 0 && BASE64.test(text);
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const HLC = /^\d{15}-\d{5}-[A-Za-z0-9_.:-]{1,100}$/;
/** An audit chain's name: a case id, 'lab' or 'device:<uuid>'. */
const CHAIN = /^[A-Za-z0-9:_-]+$/;

/** Bytes a standard base64 string decodes to (the string must already be standard base64). */
export function base64ByteLength(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

export const uuidSchema = z.string().regex(UUID, { error: 'must be a lower-case UUID' });

const maxEnvelopeChars = Math.ceil(SYNC_LIMITS.maxEnvelopeBytes / 3) * 4;

export const pushedEventSchema = z
  .strictObject({
    eventId: uuidSchema,
    deviceSeq: z.int({ error: 'must be a whole number' }).min(1, { error: 'must be 1 or more' }).max(Number.MAX_SAFE_INTEGER),
    hlc: z.string().regex(HLC, { error: 'must be a hybrid logical clock (15 digits, 5 digits, node)' }),
    parents: z
      .array(z.string().regex(SHA256_HEX, { error: 'must be a SHA-256 hash in lower-case hex' }))
      .max(SYNC_LIMITS.maxParents, { error: `must list at most ${SYNC_LIMITS.maxParents} parents` }),
    sig: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(1024, { error: 'must be at most 1024 characters' })
      .regex(BASE64URL, { error: 'must be base64url' }),
    envelope: z
      .string()
      .min(4, { error: 'must not be empty' })
      .max(maxEnvelopeChars, { error: `must be at most ${SYNC_LIMITS.maxEnvelopeBytes} bytes` })
      .refine(isBase64, { error: 'must be standard base64' }),
    size: z.int({ error: 'must be a whole number' }).min(1).max(SYNC_LIMITS.maxEnvelopeBytes, {
      error: `must be at most ${SYNC_LIMITS.maxEnvelopeBytes} bytes`,
    }),
    /**
     * The audit chain this event appends to. The server keeps each chain linear: it accepts
     * the event only if parents[0] is the chain's current head (64 zeros for a new chain).
     * Absent for events on no chain (snapshots, people, settings), which are never checked.
     */
    chain: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(SYNC_LIMITS.maxChainChars, { error: `must be at most ${SYNC_LIMITS.maxChainChars} characters` })
      .regex(CHAIN, { error: 'must hold only letters, digits, colons, underscores and hyphens' })
      .optional(),
    /**
     * The event's own audit entry hash: the chain's head once the server accepts it. It covers
     * values that travel only inside envelopes (the author's random id, sealed bodies), so it
     * cannot be checked against guessed plaintext.
     */
    hash: z.string().regex(SHA256_HEX, { error: 'must be a SHA-256 hash in lower-case hex' }).optional(),
  })
  .refine((event) => base64ByteLength(event.envelope) === event.size, {
    error: 'size must equal the number of bytes in the envelope',
    path: ['size'],
  })
  .refine((event) => event.chain !== undefined || event.hash === undefined, {
    error: 'must be given when hash is: an event on a chain names both',
    path: ['chain'],
  })
  .refine((event) => event.hash !== undefined || event.chain === undefined, {
    error: 'must be given when chain is: an event on a chain names both',
    path: ['hash'],
  })
  .refine((event) => event.chain === undefined || event.parents.length > 0, {
    error: 'must name the entry before it on its chain (64 zeros for the first)',
    path: ['parents'],
  });

export type PushedEvent = z.infer<typeof pushedEventSchema>;

export const pushRequestSchema = z.strictObject({
  events: z
    .array(pushedEventSchema)
    .min(1, { error: 'must hold at least one event' })
    .max(SYNC_LIMITS.maxEventsPerPush, { error: `must hold at most ${SYNC_LIMITS.maxEventsPerPush} events` })
    .refine((events) => new Set(events.map((e) => e.eventId)).size === events.length, {
      error: 'must not list the same event id twice',
    }),
});

export type PushRequest = z.infer<typeof pushRequestSchema>;

export type PushResponse = { results: { eventId: string; serverSeq: number }[] };

/**
 * A push refused (409) because another device appended to one of its chains first: nothing
 * of it was stored. `stale` names those chains; the device pulls, reconciles, pushes again.
 */
export type StalePushResponse = { error: string; stale: string[] };

/** An event as a device pulls it: what was pushed (chain and hash only when set), plus who pushed it and its place in the lab's order. */
export type PulledEvent = PushedEvent & { serverSeq: number; deviceId: string };

export type PullResponse = { events: PulledEvent[]; next: number; more: boolean };

const seqParam = z.coerce
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be 0 or more' })
  .max(Number.MAX_SAFE_INTEGER);

export const pullQuerySchema = z.strictObject({
  after: seqParam.default(0),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be 1 or more' })
    .max(SYNC_LIMITS.maxPullLimit, { error: `must be at most ${SYNC_LIMITS.maxPullLimit}` })
    .default(SYNC_LIMITS.defaultPullLimit),
  /** Long-poll: when nothing is newer than `after`, wait up to this many seconds for a push to commit. */
  wait: z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must be 0 or more' })
    .max(SYNC_LIMITS.maxWaitSeconds, { error: `must be at most ${SYNC_LIMITS.maxWaitSeconds}` })
    .default(0),
  /** One chain's events only (a case's history fetched on demand by a device that does not hold it). */
  chain: z
    .string()
    .max(SYNC_LIMITS.maxChainChars, { error: `must be at most ${SYNC_LIMITS.maxChainChars} characters` })
    .regex(CHAIN, { error: 'must hold only letters, digits, colons, underscores and hyphens' })
    .optional(),
  /**
   * A joining device's first pass: of each case's chain only its newest event (which brings the
   * case's record), with every event that is not on a case's chain (people, settings, the lab
   * log, devices' own chains). The history follows in a second pass, behind a usable list.
   */
  heads: z.literal('1', { error: 'must be 1 when given' }).optional(),
});

const deviceNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(SYNC_LIMITS.maxDeviceNameChars, { error: `must be at most ${SYNC_LIMITS.maxDeviceNameChars} characters` });

const publicKeySchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(SYNC_LIMITS.maxPublicKeyChars, { error: `must be at most ${SYNC_LIMITS.maxPublicKeyChars} characters` });

export const setupRequestSchema = z.strictObject({
  code: z.string().min(1, { error: 'must not be empty' }).max(64),
  deviceName: deviceNameSchema,
  publicKey: publicKeySchema,
});

export type SetupResponse = { labId: string; deviceId: string; credential: string };

export const enrolmentRequestSchema = z.strictObject({ deviceName: deviceNameSchema, publicKey: publicKeySchema });

export type EnrolmentResponse = { enrolmentId: string; code: string; collectToken: string };

export const approveRequestSchema = z.strictObject({
  wrappedLabKey: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(SYNC_LIMITS.maxWrappedKeyChars, { error: `must be at most ${SYNC_LIMITS.maxWrappedKeyChars} characters` }),
});

export type PendingEnrolment = { enrolmentId: string; deviceName: string; publicKey: string; code: string; createdAt: string };

export type CollectResponse =
  | { status: 'pending' }
  | { status: 'approved'; deviceId: string; credential: string; wrappedLabKey: string }
  | { status: 'collected' | 'rejected' | 'expired' };

/** An epoch id of the lab's key ring ("1", or "<n>-<hex>", crypto/key-ring.ts): routing metadata. */
const epochSchema = z.string().regex(/^(?:1|\d{1,6}-[0-9a-f]{8})$/, { error: 'must be a key epoch id' });

/** A key granted to the recovery key: an opaque blob only the recovery key (on paper) opens. */
const grantSchema = z.string().min(1, { error: 'must not be empty' }).max(2048, { error: 'must be at most 2048 characters' });

/** A recovery token: derived from the recovery key, 32 bytes base64url; the server keeps its hash. */
const recoveryTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, { error: 'must be a recovery token (43 base64url characters)' });

export const recoverySetupSchema = z.strictObject({
  publicKey: publicKeySchema,
  token: recoveryTokenSchema,
  grants: z.array(z.strictObject({ epoch: epochSchema, grant: grantSchema })).min(1).max(100),
});

export const recoveryGrantSchema = z.strictObject({ grant: grantSchema });
export const epochParamSchema = epochSchema;

export const recoverRequestSchema = z.strictObject({ token: recoveryTokenSchema, deviceName: deviceNameSchema });

export type RecoverResponse = { deviceId: string; credential: string; publicKey: string; grants: { epoch: string; grant: string }[] };

/** A model file's chunk as it travels: IV ‖ AES-GCM ciphertext (under the lab's key, file id and index bound in), base64. */
export const FILE_CHUNK_LIMITS = { maxPlainBytes: 1024 * 1024, maxChunks: 4096 } as const;
const maxChunkChars = Math.ceil((FILE_CHUNK_LIMITS.maxPlainBytes + 12 + 16) / 3) * 4;

export const fileChunkSchema = z.strictObject({
  chunk: z
    .string()
    .min(40, { error: 'must hold an IV and a ciphertext' })
    .max(maxChunkChars, { error: `must be at most ${FILE_CHUNK_LIMITS.maxPlainBytes} bytes of file and 28 of IV and tag` })
    .refine(isBase64, { error: 'must be standard base64' })
    .refine((c) => base64ByteLength(c) <= FILE_CHUNK_LIMITS.maxPlainBytes + 28, { error: `must be at most ${FILE_CHUNK_LIMITS.maxPlainBytes} bytes of file and 28 of IV and tag` }),
});

export const chunkIndexSchema = z.coerce.number().int({ error: 'must be a whole number' }).min(0).max(FILE_CHUNK_LIMITS.maxChunks - 1);
