import { useId } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import type { DeliverablesForm } from './form-values';
import { TextField } from './form-controls';
import { MaterialOptions } from './material-options';

/** `structuresList`: the id of a <datalist> of the order's structures, offered for the structure. `digital`: nothing is printed, so no material is asked for. */
type Props = { base: `deliverables.${number}.components.${number}`; position: number; onRemove: () => void; structuresList?: string | undefined; digital?: boolean };

export function ComponentFields({ base, position, onRemove, structuresList, digital = false }: Props) {
  const { control } = useFormContext<DeliverablesForm>();
  const structure = useWatch({ control, name: `${base}.structure` });
  const title = structure.trim() || String(position);
  const materials = useId();
  return (
    <fieldset className="component-row">
      <legend className="visually-hidden">Component {title}</legend>
      <div className="c-structure"><TextField<DeliverablesForm> name={`${base}.structure`} label="Structure" list={structuresList} /></div>
      <div className="c-colour"><TextField<DeliverablesForm> name={`${base}.colour`} label="Colour" /></div>
      {!digital && (
        <>
          <div className="c-material"><TextField<DeliverablesForm> name={`${base}.material`} label="Material" list={materials} /></div>
          <MaterialOptions id={materials} />
        </>
      )}
      {/* "Remove" is what shows; the name says which component, for a screen reader and for tests. */}
      <button type="button" className="btn c-remove" aria-label={`Remove component ${title}`} onClick={onRemove}>Remove</button>
    </fieldset>
  );
}
