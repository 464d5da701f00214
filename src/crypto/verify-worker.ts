// A worker of the signature pool (verify-pool.ts): checks the signatures it is sent, in order.
import { runVerifyJobs, type VerifyRequest } from './verify-jobs';

self.onmessage = async (e: MessageEvent<VerifyRequest>) => {
  const reply = await runVerifyJobs(e.data);
  (self as unknown as Worker).postMessage(reply, [reply.ok.buffer]);
};
