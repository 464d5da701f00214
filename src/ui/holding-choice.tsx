import { HOLDING_TEXT, type Holding } from '../domain/holding';

const CHOICES: Holding[] = ['all', 'recent'];

/** Whole archive or recent cases: radio buttons with the same words on the join screen and the Lab server page. */
export function HoldingChoice({ value, onChange }: { value: Holding; onChange: (h: Holding) => void }) {
  return (
    <fieldset className="field holding-choice">
      <legend>What this device holds</legend>
      {CHOICES.map((h) => (
        <label key={h} className="radio-row">
          <input type="radio" name="holding" value={h} checked={value === h} onChange={() => onChange(h)} />
          <span>{HOLDING_TEXT[h]}</span>
        </label>
      ))}
    </fieldset>
  );
}
