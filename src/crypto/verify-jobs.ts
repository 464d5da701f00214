// What a worker of the checking pool does with one message (verify-pool.ts): each signature
// job names its public key by index into the message's keys, so a key crosses once per
// message; each sealed value is opened with the message's data key.
import { decryptJson, type Sealed } from './field-cipher';
import type { DataKey } from './key-ring';
import { sha256Native } from './sha256';
import { verifyText } from './signing-keys';

/** One check: a signature over a text; a sealed value that must open (as JSON) under its AAD; a text's SHA-256. */
export type Check = { key: JsonWebKey; text: string; sig: string } | { sealed: Sealed; aad: string } | { text: string; sha256: string };

/** A check as sent: a signature's key by its index into the message's keys. */
export type VerifyJob = { k: number; text: string; sig: string } | { sealed: Sealed; aad: string } | { text: string; sha256: string };
export type VerifyRequest = { id: number; keys: JsonWebKey[]; jobs: VerifyJob[]; dataKey: DataKey | null };
/** 1 where the check holds, 0 where it does not (or the key, signature or sealed value is malformed). */
export type VerifyReply = { id: number; ok: Uint8Array; /** The worker's own time on it: the page's CPU throttle does not slow a worker, so the bench reports it apart. */ ms: number };

/** Whether a check holds; a sealed value needs the data key, and without one it does not open. */
export async function holds(check: Check, dataKey: DataKey | null): Promise<boolean> {
  if ('sig' in check) return verifyText(check.key, check.text, check.sig);
  if ('sha256' in check) return (await sha256Native(check.text)) === check.sha256;
  return !!dataKey && decryptJson(check.sealed, dataKey, check.aad).then(() => true, () => false);
}

export async function runVerifyJobs({ id, keys, jobs, dataKey }: VerifyRequest): Promise<VerifyReply> {
  const started = performance.now();
  const ok = new Uint8Array(jobs.length);
  // Sequential: Web Crypto runs on this thread anyway, and one at a time keeps the worker's queue short.
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    const key = 'k' in job ? keys[job.k] : undefined;
    const check: Check | null = !('k' in job) ? job : key ? { key, text: job.text, sig: job.sig } : null;
    ok[i] = check && (await holds(check, dataKey)) ? 1 : 0;
  }
  return { id, ok, ms: performance.now() - started };
}
