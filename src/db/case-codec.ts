// Row <-> domain. The PHI part of a case is sealed with the device data key
// (AES-GCM, fresh IV, the case id as associated data so a blob cannot be moved
// to another case); the status index is derived here from the one status
// function, so no other code can write it. Decrypted PHI is cached in memory by
// case revision and dropped on lock. Reading normalizes older shapes.
import type { ChainHead } from '../domain/audit-chain';
import type { Case, PatientPhi, StageId, StageRecord } from '../domain/case';
import { emptyStage } from '../domain/case';
import { joinPhi, splitPhi, type ClearCase, type PhiBundle } from '../domain/phi';
import { STAGE_IDS } from '../domain/stages';
import { deriveStatus, statusKey } from '../domain/workflow';
import { decryptJson, encryptJson } from '../crypto/field-cipher';
import type { CaseRow } from './database';
import { subscribeVault } from './vault';

const phiCache = new Map<string, { revision: number; phi: PhiBundle }>();
subscribeVault(() => phiCache.clear());

export async function toRow(c: Case, dataKey: CryptoKey, auditHead: ChainHead): Promise<CaseRow> {
  const { clear, phi } = splitPhi(c);
  const sealed = await encryptJson(phi, dataKey, c.id);
  phiCache.set(c.id, { revision: c.revision, phi });
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    dateNeeded: c.order.dateNeeded,
    statusKey: statusKey(deriveStatus(c)),
    updatedAt: c.updatedAt,
    revision: c.revision,
    clear,
    sealed,
    auditHead,
  };
}

export async function openPhi(row: CaseRow, dataKey: CryptoKey): Promise<PhiBundle> {
  const hit = phiCache.get(row.id);
  if (hit && hit.revision === row.revision) return hit.phi;
  const phi = await decryptJson<PhiBundle>(row.sealed, dataKey, row.id);
  phiCache.set(row.id, { revision: row.revision, phi });
  return phi;
}

export async function fromRow(row: CaseRow, dataKey: CryptoKey): Promise<Case> {
  return normalize(joinPhi(row.clear, await openPhi(row, dataKey)));
}

export async function patientOf(row: CaseRow, dataKey: CryptoKey): Promise<PatientPhi> {
  return (await openPhi(row, dataKey)).patient;
}

function normalize(c: Case): Case {
  const stages = Object.fromEntries(
    STAGE_IDS.map((id) => [id, { ...emptyStage(), ...(c.stages?.[id] ?? {}) } satisfies StageRecord]),
  ) as Record<StageId, StageRecord>;
  return { ...c, deliverables: c.deliverables ?? [], stages, cancelled: c.cancelled ?? null, closed: c.closed ?? null };
}

export type { ClearCase };
