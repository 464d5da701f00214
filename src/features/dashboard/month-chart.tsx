import type { MonthCount } from '../../domain/dashboard';

const W = 640, H = 220, TOP = 24, BOTTOM = 40;

/** Cases opened per month as columns (drawn for the eye), with the same figures in a table for screen readers. */
export function MonthChart({ months }: { months: MonthCount[] }) {
  if (months.length === 0) return <p className="muted">No cases opened in this period.</p>;
  const max = Math.max(1, ...months.map((m) => m.count));
  const slot = W / months.length;
  const bar = Math.min(56, slot * 0.7);
  const every = Math.ceil(months.length / 12); // at most 12 month labels
  return (
    <>
      <svg className="month-chart" viewBox={`0 0 ${W} ${H}`} aria-hidden="true" focusable="false">
        <line x1={0} x2={W} y1={H - BOTTOM} y2={H - BOTTOM} className="axis" />
        {months.map((m, i) => {
          const h = ((H - TOP - BOTTOM) * m.count) / max;
          const x = i * slot + (slot - bar) / 2;
          return (
            <g key={m.month}>
              <rect x={x} y={H - BOTTOM - h} width={bar} height={h} className="column" />
              <text x={x + bar / 2} y={H - BOTTOM - h - 6} textAnchor="middle" className="value">{m.count}</text>
              {i % every === 0 && <text x={x + bar / 2} y={H - BOTTOM + 22} textAnchor="middle" className="tick">{m.label}</text>}
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>Cases opened per month</caption>
        <thead><tr><th scope="col">Month</th><th scope="col">Cases opened</th></tr></thead>
        <tbody>{months.map((m) => <tr key={m.month}><th scope="row">{m.label}</th><td>{m.count}</td></tr>)}</tbody>
      </table>
    </>
  );
}
