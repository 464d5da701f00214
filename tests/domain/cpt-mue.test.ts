import { describe, expect, it } from 'vitest';
import type { Case, Deliverable } from '../../src/domain/case';
import {
  DEFAULT_CODE_TABLE,
  MUE_CONSEQUENCE,
  dateOfService,
  groupByDateOfService,
  migrateCodeTable,
  mueOn,
  suggestCodes,
  type CodeTable,
} from '../../src/domain/cpt';
import { orderSchema } from '../../src/domain/case-input';
import { mueText, payerPosition } from '../../src/domain/cpt-notes';
import { Lab, orderInput, tech } from '../support/case-builder';

const def = (code: string) => DEFAULT_CODE_TABLE.codes.find((d) => d.code === code)!;

describe('mueOn: the MUE in force on a date of service (CMS NCCI MUEs of 1 April 2026)', () => {
  it.each<[string, string, number]>([
    ['0559T', '2025-12-31', 1],
    ['0559T', '2026-04-01', 1],
    ['0560T', '2019-07-01', 1],
    ['0560T', '2026-03-31', 1],
    ['0560T', '2026-04-01', 5],
    ['0560T', '2027-06-30', 5],
    ['0561T', '2026-03-31', 1],
    ['0561T', '2026-04-01', 1],
    ['0562T', '2026-03-31', 1],
    ['0562T', '2026-04-01', 2],
    ['0562T', '2028-01-01', 2],
  ])('%s on %s: %i', (code, date, units) => {
    expect(mueOn(def(code), date)?.units).toBe(units);
  });

  it('with no date of service yet, the MUE in force now (the open-ended period)', () => {
    expect(mueOn(def('0560T'), null)).toEqual({ units: 5, from: '2026-04-01', to: null });
  });

  it('a date before any recorded period has no MUE', () => {
    expect(mueOn(def('0560T'), '2018-01-01')).toBeNull();
  });
});

type Spec = (lab: Lab) => Deliverable[];
const model = (n: number): Spec => (lab) => [lab.model('Pelvis', Array.from({ length: n }, (_, i) => `Structure ${i + 1}`))];
const guides = (n: number): Spec => (lab) => Array.from({ length: n }, (_, i) => lab.guide(`Guide ${i + 1}`, 'cutting'));

describe('suggestCodes: units above the MUE for the date of service', () => {
  it.each<[string, Spec, string, string, number, number, number]>([
    // name, deliverables, delivered, code, full units, MUE, units over
    ['8 components before the raise', model(8), '2026-03-31T16:00', '0560T', 7, 1, 6],
    ['8 components from the raise', model(8), '2026-04-01T08:00', '0560T', 7, 5, 2],
    ['6 components from the raise (at the MUE)', model(6), '2026-04-01T08:00', '0560T', 5, 5, 0],
    ['2 components before the raise (at the MUE)', model(2), '2026-03-31T08:00', '0560T', 1, 1, 0],
    ['3 guides before the raise', guides(3), '2026-03-31T08:00', '0562T', 2, 1, 1],
    ['3 guides from the raise (at the MUE)', guides(3), '2026-04-01T08:00', '0562T', 2, 2, 0],
    ['4 guides from the raise', guides(4), '2026-04-01T08:00', '0562T', 3, 2, 1],
  ])('%s', (_name, spec, deliveredAt, code, units, limit, over) => {
    const lab = new Lab();
    const s = suggestCodes(lab.build({ deliverables: spec(lab), use: 'yes', deliveredAt }), DEFAULT_CODE_TABLE);
    const line = s.lines.find((l) => l.code === code)!;
    expect(line.units).toBe(units); // never capped: the appeal needs the full count
    expect(line.mue).toMatchObject({ limit, over });
    const warning = s.warnings.find((w) => w.startsWith(`${code}:`));
    if (over > 0) {
      expect(warning).toContain(`${units} units on the date of service ${deliveredAt.slice(0, 10)} is above its MUE of ${limit}`);
      expect(warning).toContain(MUE_CONSEQUENCE);
      expect(warning).toContain(`All ${units} units are shown for the appeal`);
      expect(mueText(line)).toContain(`is ${over} above the MUE. ${MUE_CONSEQUENCE}`);
    } else {
      expect(warning).toBeUndefined();
      expect(mueText(line)).not.toContain('above');
    }
  });

  it('the primary codes (0559T, 0561T) carry their MUE of 1 and are never above it', () => {
    const lab = new Lab();
    const s = suggestCodes(lab.build({ deliverables: [...model(3)(lab), ...guides(2)(lab)], use: 'yes', deliveredAt: '2026-05-01T10:00' }), DEFAULT_CODE_TABLE);
    for (const code of ['0559T', '0561T']) expect(s.lines.find((l) => l.code === code)?.mue).toEqual({ limit: 1, from: '2019-07-01', to: null, over: 0 });
  });

  it('an admin’s edited MUE is what counts', () => {
    const table: CodeTable = structuredClone(DEFAULT_CODE_TABLE);
    table.codes.find((d) => d.code === '0560T')!.mue = [{ units: 10, from: '2019-07-01', to: null }];
    const lab = new Lab();
    const s = suggestCodes(lab.build({ deliverables: model(8)(lab), use: 'yes', deliveredAt: '2026-03-10T10:00' }), table);
    expect(s.lines.find((l) => l.code === '0560T')?.mue).toMatchObject({ limit: 10, over: 0 });
    expect(s.warnings.some((w) => w.includes('MUE'))).toBe(false);
  });

  it('a provisional suggestion (not delivered yet) is checked against the MUE in force now, and says so', () => {
    const lab = new Lab();
    const s = suggestCodes(lab.build({ deliverables: model(8)(lab), through: 'printing' }), DEFAULT_CODE_TABLE);
    expect(s.state).toBe('provisional');
    expect(s.lines.find((l) => l.code === '0560T')).toMatchObject({ units: 7, serviceDate: null, mue: { limit: 5, over: 2 } });
    expect(s.warnings.some((w) => w.includes('no date of service yet'))).toBe(true);
  });
});

