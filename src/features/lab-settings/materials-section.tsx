import type { MaterialRow } from '../../db/database';
import { useDeleteMaterial, useLabListUsage, useMaterials, useSetMaterialRetired } from '../../queries/lab-settings-queries';
import { EntryList } from './entry-list';
import { MaterialForm } from './material-form';

const details = (m: MaterialRow) =>
  [m.colour, m.biocompatible ? 'biocompatible' : 'not biocompatible', m.sterilizable ? 'sterilizable' : 'not sterilizable', m.lot && `lot ${m.lot}`, ...(m.lots ?? []).map((l) => `lot ${l.lot} expires ${l.expires}`)].filter(Boolean).join(' · ');

export function MaterialsSection() {
  const materials = useMaterials();
  const usage = useLabListUsage();
  const retire = useSetMaterialRetired();
  const remove = useDeleteMaterial();
  return (
    <section className="card" aria-labelledby="materials-title">
      <h2 id="materials-title">Materials</h2>
      <EntryList<MaterialRow>
        rows={materials.data}
        usage={usage.data?.materials}
        nameOf={(m) => m.name}
        details={details}
        listLabel="The lab’s materials"
        empty="No materials yet: model parts and guides take the material as free text until some are added."
        onRetire={(m, retired) => retire.mutateAsync({ id: m.id, retired })}
        onDelete={(m) => remove.mutateAsync(m.id)}
        editForm={(m, onDone) => <MaterialForm editing={m} onDone={onDone} />}
      />
      <MaterialForm editing={null} />
    </section>
  );
}
