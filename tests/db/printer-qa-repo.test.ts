// A printer's QA log as stored: recorded by a lab admin, on the lab log, kept when the printer is changed, and in a backup.
import { beforeEach, describe, expect, it } from 'vitest';
import { readLabHistory } from '../../src/db/audit-repo';
import { listPrinters, recordPrinterQa, savePrinter } from '../../src/db/lab-settings-repo';
import { backupTables } from '../../src/db/backup-format';
import type { PrinterInput } from '../../src/domain/lab-settings';
import { resetDatabase, signIn } from '../support/render-app';

const J5: PrinterInput = { label: 'J5 #1', maker: 'Stratasys', model: 'J5 MediJet', technology: 'material-jetting' };
const CHECK = { date: '2026-11-20', what: 'QA phantom printed and measured', result: 'pass' as const, intervalDays: 30 };

beforeEach(async () => {
  await resetDatabase();
  await signIn('Lab Admin', ['admin']);
});

describe('printer QA log', () => {
  it('a lab admin records a check: stored with who and when, and on the lab log', async () => {
    const p = await savePrinter(J5, null, '2026-11-01T10:00:00.000Z');
    const e = await recordPrinterQa(p.id, CHECK, '2026-11-20', '2026-11-20T10:00:00.000Z');
    const [stored] = await listPrinters();
    expect(stored!.qaLog).toEqual([{ ...CHECK, id: e.id, by: expect.any(String), byName: 'Lab Admin', at: '2026-11-20T10:00:00.000Z' }]);
    const last = (await readLabHistory()).entries.find((x) => x.kind === 'printer-qa-recorded')!;
    expect(last.body.summary).toBe('Printer J5 #1 QA: 2026-11-20: QA phantom printed and measured — pass; next in 30 days');
    expect(last.actorName).toBe('Lab Admin');
  });

  it('is kept when the printer’s details are changed', async () => {
    const p = await savePrinter(J5);
    await recordPrinterQa(p.id, CHECK, '2026-11-20');
    await savePrinter({ ...J5, model: 'J5 DentaJet' }, p.id);
    expect((await listPrinters())[0]!.qaLog).toHaveLength(1);
  });

  it('refuses a technician, a check dated after today, and a printer not on the list; nothing is stored', async () => {
    const p = await savePrinter(J5);
    await expect(recordPrinterQa(p.id, { ...CHECK, date: '2026-11-21' }, '2026-11-20')).rejects.toThrow('The check cannot be dated in the future');
    await expect(recordPrinterQa('nope', CHECK, '2026-11-20')).rejects.toThrow('This printer is no longer on the list');
    await signIn('Tess Tech', ['technician']);
    await expect(recordPrinterQa(p.id, CHECK, '2026-11-20')).rejects.toThrow('Only a lab admin can change the lab’s printers and materials');
    expect((await listPrinters())[0]!.qaLog).toBeUndefined();
  });

  it('a printer row with its QA log is a valid backup row (the log is not dropped on restore)', async () => {
    const p = await savePrinter(J5);
    await recordPrinterQa(p.id, CHECK, '2026-11-20');
    const printers = await listPrinters();
    const parsed = backupTables.shape.printers.parse(printers);
    expect(parsed[0]!.qaLog).toHaveLength(1);
  });
});
