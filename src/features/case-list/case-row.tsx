import { useQuery, useQueryClient } from '@tanstack/react-query';
import { memo } from 'react';
import { Link } from 'react-router';
import type { CaseId } from '../../domain/ids';
import { caseQuery, caseRowQuery } from '../../queries/case-queries';
import { BillingBadge } from '../../ui/billing-badge';
import { DemoBadge } from '../../ui/demo-badge';
import { listStatusTone } from '../../domain/billing-labels';

// Memoised: a keystroke in the search box re-renders the list, not the rows already on screen.
export const CaseRow = memo(function CaseRow({ id, today }: { id: CaseId; today: string }) {
  const { data: item } = useQuery(caseRowQuery(id, today));
  const client = useQueryClient();
  if (!item) return <RowPlaceholder />;
  const open = () => void client.prefetchQuery(caseQuery(id));
  const parts = [item.models && `${item.models} model${item.models > 1 ? 's' : ''}`, item.guides && `${item.guides} guide${item.guides > 1 ? 's' : ''}`].filter(Boolean).join(', ');
  return (
    // The case is read from the finger's touch on (a tap's click comes when it lifts), while the list makes way
    // for the case page; from the click for a keyboard. One read either way: the query is shared.
    <Link to={`/cases/${item.id}`} className={item.statusKey === 'cancelled' ? 'case-row cancelled' : 'case-row'} onPointerDown={open} onClick={open}>
      <span className="case-main">
        {/* The badge first: a long name is cut off at its end, and the badge must not be. */}
        <span>{item.demo && <><DemoBadge /> </>}<strong className="patient">{item.patientName}</strong></span>
        <span className="muted">MRN {item.mrn} · {item.caseNumber}</span>
        <span className="muted">{item.region}{parts ? ` · ${parts}` : ''}</span>
      </span>
      <span className="case-side">
        {/* On the status's line: rows share one height. */}
        <span>{item.changesRequested && <><span className="badge bad">Changes requested</span> </>}<BillingBadge tone={listStatusTone(item.statusKey, item.statusLabel)} label={item.statusLabel} /></span>
        <span className={item.overdue ? 'overdue' : 'muted'}>
          {item.overdue ? 'Overdue · ' : 'Needed '}{item.dateNeeded}
        </span>
        {item.priority !== 'routine' && <span className="badge warn">{item.priority === 'emergent' ? 'Emergent' : 'Urgent'}</span>}
      </span>
    </Link>
  );
});

export const RowPlaceholder = () => <div className="case-row" aria-busy="true" aria-label="Loading case" />;
