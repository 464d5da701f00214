import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useCaseCount, useStartSearch } from '../../queries/case-queries';
import { todayLocal } from '../../ui/format';
import { BackupReminder } from './backup-reminder';
import { CaseList } from './case-list';
import { EmptyLab } from './empty-lab';
import { IndexingNotice } from './indexing-notice';
import { STATUS_FILTERS } from './status-options';

export function CaseListPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('open');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const filter = useMemo(() => ({ status, overdueOnly, today: todayLocal() }), [status, overdueOnly]);
  const count = useCaseCount();
  const startSearch = useStartSearch(filter);
  const onSearch = (text: string) => {
    startSearch(text);
    setSearch(text);
  };

  if (count.data === 0) return <EmptyLab />;

  return (
    <section aria-labelledby="cases-title">
      <div className="btn-row" style={{ justifyContent: 'space-between', marginBottom: '0.75rem' }}>
        <h1 id="cases-title" style={{ margin: 0 }}>Cases</h1>
        <Link to="/cases/new" className="btn primary">New case</Link>
      </div>
      <BackupReminder />
      <IndexingNotice />
      <div className="card filters" role="search">
        <div className="field">
          <label htmlFor="case-search">Search patient name, MRN or case number</label>
          <input id="case-search" type="search" value={search} onChange={(e) => onSearch(e.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="case-status">Show</label>
          <select id="case-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            {STATUS_FILTERS.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={overdueOnly} onChange={(e) => setOverdueOnly(e.target.checked)} />
          Overdue only
        </label>
      </div>
      <CaseList filter={filter} search={search} />
    </section>
  );
}
