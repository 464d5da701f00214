import { useDeferredValue, useState } from 'react';
import { Link } from 'react-router';
import { useCaseCount, useCaseList } from '../../queries/case-queries';
import { todayLocal } from '../../ui/format';
import { BackupReminder } from './backup-reminder';
import { CaseRow } from './case-row';
import { EmptyLab } from './empty-lab';
import { STATUS_FILTERS } from './status-options';

const PAGE = 50;

export function CaseListPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('open');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [shown, setShown] = useState(PAGE);
  const filter = { search: useDeferredValue(search), status, overdueOnly, today: todayLocal() };
  const list = useCaseList(filter);
  const count = useCaseCount();

  if (count.data === 0) return <EmptyLab />;

  const items = list.data ?? [];
  return (
    <section aria-labelledby="cases-title">
      <div className="btn-row" style={{ justifyContent: 'space-between', marginBottom: '0.75rem' }}>
        <h1 id="cases-title" style={{ margin: 0 }}>Cases</h1>
        <Link to="/cases/new" className="btn primary">New case</Link>
      </div>
      <BackupReminder />
      <div className="card filters" role="search">
        <div className="field">
          <label htmlFor="case-search">Search patient name, MRN or case number</label>
          <input id="case-search" type="search" value={search} onChange={(e) => { setSearch(e.target.value); setShown(PAGE); }} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="case-status">Show</label>
          <select id="case-status" value={status} onChange={(e) => { setStatus(e.target.value); setShown(PAGE); }}>
            {STATUS_FILTERS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
          Overdue only
        </label>
      </div>
      <p aria-live="polite" className="muted">{list.isPending ? 'Loading cases…' : `${items.length} case${items.length === 1 ? '' : 's'}, soonest needed first`}</p>
      <ul className="case-list" aria-label="Cases">
        {items.slice(0, shown).map((c) => <CaseRow key={c.id} item={c} />)}
      </ul>
      {items.length > shown && (
        <button type="button" className="btn" onClick={() => setShown((n) => n + PAGE)}>Show {Math.min(PAGE, items.length - shown)} more</button>
      )}
    </section>
  );
}
