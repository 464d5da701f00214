// Row <-> domain. The status index is derived here, from the one status
// function, so no other code can write it. Reading normalizes older shapes.
import type { Case, StageId, StageRecord } from '../domain/case';
import { emptyStage } from '../domain/case';
import { STAGE_IDS } from '../domain/stages';
import { deriveStatus, statusKey } from '../domain/workflow';
import type { CaseRow } from './database';

export function toRow(c: Case): CaseRow {
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    dateNeeded: c.order.dateNeeded,
    statusKey: statusKey(deriveStatus(c)),
    updatedAt: c.updatedAt,
    revision: c.revision,
    data: c,
  };
}

export function fromRow(row: CaseRow): Case {
  const c = row.data;
  const stages = Object.fromEntries(
    STAGE_IDS.map((id) => [id, { ...emptyStage(), ...(c.stages?.[id] ?? {}) } satisfies StageRecord]),
  ) as Record<StageId, StageRecord>;
  return {
    ...c,
    phi: { ...c.phi, notes: c.phi.notes ?? '', indication: c.phi.indication ?? '' },
    deliverables: c.deliverables ?? [],
    stages,
    cancelled: c.cancelled ?? null,
    closed: c.closed ?? null,
  };
}