/** The same case with a delivery date recorded per deliverable (the model has none yet: the grouping rule is ready for it). */
function withOwnDates(c: Case, dates: Record<string, string>): Case {
  const next = structuredClone(c);
  for (const [id, at] of Object.entries(dates)) next.stages.delivery.perDeliverable[id] = { ...next.stages.delivery.perDeliverable[id], deliveredAt: at };
  return next;
}

describe('date of service: grouping units by the day each deliverable was delivered', () => {
  it('without per-deliverable dates every deliverable takes the delivery stage’s date', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [...model(2)(lab), ...guides(1)(lab)], use: 'yes', deliveredAt: '2026-04-02T09:30' });
    expect(c.deliverables.map((d) => dateOfService(c, d))).toEqual(['2026-04-02', '2026-04-02']);
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.serviceDates).toEqual(['2026-04-02']);
    expect(s.lines.every((l) => l.serviceDate === '2026-04-02')).toBe(true);
    expect(s.reasons.some((r) => r.includes('dates of service'))).toBe(false);
  });

  it('groupByDateOfService: earliest first, undated last, order kept within a day', () => {
    const items = [{ id: 'a', d: '2026-04-03' }, { id: 'b', d: null }, { id: 'c', d: '2026-03-30' }, { id: 'd', d: '2026-04-03' }];
    expect(groupByDateOfService(items, (i) => i.d).map((g) => [g.date, g.items.map((i) => i.id)])).toEqual([
      ['2026-03-30', ['c']],
      ['2026-04-03', ['a', 'd']],
      [null, ['b']],
    ]);
  });

  it('guides delivered across the 2026-04-01 boundary: each date is its own group, checked against its own MUE', () => {
    const lab = new Lab();
    const g = guides(5)(lab);
    const built = lab.build({ deliverables: g, use: 'yes', deliveredAt: '2026-03-31T15:00' });
    // Two guides on 31 March, three on 1 April.
    const c = withOwnDates(built, { [g[2]!.id]: '2026-04-01T08:00', [g[3]!.id]: '2026-04-01T08:00', [g[4]!.id]: '2026-04-01T08:10' });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.serviceDates).toEqual(['2026-03-31', '2026-04-01']);
    expect(s.serviceDate).toBe('2026-03-31');
    expect(s.lines.map((l) => [l.serviceDate, l.code, l.units, l.mue?.limit, l.mue?.over])).toEqual([
      ['2026-03-31', '0561T', 1, 1, 0],
      ['2026-03-31', '0562T', 1, 1, 0],
      ['2026-04-01', '0561T', 1, 1, 0],
      ['2026-04-01', '0562T', 2, 2, 0],
    ]);
    expect(s.reasons).toContain('Delivered on 2 dates of service: units are grouped by date of service, each date with its own first code and checked against the MUE for that date.');
    expect(s.warnings.some((w) => w.includes('coder’s call'))).toBe(true);
    expect(s.lines[3]!.reason).toContain('delivered 2026-04-01');
  });

  it('components on one day above the MUE warn for that day only', () => {
    const lab = new Lab();
    const [pelvis] = model(7)(lab);
    const [spine] = (lab2 => [lab2.model('Spine', ['L4', 'L5'])])(lab);
    const built = lab.build({ deliverables: [pelvis!, spine!], use: 'yes', deliveredAt: '2026-04-10T09:00' });
    const c = withOwnDates(built, { [spine!.id]: '2026-04-12T09:00' });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.lines.map((l) => [l.serviceDate, l.code, l.units])).toEqual([
      ['2026-04-10', '0559T', 1],
      ['2026-04-10', '0560T', 6],
      ['2026-04-12', '0559T', 1],
      ['2026-04-12', '0560T', 1],
    ]);
    const mueWarnings = s.warnings.filter((w) => w.includes('above its MUE'));
    expect(mueWarnings).toHaveLength(1);
    expect(mueWarnings[0]).toContain('0560T: 6 units on the date of service 2026-04-10 is above its MUE of 5');
  });
});

