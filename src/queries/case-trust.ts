// The open case's CaseTrust for the screen (kept out of the case list's first load).
import type { CaseTrust } from '../domain/case-trust';
import type { CaseView } from '../db/case-view-repo';
import { useCaseHistory } from './case-queries';
import { trustFromChecks } from './trust-from-checks';

/** The open case's trust: its history is read with it, and counts as being checked until read after the last change. */
export function useCaseTrust(view: CaseView): CaseTrust {
  const history = useCaseHistory(view.case.id);
  return trustFromChecks(view, history.isFetching ? null : history.data?.history, history.data?.elsewhere);
}
