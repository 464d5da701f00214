import type { StatusCount } from '../../domain/dashboard';
import { ChartTable } from './chart-table';

export function StatusChart({ rows }: { rows: StatusCount[] }) {
  return (
    <ChartTable
      caption="Cases by stage"
      columns={['Stage or status', 'Cases']}
      rows={rows.map((r) => ({ key: r.key, label: r.label, segments: [{ value: r.count, tone: r.key === 'cancelled' ? 'light' : 'primary' }], cells: [r.count] }))}
    />
  );
}
