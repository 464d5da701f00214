import { Link } from 'react-router';
import type { OverdueCase } from '../../domain/dashboard';
import { DemoBadge } from '../../ui/demo-badge';

const SHOWN = 20;

/** Cases still in a stage after the date needed, longest overdue first; each opens its case. */
export function OverdueList({ cases }: { cases: OverdueCase[] }) {
  if (cases.length === 0) return <p className="muted">None: every open case is within its date needed.</p>;
  return (
    <>
      <ul className="overdue-list" aria-label="Overdue cases">
        {cases.slice(0, SHOWN).map((c) => (
          <li key={c.id}>
            <Link to={`/cases/${c.id}`} className="btn">{c.caseNumber}</Link>
            <span>{c.demo && <><DemoBadge /> </>}{c.statusLabel} · needed {c.dateNeeded}</span>
          </li>
        ))}
      </ul>
      {cases.length > SHOWN && <p className="muted">…and {cases.length - SHOWN} more: filter the case list by “Overdue only”.</p>}
    </>
  );
}
