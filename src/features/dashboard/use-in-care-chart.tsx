import type { UseInCare } from '../../domain/dashboard';
import { ChartTable } from './chart-table';
import { formatShare } from './format';

export function UseInCareChart({ use }: { use: UseInCare }) {
  return (
    <>
      <p>
        <strong className="big-figure">{formatShare(use.share)}</strong> of the models and guides whose use is known were used in the patient’s care
        ({use.yes} of {use.yes + use.no}).
      </p>
      <ChartTable
        caption="Models and guides by use in patient care"
        columns={['Use in care', 'Models and guides']}
        rows={[
          { key: 'yes', label: 'Used', segments: [{ value: use.yes, tone: 'primary' }], cells: [use.yes] },
          { key: 'no', label: 'Not used', segments: [{ value: use.no, tone: 'secondary' }], cells: [use.no] },
          { key: 'unknown', label: 'Delivered, use not yet known', segments: [{ value: use.unknown, tone: 'unknown' }], cells: [use.unknown] },
          { key: 'notRecorded', label: 'Not delivered yet', segments: [{ value: use.notRecorded, tone: 'light' }], cells: [use.notRecorded] },
        ]}
      />
    </>
  );
}
