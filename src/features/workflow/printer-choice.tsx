import { useWatch, type Control, type FieldValues, type Path, type UseFormRegisterReturn } from 'react-hook-form';
import { usePrinters } from '../../queries/lab-settings-queries';

type Common = UseFormRegisterReturn & { id: string; 'aria-describedby': string | undefined; 'aria-invalid': boolean };

type Props<T extends FieldValues> = {
  common: Common;
  control: Control<T>;
  /** Called with the chosen printer's technology. */
  onChosen: (technology: string) => void;
};

/**
 * The printing stage's printer: a choice among the lab's offered printers (the
 * case stores its label), or free text while the lab has none on its list. A
 * value no longer offered (retired, or typed before the list existed) stays shown.
 */
export function PrinterChoice<T extends FieldValues>({ common, control, onChosen }: Props<T>) {
  const offered = (usePrinters().data ?? []).filter((p) => !p.retired);
  const current = useWatch({ control, name: common.name as Path<T> }) as unknown;
  if (offered.length === 0) return <input {...common} type="text" autoComplete="off" />;
  const value = typeof current === 'string' ? current : '';
  const listed = offered.some((p) => p.label === value);
  return (
    <select
      {...common}
      onChange={(e) => {
        void common.onChange(e);
        const printer = offered.find((p) => p.label === e.target.value);
        if (printer) onChosen(printer.technology);
      }}
    >
      <option value="">Choose…</option>
      {value && !listed && <option value={value}>{value} (not on the lab’s list)</option>}
      {offered.map((p) => <option key={p.id} value={p.label}>{p.label} — {p.maker} {p.model}</option>)}
    </select>
  );
}
