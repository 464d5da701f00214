import type { Case, StageId } from '../../domain/case';
import { ROLE_LABELS } from '../../domain/case';
import { openChangeRequest, type Distrusted } from '../../domain/workflow';
import { useCaseHistory } from '../../queries/case-queries';
import { formatDateTime } from '../../ui/format';

/** A stage a signer sent back: who, when and why (the reason is on the sealed audit trail, read from there). */
export function ChangeRequestNotice({ caseData, stage, distrusted }: { caseData: Case; stage: StageId; distrusted: Distrusted }) {
  const request = openChangeRequest(caseData, stage, distrusted);
  const history = useCaseHistory(caseData.id);
  if (!request) return null;
  const event = history.data?.events.findLast((e) => e.type === 'sendBack' && e.at === request.at);
  const reason = event?.changes[0]?.after;
  return (
    <div className="notice warn change-request" role="status" aria-label="Changes requested">
      <strong>Changes requested</strong> by {request.byName} ({ROLE_LABELS[request.role]}), {formatDateTime(request.at)}:{' '}
      {typeof reason === 'string' ? <q>{reason}</q> : history.isPending ? <span className="muted">reading the reason…</span> : <span className="muted">the reason is not in this case’s history on this tablet.</span>}
      <div>Change the stage as asked: once it is saved, it goes back to the sign-off queue.</div>
    </div>
  );
}
