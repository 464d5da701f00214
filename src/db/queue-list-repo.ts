// The sign-off queue's rows, loaded with its screen: the count (queue-repo.ts) is all the
// navigation needs at first load.
import type { Priority, Role, StageId } from '../domain/case';
import type { CaseId } from '../domain/ids';
import { QUEUE_PAGE } from '../domain/list-index';
import { stageDef } from '../domain/stages';
import { patientOf } from './case-codec';
import { waiting } from './queue-repo';
import { requireUnlock } from './vault';

export type QueueItem = {
  id: CaseId;
  caseNumber: string;
  patientName: string;
  mrn: string;
  priority: Priority;
  dateNeeded: string;
  stage: StageId;
  stageTitle: string;
  /** What the signature will mean, e.g. "Segmentation verified against source images". */
  meaning: string;
  /** Since when it waits (ISO). */
  since: string;
  demo: boolean;
};

/** The cases waiting for a signer with this role, most urgent first (priority, then date needed). */
export async function listQueue(role: Role, limit = QUEUE_PAGE): Promise<QueueItem[]> {
  const { dataKey } = requireUnlock();
  const rows = await waiting(role).limit(limit).toArray();
  return Promise.all(
    rows
      .filter((r) => r.awaiting)
      .map(async (r) => {
        const { stage, since } = r.awaiting!;
        const def = stageDef(stage);
        const patient = await patientOf(r, dataKey);
        return {
          id: r.id as CaseId,
          caseNumber: r.caseNumber,
          patientName: patient.patientName,
          mrn: patient.mrn,
          priority: r.clear.order.priority,
          dateNeeded: r.clear.order.dateNeeded,
          stage,
          stageTitle: def.title,
          meaning: def.signoff?.meaning ?? '',
          since,
          demo: r.clear.demo === true,
        };
      }),
  );
}
