// What a worker of the checking pool does with one message (verify-pool.ts): each signature
// job names its public key by index into the message's keys, so a key crosses once per
// message; each sealed value is opened with the message's data key.
import { decryptJson, type Sealed } from './field-cipher';
import type { DataKey } from './key-ring';
import { verifyText } from './signing-keys';

/** One check: a signature over a text, or a sealed value that must open (as JSON) under its AAD. */
export type Check = { key: JsonWebKey; text: string; sig: string } | { sealed: Sealed; aad: string };

export type VerifyJob = [key: number, text: string, sig: string] | [sealed: Sealed, aad: string];
export type VerifyRequest = { id: number; keys: JsonWebKey[]; jobs: VerifyJob[]; dataKey: DataKey | null };
/** 1 where the check holds, 0 where it does not (or the key, signature or sealed value is malformed). */
export type VerifyReply = { id: number; ok: Uint8Array; /** The worker's own time on it: the page's CPU throttle does not slow a worker, so the bench reports it apart. */ ms: number };

/** Whether a check holds; a sealed value needs the data key, and without one it does not open. */
export async function holds(check: Check, dataKey: DataKey | null): Promise<boolean> {
  if ('sig' in check) return verifyText(check.key, check.text, check.sig);
  return !!dataKey && decryptJson(check.sealed, dataKey, check.aad).then(() => true, () => false);
}

export async function runVerifyJobs({ id, keys, jobs, dataKey }: VerifyRequest): Promise<VerifyReply> {
  const started = performance.now();
  const ok = new Uint8Array(jobs.length);
  // Sequential: Web Crypto runs on this thread anyway, and one at a time keeps the worker's queue short.
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i]!;
    if (job.length === 2) ok[i] = (await holds({ sealed: job[0], aad: job[1] }, dataKey)) ? 1 : 0;
    else ok[i] = keys[job[0]] && (await holds({ key: keys[job[0]]!, text: job[1], sig: job[2] }, dataKey)) ? 1 : 0;
  }
  return { id, ok, ms: performance.now() - started };
}
