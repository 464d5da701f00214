// A bar chart that is also a table: each row's header holds its label and a bar
// (hidden from screen readers), the cells hold the figures. Readable at arm's
// length on a tablet, and every number is there for a screen reader.
import type { ReactNode } from 'react';

export type Segment = { value: number; tone: Tone };
export type Tone = 'primary' | 'secondary' | 'unknown' | 'light';
export type ChartRow = { key: string; label: ReactNode; segments: Segment[]; cells: ReactNode[] };

type Props = {
  /** Names the table for screen readers (the panel's heading says it on screen). */
  caption: string;
  /** The row-header column's title, then each figure column's. */
  columns: [string, ...string[]];
  rows: ChartRow[];
  /** Full bar width; by default the largest row total. */
  max?: number;
  legend?: { tone: Tone; label: string }[];
};

export function ChartTable({ caption, columns, rows, max, legend }: Props) {
  const scale = max ?? Math.max(0, ...rows.map((r) => r.segments.reduce((n, s) => n + s.value, 0)));
  const [head, ...figures] = columns;
  return (
    <>
      {legend && (
        <ul className="chart-legend" aria-hidden="true">
          {legend.map((l) => <li key={l.tone}><span className={`swatch tone-${l.tone}`} />{l.label}</li>)}
        </ul>
      )}
      <table className="data chart-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            {figures.map((c) => <th key={c} scope="col" className="num">{c}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {r.label}
                <span className="bar-track" aria-hidden="true">
                  {r.segments.map((s, i) => (
                    <span key={i} className={`bar tone-${s.tone}`} style={{ width: `${scale > 0 ? (s.value / scale) * 100 : 0}%` }} />
                  ))}
                </span>
              </th>
              {r.cells.map((c, i) => <td key={i} className="num">{c}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
