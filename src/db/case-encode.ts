// Domain -> row: the write side of case-codec.ts. The status index, the list's
// sort keys, the sign-off queue's key and the blind search tokens are derived here from the case, so no
// other code can write them. Loaded with the first write, not with the list.
import type { ChainHead } from '../domain/audit-chain';
import type { Case, StageId } from '../domain/case';
import { listKeys, queueKeys } from '../domain/list-index';
import { splitPhi } from '../domain/phi';
import { caseTokens, numberKeys, type SearchKey } from '../domain/search-terms';
import { awaitingSignoff } from '../domain/signoff-wait';
import { deriveStatus, openChangeRequest, statusKey } from '../domain/workflow';
import { STAGES } from '../domain/stages';
import { encryptJson } from '../crypto/field-cipher';
import { rememberPhi } from './case-codec';
import type { CaseRow, DerivedKeys } from './database';
import type { Unlocked } from './vault';

/** Everything a row holds that is derived from its case: the status index, the list's sort keys, the search tokens. */
export function derivedKeys(c: Case, searchKey: SearchKey): { statusKey: string } & DerivedKeys {
  const key = statusKey(deriveStatus(c));
  return {
    statusKey: key,
    ...listKeys(key, c.order.dateNeeded, c.caseNumber),
    ...queueKeys(awaitingSignoff(c), c.order.priority, c.order.dateNeeded, c.caseNumber),
    ...sentBack(c),
    search: caseTokens(searchKey, [c.phi.patientName, c.phi.mrn]),
    numberKeys: numberKeys(c.caseNumber),
  };
}

function sentBack(c: Case): { changesRequested?: StageId } {
  const stage = c.cancelled || c.closed ? undefined : STAGES.find((s) => openChangeRequest(c, s.id))?.id;
  return stage ? { changesRequested: stage } : {};
}

export async function toRow(c: Case, { dataKey, searchKey }: Pick<Unlocked, 'dataKey' | 'searchKey'>, auditHead: ChainHead): Promise<CaseRow> {
  const { clear, phi } = splitPhi(c);
  const sealed = await encryptJson(phi, dataKey, c.id);
  rememberPhi(c, sealed, phi);
  return {
    id: c.id,
    caseNumber: c.caseNumber,
    dateNeeded: c.order.dateNeeded,
    updatedAt: c.updatedAt,
    revision: c.revision,
    clear,
    sealed,
    auditHead,
    ...derivedKeys(c, searchKey),
  };
}
