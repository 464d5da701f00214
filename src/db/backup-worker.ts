// The worker that writes a backup's rows (backup-rows.ts), off the page.
import { answerRowsRequest, type RowsRequest } from './backup-rows';

self.onmessage = async (e: MessageEvent<RowsRequest>) => {
  (self as unknown as Worker).postMessage(await answerRowsRequest(e.data));
};
