type Props = { from: string; to: string; onFrom: (v: string) => void; onTo: (v: string) => void };

/** Which cases count: those opened from one day to another (both included); either end may stay open. */
export function DateRangeFilter({ from, to, onFrom, onTo }: Props) {
  const backwards = Boolean(from && to && from > to);
  return (
    <form className="card date-range" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="dash-from">Cases opened from</label>
        <input id="dash-from" type="date" value={from} max={to || undefined} onChange={(e) => onFrom(e.target.value)} aria-invalid={backwards} />
      </div>
      <div className="field">
        <label htmlFor="dash-to">to</label>
        <input id="dash-to" type="date" value={to} min={from || undefined} onChange={(e) => onTo(e.target.value)} aria-invalid={backwards} />
      </div>
      <button type="button" className="btn" onClick={() => { onFrom(''); onTo(''); }} disabled={!from && !to}>All dates</button>
      {backwards && <p className="field-error" role="alert">The start date is after the end date: no case can match.</p>}
    </form>
  );
}
