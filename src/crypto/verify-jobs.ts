// What a signature-checking worker does with one message (verify-pool.ts): each job names
// its public key by index into the message's keys, so a key crosses once per message.
import { verifyText } from './signing-keys';

export type VerifyJob = [key: number, text: string, sig: string];
export type VerifyRequest = { id: number; keys: JsonWebKey[]; jobs: VerifyJob[] };
/** 1 where the signature verifies, 0 where it does not (or the key or signature is malformed). */
export type VerifyReply = { id: number; ok: Uint8Array; /** The worker's own time on it: the page's CPU throttle does not slow a worker, so the bench reports it apart. */ ms: number };

export async function runVerifyJobs({ id, keys, jobs }: VerifyRequest): Promise<VerifyReply> {
  const started = performance.now();
  const ok = new Uint8Array(jobs.length);
  // Sequential: Web Crypto's verify runs on this thread anyway, and one at a time keeps the worker's queue short.
  for (let i = 0; i < jobs.length; i++) {
    const [k, text, sig] = jobs[i]!;
    const key = keys[k];
    ok[i] = key && (await verifyText(key, text, sig)) ? 1 : 0;
  }
  return { id, ok, ms: performance.now() - started };
}
