import type { PrinterRow } from '../../db/database';
import { technologyLabel } from '../../domain/lab-settings';
import { useDeletePrinter, useLabListUsage, usePrinters, useSetPrinterRetired } from '../../queries/lab-settings-queries';
import { EntryList } from './entry-list';
import { PrinterForm } from './printer-form';
import { PrinterQaLog } from './printer-qa-log';

export function PrintersSection() {
  const printers = usePrinters();
  const usage = useLabListUsage();
  const retire = useSetPrinterRetired();
  const remove = useDeletePrinter();
  return (
    <section className="card" aria-labelledby="printers-title">
      <h2 id="printers-title">Printers</h2>
      <EntryList<PrinterRow>
        rows={printers.data}
        usage={usage.data?.printers}
        nameOf={(p) => p.label}
        details={(p) => `${p.maker} ${p.model} · ${technologyLabel(p.technology)}`}
        listLabel="The lab’s printers"
        empty="No printers yet: until one is added, the printing stage takes the printer as free text."
        onRetire={(p, retired) => retire.mutateAsync({ id: p.id, retired })}
        onDelete={(p) => remove.mutateAsync(p.id)}
        editForm={(p, onDone) => <PrinterForm editing={p} onDone={onDone} />}
        more={(p) => <PrinterQaLog printer={p} />}
      />
      <PrinterForm editing={null} />
    </section>
  );
}
