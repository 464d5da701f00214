// Row -> domain (the write side is case-encode.ts). The PHI part of a case is
// sealed with the device data key (AES-GCM, fresh IV, the case id as associated
// data so a blob cannot be moved to another case). Decrypted PHI is cached in
// memory by the sealed blob's IV (new at every write, here or on another device) and dropped on lock. Reading normalizes older shapes.
import type { DataKey } from '../crypto/key-ring';
import type { Case, PatientPhi, StageId, StageRecord } from '../domain/case';
import { emptyStage } from '../domain/case';
import { joinPhi, type ClearCase, type PhiBundle } from '../domain/phi';
import { STAGE_IDS } from '../domain/stages';
import { decryptJson } from '../crypto/field-cipher';
import type { CaseRow } from './database';
import { subscribeVault } from './vault';
import { BoundedMap } from '../domain/bounded-map';

// The most recently used cases only: scrolling through 10,000 cases must not keep them all decrypted.
const PHI_CACHE_SIZE = 300;
const phiCache = new BoundedMap<string, { iv: string; phi: PhiBundle }>(PHI_CACHE_SIZE);
subscribeVault(() => phiCache.clear());

function remember(id: string, iv: string, phi: PhiBundle): void {
  phiCache.set(id, { iv, phi });
}
export const rememberPhi = (c: Case, sealed: { iv: string }, phi: PhiBundle) => remember(c.id, sealed.iv, phi);
export const cachedPhiCount = () => phiCache.size;

/** `cached: false` for a row from outside the database (a backup), which must not enter the cache. */
export async function openPhi(row: CaseRow, dataKey: DataKey, { cached = true } = {}): Promise<PhiBundle> {
  if (!cached) return decryptJson<PhiBundle>(row.sealed, dataKey, row.id);
  const hit = phiCache.get(row.id);
  const phi = hit && hit.iv === row.sealed.iv ? hit.phi : await decryptJson<PhiBundle>(row.sealed, dataKey, row.id);
  remember(row.id, row.sealed.iv, phi);
  return phi;
}

export async function fromRow(row: CaseRow, dataKey: DataKey, options?: { cached: boolean }): Promise<Case> {
  return normalize(joinPhi(row.clear, await openPhi(row, dataKey, options)));
}

export async function patientOf(row: CaseRow, dataKey: DataKey): Promise<PatientPhi> {
  return (await openPhi(row, dataKey)).patient;
}

function normalize(c: Case): Case {
  const stages = Object.fromEntries(
    STAGE_IDS.map((id) => [id, { ...emptyStage(), ...(c.stages?.[id] ?? {}) } satisfies StageRecord]),
  ) as Record<StageId, StageRecord>;
  // A row from before cases carried the flag reads as real: nothing in it can tell, and a real case must never show as a demo.
  return { ...c, deliverables: c.deliverables ?? [], stages, cancelled: c.cancelled ?? null, closed: c.closed ?? null, demo: c.demo === true };
}

export type { ClearCase };