describe('migrateCodeTable: stored tables keep working', () => {
  const oldStored = {
    version: '2019-07-01',
    codes: DEFAULT_CODE_TABLE.codes.map(({ mue: _mue, ...rest }) => ({ ...rest })),
  };

  it('a table stored before MUEs gets the default MUEs per code and no payer notes, keeping its own version', () => {
    const t = migrateCodeTable(oldStored);
    expect(t.version).toBe('2019-07-01');
    expect(t.codes.map((d) => [d.code, d.mue])).toEqual(DEFAULT_CODE_TABLE.codes.map((d) => [d.code, d.mue]));
    expect(t.payerNotes).toEqual([]);
  });

  it('an admin’s edits (dates, wording, MUEs, payer notes) are kept', () => {
    const edited = structuredClone(oldStored) as Record<string, unknown> & { codes: Record<string, unknown>[] };
    edited.codes[0]!.description = 'Our wording';
    edited.codes[0]!.effectiveTo = '2029-06-30';
    edited.codes[1]!.mue = [{ units: 3, from: '2026-01-01', to: null }];
    edited.payerNotes = [{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }];
    const t = migrateCodeTable(edited);
    expect(t.codes[0]).toMatchObject({ description: 'Our wording', effectiveTo: '2029-06-30', mue: DEFAULT_CODE_TABLE.codes[0]!.mue });
    expect(t.codes[1]!.mue).toEqual([{ units: 3, from: '2026-01-01', to: null }]);
    expect(t.payerNotes).toEqual([{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }]);
  });

  it('a code the defaults do not know gets no MUE; malformed MUEs fall back to the defaults', () => {
    const t = migrateCodeTable({ version: 'x', codes: [{ ...oldStored.codes[0]!, code: '9999T' }, { ...oldStored.codes[1]!, mue: [{ units: 'five', from: '2026-04-01', to: null }] }] });
    expect(t.codes[0]!.mue).toEqual([]);
    expect(t.codes[1]!.mue).toEqual(DEFAULT_CODE_TABLE.codes[1]!.mue);
  });

  it('nothing stored, or something that is not a table, gives the defaults; the result is a copy', () => {
    expect(migrateCodeTable(undefined)).toBe(DEFAULT_CODE_TABLE);
    expect(migrateCodeTable({ codes: 'no' })).toBe(DEFAULT_CODE_TABLE);
    const t = migrateCodeTable(oldStored);
    t.codes[1]!.mue[0]!.units = 99;
    expect(DEFAULT_CODE_TABLE.codes[1]!.mue[0]!.units).toBe(1);
  });

  it('the default table is a fixed point', () => {
    expect(migrateCodeTable(DEFAULT_CODE_TABLE)).toEqual(DEFAULT_CODE_TABLE);
  });

  it('a close command replayed with a table from before MUEs still counts, with the default MUEs', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: model(8)(lab), use: 'yes', deliveredAt: '2026-04-02T09:00' });
    const s = suggestCodes(c, oldStored as unknown as CodeTable);
    expect(s.lines.find((l) => l.code === '0560T')?.mue).toMatchObject({ limit: 5, over: 2 });
  });
});

describe('payerPosition: the lab’s note on the order’s payer', () => {
  const table = { payerNotes: [{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }] };
  it.each<[string | undefined, ReturnType<typeof payerPosition>]>([
    [undefined, null],
    ['  ', null],
    ['Aetna', { payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }],
    [' aetna ', { payer: 'aetna', note: 'considers 0559T–0562T experimental/investigational' }],
    ['Medicare', { payer: 'Medicare', note: null }],
  ])('payer %j', (payer, expected) => {
    expect(payerPosition(payer, table)).toEqual(expected);
  });
});

describe('the payer on the order', () => {
  const schema = orderSchema('2026-04-01');
  it.each<[string, string | undefined, boolean]>([
    ['no payer', undefined, true],
    ['blank', '', true],
    ['a plan name', 'Aetna', true],
    ['a plan name with a year', 'Medicare Advantage 2026', true],
    ['a member number', 'Aetna W123456789', false],
    ['too long', 'x'.repeat(81), false],
  ])('%s', (_name, payer, ok) => {
    expect(schema.safeParse({ ...orderInput(), payer }).success).toBe(ok);
  });

  it('an order with no payer stores no payer key (orders from before the field hash as they did); one with a payer keeps it in the clear order', () => {
    const lab = new Lab();
    expect('payer' in lab.build({ through: 'opened' }).order).toBe(false);
    const c = lab.apply(lab.build({ through: 'opened' }), { type: 'editOrder', input: { ...orderInput(), payer: ' Aetna ' } }, tech);
    expect(c.order.payer).toBe('Aetna');
    expect(c.phi).not.toHaveProperty('payer');
  });
});
