import { printersQaDue } from '../../domain/printer-qa';
import { usePrinters } from '../../queries/lab-settings-queries';

/** Each offered printer's next QA check (its QA log is kept under Lab settings), overdue ones first and marked. */
export function PrinterQaDue({ today }: { today: string }) {
  const printers = usePrinters();
  if (!printers.data || printers.data.every((p) => p.retired)) return null;
  const due = printersQaDue(printers.data, today);
  const overdue = due.filter((d) => d.overdue).length;
  return (
    <section className="card dash-panel" aria-labelledby="dash-printer-qa">
      <h2 id="dash-printer-qa">Printer QA{overdue ? ` (${overdue} overdue)` : ''}</h2>
      <p className="muted">The next check of each printer (e.g. a phantom printed and measured), from its QA log under Lab settings.</p>
      <ul className="overdue-list" aria-label="Printer QA due">
        {due.map((d) => (
          <li key={d.printerId}>
            <strong>{d.label}</strong>
            <span>
              {d.overdue && <><span className="badge bad">Overdue</span> </>}
              {d.text}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
