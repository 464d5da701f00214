import type { EffortRow } from '../../domain/dashboard';
import { ChartTable } from './chart-table';
import { formatHours } from './format';

export function EffortChart({ rows }: { rows: EffortRow[] }) {
  return (
    <ChartTable
      caption="Effort hours by registry category"
      columns={['Category', 'Clinician', 'Non-clinician', 'Split not recorded', 'Total']}
      legend={[{ tone: 'primary', label: 'Clinician' }, { tone: 'secondary', label: 'Non-clinician' }, { tone: 'unknown', label: 'Split not recorded' }]}
      rows={rows.map((r) => ({
        key: r.category,
        label: r.label,
        segments: [{ value: r.clinicianMinutes, tone: 'primary' }, { value: r.nonClinicianMinutes, tone: 'secondary' }, { value: r.unknownSplitMinutes, tone: 'unknown' }],
        cells: [formatHours(r.clinicianMinutes), formatHours(r.nonClinicianMinutes), formatHours(r.unknownSplitMinutes), formatHours(r.totalMinutes)],
      }))}
    />
  );
}
