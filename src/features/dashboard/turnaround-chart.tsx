import type { Spread, Turnaround } from '../../domain/dashboard';
import { ChartTable } from './chart-table';
import { formatDuration } from './format';

/** Median (dark) and 90th percentile (light) per span, on one scale. */
export function TurnaroundChart({ t }: { t: Turnaround }) {
  const rows: { key: string; label: string; s: Spread }[] = [
    { key: 'order', label: 'Order to delivery', s: t.orderToDelivery },
    ...t.perStage.map((p) => ({ key: p.stage, label: p.title, s: p.spread })),
  ];
  return (
    <ChartTable
      caption="Turnaround: median and 90th percentile"
      columns={['Span', 'Cases', 'Median', '90th percentile']}
      legend={[{ tone: 'primary', label: 'Median' }, { tone: 'light', label: 'Up to the 90th percentile' }]}
      rows={rows.map(({ key, label, s }) => ({
        key,
        label,
        segments: [{ value: s.medianHours ?? 0, tone: 'primary' }, { value: Math.max(0, (s.p90Hours ?? 0) - (s.medianHours ?? 0)), tone: 'light' }],
        cells: [s.count, formatDuration(s.medianHours), formatDuration(s.p90Hours)],
      }))}
    />
  );
}
