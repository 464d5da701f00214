// A printer's QA log: the next due date, overdue, a failed check, and what a check refuses.
import { describe, expect, it } from 'vitest';
import { asUserId } from '../../src/domain/ids';
import { addDays, latestCheck, printerQaDue, printerQaSchema, printersQaDue, type PrinterQaEntry } from '../../src/domain/printer-qa';

const entry = (date: string, result: 'pass' | 'fail', intervalDays: number, at = `${date}T09:00:00.000Z`): PrinterQaEntry => ({
  id: `${date}-${at}`,
  date,
  what: 'QA phantom printed and measured',
  result,
  intervalDays,
  by: asUserId('u-admin'),
  byName: 'Ada Admin',
  at,
});
const printer = (qaLog?: PrinterQaEntry[], label = 'J5 #1', retired = false) => ({ id: `p-${label}`, label, retired, ...(qaLog ? { qaLog } : {}) });

describe('next QA due per printer', () => {
  it.each([
    ['nothing recorded', undefined, '2026-12-06', { state: 'none', nextDue: null, overdue: false, text: 'No QA recorded yet' }],
    ['passed, due later', [entry('2026-11-20', 'pass', 30)], '2026-12-06', { state: 'ok', nextDue: '2026-12-20', overdue: false, text: 'Next due 2026-12-20' }],
    ['passed, due today', [entry('2026-11-06', 'pass', 30)], '2026-12-06', { state: 'due-today', nextDue: '2026-12-06', overdue: false, text: 'Due today (2026-12-06)' }],
    ['passed, overdue', [entry('2026-10-01', 'pass', 30)], '2026-12-06', { state: 'overdue', nextDue: '2026-10-31', overdue: true, text: 'Overdue since 2026-10-31' }],
    ['failed: due again at once', [entry('2026-12-01', 'fail', 30)], '2026-12-06', { state: 'failed', nextDue: '2026-12-01', overdue: true, text: 'Last QA failed on 2026-12-01: check it again before printing' }],
    ['the latest by date counts, whatever the order recorded', [entry('2026-12-01', 'pass', 7), entry('2026-11-01', 'fail', 30)], '2026-12-06', { state: 'ok', nextDue: '2026-12-08' }],
    ['a pass after a failure clears it', [entry('2026-12-01', 'fail', 30), entry('2026-12-02', 'pass', 90)], '2026-12-06', { state: 'ok', nextDue: '2027-03-02' }],
    ['two checks on one day: the one recorded last', [entry('2026-12-01', 'pass', 30, '2026-12-01T08:00:00.000Z'), entry('2026-12-01', 'fail', 30, '2026-12-01T15:00:00.000Z')], '2026-12-06', { state: 'failed' }],
  ] as const)('%s', (_what, log, today, expected) => {
    expect(printerQaDue(printer(log ? [...log] : undefined), today)).toMatchObject(expected);
  });

  it('counts calendar days across months, years and leap days', () => {
    expect(addDays('2026-12-20', 30)).toBe('2027-01-19');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-28', 7)).toBe('2026-04-04');
  });

  it('lists offered printers only, overdue first, then by due date, then those never checked', () => {
    const list = printersQaDue(
      [
        printer(undefined, 'Fuse 1'),
        printer([entry('2026-11-30', 'pass', 30)], 'Form 3B #2'),
        printer([entry('2026-10-01', 'pass', 30)], 'J5 #1'),
        printer([entry('2026-11-01', 'pass', 14)], 'Old Objet', true),
        printer([entry('2026-11-25', 'pass', 14)], 'J5 #2'),
      ],
      '2026-12-06',
    );
    expect(list.map((d) => [d.label, d.text])).toEqual([
      ['J5 #1', 'Overdue since 2026-10-31'],
      ['J5 #2', 'Next due 2026-12-09'],
      ['Form 3B #2', 'Next due 2026-12-30'],
      ['Fuse 1', 'No QA recorded yet'],
    ]);
  });

  it('latestCheck of an empty log is null', () => {
    expect(latestCheck([])).toBeNull();
  });
});

describe('what a printer QA check refuses', () => {
  const ok = { date: '2026-12-06', what: 'QA phantom', result: 'pass', intervalDays: '30' };
  it.each([
    ['a date after today', { ...ok, date: '2026-12-07' }, 'The check cannot be dated in the future'],
    ['no date', { ...ok, date: '' }, 'Enter the date of the check'],
    ['nothing said of what was checked', { ...ok, what: ' ' }, 'Say what was printed and measured (e.g. the QA phantom)'],
    ['no result', { ...ok, result: '' }, 'Choose pass or fail'],
    ['a zero interval', { ...ok, intervalDays: '0' }, 'The interval is at least 1 day'],
    ['half days', { ...ok, intervalDays: '1.5' }, 'Whole days only'],
  ])('%s', (_what, input, message) => {
    const r = printerQaSchema('2026-12-06').safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });

  it('takes the interval as typed', () => {
    expect(printerQaSchema('2026-12-06').parse(ok)).toEqual({ date: '2026-12-06', what: 'QA phantom', result: 'pass', intervalDays: 30 });
  });
});
