import { describe, expect, it } from 'vitest';
import { codeTableEditOf, codeTableEditSchema, describeCodeTableChange, editCodeTable, type CodeTableEdit } from '../../src/domain/code-table';
import { DEFAULT_CODE_TABLE } from '../../src/domain/cpt';

const edit = (f: (e: CodeTableEdit) => void): CodeTableEdit => {
  const e = codeTableEditOf(DEFAULT_CODE_TABLE);
  f(e);
  return e;
};
const firstIssue = (e: CodeTableEdit) => {
  const r = codeTableEditSchema.safeParse(e);
  return r.success ? null : r.error.issues[0]!.message;
};

describe('code table edit: what a lab admin may set', () => {
  it('the default table, unchanged, is a valid edit and round-trips', () => {
    const e = codeTableEditOf(DEFAULT_CODE_TABLE);
    expect(firstIssue(e)).toBeNull();
    expect(editCodeTable(DEFAULT_CODE_TABLE, e)).toEqual(DEFAULT_CODE_TABLE);
    expect(describeCodeTableChange(DEFAULT_CODE_TABLE, editCodeTable(DEFAULT_CODE_TABLE, e))).toBeNull();
  });

  it.each<[string, (e: CodeTableEdit) => void, string]>([
    ['overlapping periods', (e) => (e.codes[1]!.mue[0]!.to = '2026-04-01'), '0560T: MUE periods overlap (from 2019-07-01 and from 2026-04-01): end the earlier one the day before'],
    ['an open-ended period before another', (e) => (e.codes[1]!.mue[0]!.to = ''), '0560T: MUE periods overlap (from 2019-07-01 and from 2026-04-01): end the earlier one the day before'],
    ['a last day before the first', (e) => (e.codes[0]!.mue[0]!.to = '2019-01-01'), 'The last day cannot be before the first'],
    ['a fraction of a unit', (e) => (e.codes[3]!.mue[1]!.units = 1.5), 'Whole units only'],
    ['negative units', (e) => (e.codes[3]!.mue[1]!.units = -1), 'At least 0 units'],
    ['a date that is not one', (e) => (e.codes[3]!.mue[1]!.from = '2026-02-30'), 'Not a real date'],
    ['a payer note without a payer', (e) => e.payerNotes.push({ payer: ' ', note: 'experimental' }), 'Enter the payer’s name'],
    ['a payer note without a note', (e) => e.payerNotes.push({ payer: 'Aetna', note: '' }), 'Enter the payer’s position on the codes'],
    ['the same payer twice', (e) => e.payerNotes.push({ payer: 'Aetna', note: 'a' }, { payer: 'aetna ', note: 'b' }), 'aetna is noted twice: keep one note per payer'],
  ])('refuses %s', (_name, change, message) => {
    expect(firstIssue(edit(change))).toBe(message);
  });

  it('stores periods in date order with open-ended as null, and says what changed for the lab log', () => {
    const e = edit((x) => {
      x.codes[3]!.mue = [{ units: 2, from: '2026-04-01', to: '' }, { units: 1, from: '2019-07-01', to: '2026-03-31' }];
      x.codes[1]!.mue[1]!.units = 6;
      x.payerNotes.push({ payer: ' Aetna ', note: ' considers 0559T–0562T experimental/investigational ' });
    });
    const after = editCodeTable(DEFAULT_CODE_TABLE, codeTableEditSchema.parse(e));
    expect(after.codes[3]!.mue).toEqual(DEFAULT_CODE_TABLE.codes[3]!.mue);
    expect(after.codes[1]!.mue[1]).toEqual({ units: 6, from: '2026-04-01', to: null });
    expect(after.payerNotes).toEqual([{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }]);
    expect(after.version).toBe(DEFAULT_CODE_TABLE.version);
    expect(describeCodeTableChange(DEFAULT_CODE_TABLE, after)).toBe(
      'Code table: 0560T MUE 1 from 2019-07-01 to 2026-03-31; 5 from 2026-04-01 → 1 from 2019-07-01 to 2026-03-31; 6 from 2026-04-01; payer note added for Aetna: “considers 0559T–0562T experimental/investigational”',
    );
    const removed = editCodeTable(after, { ...codeTableEditOf(after), payerNotes: [] });
    expect(describeCodeTableChange(after, removed)).toBe('Code table: payer note for Aetna removed');
  });
});
