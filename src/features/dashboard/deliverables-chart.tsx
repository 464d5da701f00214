import type { DeliverableMix } from '../../domain/dashboard';
import { ChartTable } from './chart-table';
import { plural } from './format';

export function DeliverablesChart({ mix }: { mix: DeliverableMix }) {
  return (
    <>
      <ChartTable
        caption="Models and guides made"
        columns={['Kind', 'Count']}
        rows={[
          { key: 'models', label: 'Anatomic models', segments: [{ value: mix.models, tone: 'primary' }], cells: [mix.models] },
          { key: 'components', label: 'Model components', segments: [{ value: mix.components, tone: 'light' }], cells: [mix.components] },
          { key: 'guides', label: 'Anatomic guides', segments: [{ value: mix.guides, tone: 'secondary' }], cells: [mix.guides] },
        ]}
      />
      <p className="muted">{plural(mix.casesWithModels, 'case')} with models, {plural(mix.casesWithGuides, 'case')} with guides (cancelled cases left out).</p>
    </>
  );
}
