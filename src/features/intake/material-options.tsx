import { useMaterials } from '../../queries/lab-settings-queries';

/** The lab's offered materials as suggestions for a material input (`list={id}`); any other text still goes. */
export function MaterialOptions({ id }: { id: string }) {
  const offered = (useMaterials().data ?? []).filter((m) => !m.retired);
  return (
    <datalist id={id}>
      {offered.map((m) => (
        <option key={m.id} value={m.name}>{[m.colour, m.biocompatible && 'biocompatible', m.sterilizable && 'sterilizable'].filter(Boolean).join(', ')}</option>
      ))}
    </datalist>
  );
}
