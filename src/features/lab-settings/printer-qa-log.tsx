// A printer's QA log on Lab settings (domain/printer-qa.ts): its next due date, the checks
// recorded (latest first), and a form to record one.
import { useId, useState } from 'react';
import type { PrinterRow } from '../../db/database';
import { describePrinterQa, latestCheck, PRINTER_QA_RESULTS, printerQaDue, type PrinterQaResult } from '../../domain/printer-qa';
import { useRecordPrinterQa } from '../../queries/lab-settings-queries';
import { errorMessage, todayLocal } from '../../ui/format';

export function PrinterQaLog({ printer }: { printer: PrinterRow }) {
  const [open, setOpen] = useState(false);
  const today = todayLocal();
  const due = printerQaDue(printer, today);
  const log = [...(printer.qaLog ?? [])].sort((a, b) => b.date.localeCompare(a.date) || b.at.localeCompare(a.at));
  const titleId = useId();
  return (
    <section aria-labelledby={titleId} className="notice">
      <h3 id={titleId}>QA log of {printer.label}</h3>
      <p>
        <span className={`badge ${due.overdue ? 'bad' : due.state === 'ok' ? 'ok' : 'warn'}`}>{due.text}</span>
      </p>
      {log.length > 0 && (
        <ul aria-label={`QA checks of ${printer.label}`}>
          {log.map((e) => <li key={e.id}>{describePrinterQa(e)} — {e.byName}</li>)}
        </ul>
      )}
      <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen(!open)}>Record a QA check of {printer.label}</button>
      {open && <PrinterQaForm printer={printer} today={today} onDone={() => setOpen(false)} />}
    </section>
  );
}

function PrinterQaForm({ printer, today, onDone }: { printer: PrinterRow; today: string; onDone: () => void }) {
  const record = useRecordPrinterQa();
  const last = latestCheck(printer.qaLog ?? []);
  const [date, setDate] = useState(today);
  const [what, setWhat] = useState(last?.what ?? 'QA phantom printed and measured');
  const [result, setResult] = useState<PrinterQaResult | ''>('');
  const [interval, setIntervalDays] = useState(String(last?.intervalDays ?? 30));
  const id = useId();
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    record.mutate({ printerId: printer.id, input: { date, what, result: result as PrinterQaResult, intervalDays: interval }, today }, { onSuccess: onDone });
  };
  return (
    <form aria-label={`QA check of ${printer.label}`} onSubmit={submit} noValidate className="lab-form">
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-date`}>Date of the check</label>
          <input id={`${id}-date`} type="date" value={date} max={today} onChange={(e) => setDate(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-what`}>What was checked</label>
          <input id={`${id}-what`} type="text" value={what} onChange={(e) => setWhat(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-result`}>Result</label>
          <select id={`${id}-result`} value={result} onChange={(e) => setResult(e.target.value as PrinterQaResult | '')}>
            <option value="">Choose…</option>
            {PRINTER_QA_RESULTS.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-interval`}>Next check after (days)</label>
          <span id={`${id}-interval-hint`} className="hint">The next due date is the date of the check plus this</span>
          <input id={`${id}-interval`} type="number" min={1} max={366} step={1} inputMode="numeric" value={interval} aria-describedby={`${id}-interval-hint`} onChange={(e) => setIntervalDays(e.target.value)} />
        </div>
      </div>
      {record.isError && <p className="field-error" role="alert">{errorMessage(record.error)}</p>}
      <div className="btn-row">
        <button type="submit" className="btn primary" disabled={record.isPending}>Save QA check of {printer.label}</button>
        <button type="button" className="btn" onClick={onDone}>Cancel</button>
      </div>
    </form>
  );
}
