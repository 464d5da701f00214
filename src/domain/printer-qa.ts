// Each printer's QA log, kept with the lab's printer list: a check of the printer itself
// (e.g. a phantom printed and measured) on a schedule — the date, what was checked, the
// result, who, and the interval to the next one. The latest check (by date) sets the
// next due date; a failed one makes the printer due again at once. The dashboard shows
// the next due date of every offered printer, overdue ones marked.
// Pure: today is passed in.
import type { UserId } from './ids';
import { z } from './zod';

export type PrinterQaResult = 'pass' | 'fail';

export type PrinterQaEntry = {
  id: string;
  /** The day the check was made (YYYY-MM-DD). */
  date: string;
  what: string;
  result: PrinterQaResult;
  /** Days from this check to the next one. */
  intervalDays: number;
  by: UserId;
  byName: string;
  /** When it was recorded (ISO). */
  at: string;
};

export const PRINTER_QA_RESULTS: readonly { value: PrinterQaResult; label: string }[] = [
  { value: 'pass', label: 'Pass' },
  { value: 'fail', label: 'Fail' },
];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter the date of the check').refine((s) => !Number.isNaN(Date.parse(s)), 'Not a real date');

export const printerQaSchema = (today: string) =>
  z.object({
    date: isoDate.refine((d) => d <= today, 'The check cannot be dated in the future'),
    what: z.string().trim().min(1, 'Say what was printed and measured (e.g. the QA phantom)').max(120, 'At most 120 characters for what was checked'),
    result: z.enum(['pass', 'fail'], { error: 'Choose pass or fail' }),
    intervalDays: z.coerce.number({ error: 'Enter the interval in days' }).int('Whole days only').min(1, 'The interval is at least 1 day').max(366, 'The interval is at most 366 days'),
  });
export type PrinterQaInput = z.input<ReturnType<typeof printerQaSchema>>;

/** YYYY-MM-DD plus a number of days, in calendar days. */
export function addDays(day: string, days: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The check that counts: the latest by date, then by when it was recorded. */
export const latestCheck = (log: readonly PrinterQaEntry[]): PrinterQaEntry | null =>
  log.reduce<PrinterQaEntry | null>((best, e) => (!best || e.date > best.date || (e.date === best.date && e.at > best.at) ? e : best), null);

export type PrinterQaDue = {
  printerId: string;
  label: string;
  state: 'none' | 'ok' | 'due-today' | 'overdue' | 'failed';
  /** The next due day, or null when nothing was ever recorded. */
  nextDue: string | null;
  /** Overdue or failed: the dashboard marks it. */
  overdue: boolean;
  /** In words, e.g. "Next due 2026-12-20", "Overdue since 2026-12-01". */
  text: string;
};

export function printerQaDue(printer: { id: string; label: string; qaLog?: readonly PrinterQaEntry[] }, today: string): PrinterQaDue {
  const last = latestCheck(printer.qaLog ?? []);
  const base = { printerId: printer.id, label: printer.label };
  if (!last) return { ...base, state: 'none', nextDue: null, overdue: false, text: 'No QA recorded yet' };
  if (last.result === 'fail') return { ...base, state: 'failed', nextDue: last.date, overdue: true, text: `Last QA failed on ${last.date}: check it again before printing` };
  const due = addDays(last.date, last.intervalDays);
  if (due < today) return { ...base, state: 'overdue', nextDue: due, overdue: true, text: `Overdue since ${due}` };
  if (due === today) return { ...base, state: 'due-today', nextDue: due, overdue: false, text: `Due today (${due})` };
  return { ...base, state: 'ok', nextDue: due, overdue: false, text: `Next due ${due}` };
}

/** Every offered printer's next QA, overdue ones first, then by due day. */
export function printersQaDue(printers: readonly { id: string; label: string; retired: boolean; qaLog?: readonly PrinterQaEntry[] }[], today: string): PrinterQaDue[] {
  const rank = (d: PrinterQaDue) => (d.overdue ? 0 : d.state === 'none' ? 2 : 1);
  return printers
    .filter((p) => !p.retired)
    .map((p) => printerQaDue(p, today))
    .sort((a, b) => rank(a) - rank(b) || (a.nextDue ?? '').localeCompare(b.nextDue ?? '') || a.label.localeCompare(b.label));
}

export const describePrinterQa = (e: Pick<PrinterQaEntry, 'date' | 'what' | 'result' | 'intervalDays'>) =>
  `${e.date}: ${e.what} — ${e.result === 'pass' ? 'pass' : 'FAIL'}; next in ${e.intervalDays} ${e.intervalDays === 1 ? 'day' : 'days'}`;
