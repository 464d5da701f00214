import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Case, Deliverable, UseInCare } from '../../src/domain/case';
import { CPT_DISCLAIMER, DEFAULT_CODE_TABLE, suggestCodes, type CodeTable, type CptSuggestion } from '../../src/domain/cpt';
import { Lab, tech, type Through } from '../support/case-builder';

const pairs = (s: CptSuggestion) => s.lines.map((l) => [l.code, l.units] as const);
const copyTable = (t: CodeTable = DEFAULT_CODE_TABLE): CodeTable => structuredClone(t);
const withDates = (codes: Record<string, { from?: string; to?: string | null }>): CodeTable => {
  const t = copyTable();
  for (const def of t.codes) {
    const d = codes[def.code];
    if (d?.from !== undefined) def.effectiveFrom = d.from;
    if (d?.to !== undefined) def.effectiveTo = d.to;
  }
  return t;
};

type Spec = (lab: Lab) => Deliverable[];
const models = (...componentCounts: number[]): Spec => (lab) =>
  componentCounts.map((n, i) => lab.model(`Model ${i + 1}`, Array.from({ length: n }, (_, k) => `Structure ${i + 1}.${k + 1}`)));
const guides = (n: number): Spec => (lab) => Array.from({ length: n }, (_, i) => lab.guide(`Guide ${i + 1}`, i % 2 ? 'drilling' : 'cutting'));
const both = (...specs: Spec[]): Spec => (lab) => specs.flatMap((s) => s(lab));

describe('suggestCodes: counting components and guides (delivered, all used in care)', () => {
  it.each<[string, Spec, [string, number][]]>([
    ['1 model, 1 component', models(1), [['0559T', 1]]],
    ['1 model, 2 components', models(2), [['0559T', 1], ['0560T', 1]]],
    ['1 model, 5 components', models(5), [['0559T', 1], ['0560T', 4]]],
    ['3 models with 2 + 3 + 1 components', models(2, 3, 1), [['0559T', 1], ['0560T', 5]]],
    ['2 models with 1 component each', models(1, 1), [['0559T', 1], ['0560T', 1]]],
    ['1 guide', guides(1), [['0561T', 1]]],
    ['2 guides', guides(2), [['0561T', 1], ['0562T', 1]]],
    ['5 guides', guides(5), [['0561T', 1], ['0562T', 4]]],
    ['1 model (1 component) and 1 guide', both(models(1), guides(1)), [['0559T', 1], ['0561T', 1]]],
    ['1 model (2 components) and 2 guides', both(models(2), guides(2)), [['0559T', 1], ['0560T', 1], ['0561T', 1], ['0562T', 1]]],
    ['2 models (4 + 1) and 3 guides', both(models(4, 1), guides(3)), [['0559T', 1], ['0560T', 4], ['0561T', 1], ['0562T', 2]]],
  ])('%s', (_name, spec, expected) => {
    const lab = new Lab();
    // Delivered after the MUEs of 1 April 2026, under which none of these counts is above the MUE.
    const c = lab.build({ deliverables: spec(lab), use: 'yes', deliveredAt: '2026-04-15T09:00' });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.state).toBe('final');
    expect(pairs(s)).toEqual(expected);
    // 0562T × 4 (5 guides) is above its MUE of 2: cpt-mue.test.ts covers that warning.
    expect(s.warnings.filter((w) => !w.includes('above its MUE'))).toEqual([]);
    expect(s.reasons.some((r) => r.startsWith('Provisional'))).toBe(false);
  });

  it.each([1, 2, 5])('printed copies are not components: a 2-component model printed ×%i gives the same codes', (copies) => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Heart', ['Blood pool', 'Myocardium'], { copies })] });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(pairs(s)).toEqual([['0559T', 1], ['0560T', 1]]);
    expect(s.reasons.some((r) => /copies/i.test(r))).toBe(copies > 1);
  });

  it('a model with 0 components adds no model code, and says so', () => {
    const lab = new Lab();
    const c = lab.open([lab.model('Empty model', [])]);
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.lines).toEqual([]);
    expect(s.state).toBe('none');
    expect(s.warnings.join(' ')).toMatch(/Empty model has no components/);
  });

  it('a 0-component model beside a guide: only the guide code', () => {
    const lab = new Lab();
    const c = lab.open([lab.model('Empty model', []), lab.guide('Tibial guide')]);
    expect(pairs(suggestCodes(c, DEFAULT_CODE_TABLE))).toEqual([['0561T', 1]]);
  });

  it('a case with no models or guides gets no code and a reason', () => {
    const lab = new Lab();
    const s = suggestCodes(lab.open([]), DEFAULT_CODE_TABLE);
    expect(s).toMatchObject({ state: 'none', lines: [] });
    expect(s.reasons.join(' ')).toMatch(/no anatomic model or guide/);
  });

  it('every line has whole units ≥ 1, our own description and a reason in words', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: both(models(3, 2), guides(3))(lab) });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.lines).toHaveLength(4);
    for (const line of s.lines) {
      expect(Number.isInteger(line.units) && line.units >= 1).toBe(true);
      expect(line.reason.trim().length).toBeGreaterThan(10);
      expect(line.description.trim().length).toBeGreaterThan(10);
    }
    expect(s.lines.find((l) => l.code === '0560T')!.reason).toMatch(/4 additional components.*0559T/);
    expect(s.lines.find((l) => l.code === '0562T')!.reason).toMatch(/2 additional guides.*0561T/);
  });

  it('is labelled "suggested — verify with your coder" and shows no money', () => {
    expect(CPT_DISCLAIMER).toMatch(/suggested — verify with your coder/i);
    const lab = new Lab();
    const s = suggestCodes(lab.build({ deliverables: both(models(2), guides(2))(lab) }), DEFAULT_CODE_TABLE);
    expect(JSON.stringify(s)).not.toMatch(/\$|USD|dollar|€/i);
    expect(JSON.stringify(DEFAULT_CODE_TABLE)).not.toMatch(/\$|USD|dollar|€/i);
  });
});

describe('suggestCodes: use in this patient’s care', () => {
  it.each<[string, Spec, (ds: Deliverable[]) => Record<string, UseInCare>, [string, number][], RegExp[]]>([
    ['one model used, one not', models(3, 2), (ds) => ({ [ds[0]!.id]: 'yes', [ds[1]!.id]: 'no' }), [['0559T', 1], ['0560T', 2]], [/Model 2 is not counted/]],
    ['one model not used, the other used', models(3, 2), (ds) => ({ [ds[0]!.id]: 'no', [ds[1]!.id]: 'yes' }), [['0559T', 1], ['0560T', 1]], [/Model 1 is not counted/]],
    ['two guides, one not used', guides(2), (ds) => ({ [ds[0]!.id]: 'yes', [ds[1]!.id]: 'no' }), [['0561T', 1]], [/Guide 2 is not counted/]],
    ['model not used, guide used', both(models(2), guides(1)), (ds) => ({ [ds[0]!.id]: 'no', [ds[1]!.id]: 'yes' }), [['0561T', 1]], [/Model 1 is not counted/]],
    ['model used, guides not used', both(models(1), guides(2)), (ds) => ({ [ds[0]!.id]: 'yes', [ds[1]!.id]: 'no', [ds[2]!.id]: 'no' }), [['0559T', 1]], [/Guide 1 is not counted/, /Guide 2 is not counted/]],
  ])('only deliverables used in care count: %s', (_name, spec, use, expected, reasons) => {
    const lab = new Lab();
    const ds = spec(lab);
    const c = lab.build({ deliverables: ds, use: use(ds) });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.state).toBe('final');
    expect(pairs(s)).toEqual(expected);
    for (const r of reasons) expect(s.reasons.join('\n')).toMatch(r);
  });

  it.each<[string, Spec]>([
    ['one model', models(3)],
    ['guides only', guides(2)],
    ['models and guides', both(models(2, 2), guides(2))],
  ])('none used (%s) → no code, and the reason says why', (_name, spec) => {
    const lab = new Lab();
    const c = lab.build({ deliverables: spec(lab), use: 'no' });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.state).toBe('none');
    expect(s.lines).toEqual([]);
    expect(s.reasons.join(' ')).toMatch(/not used in this patient's care|No model or guide was used/);
    expect(s.reasons.join(' ')).toMatch(/medically necessary/);
  });

  it.each<[string, Spec, (ds: Deliverable[]) => UseInCare | Record<string, UseInCare>, [string, number][]]>([
    ['all unknown', models(2), () => 'unknown', [['0559T', 1], ['0560T', 1]]],
    ['one unknown, one yes', guides(2), (ds) => ({ [ds[0]!.id]: 'unknown', [ds[1]!.id]: 'yes' }), [['0561T', 1], ['0562T', 1]]],
    ['one unknown, one no', both(models(2), guides(1)), (ds) => ({ [ds[0]!.id]: 'unknown', [ds[1]!.id]: 'no' }), [['0559T', 1], ['0560T', 1]]],
  ])('use not yet known (%s) → provisional', (_name, spec, use, expected) => {
    const lab = new Lab();
    const ds = spec(lab);
    const c = lab.build({ deliverables: ds, use: use(ds) });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.state).toBe('provisional');
    expect(pairs(s)).toEqual(expected);
    expect(s.reasons.join(' ')).toMatch(/Provisional: .*not yet known/);
  });

  it.each<[string, Through, boolean]>([
    ['only opened', 'opened', false],
    ['through imaging', 'imaging', false],
    ['through segmenting', 'segmenting', false],
    ['through printing', 'printing', false],
    ['delivery recorded but not handed over', 'delivery', true],
  ])('delivery not complete (%s) → provisional', (_name, through, skipHandover) => {
    const lab = new Lab();
    const c = lab.build({ deliverables: both(models(3), guides(2))(lab), through, use: 'yes', skipHandover });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s.state).toBe('provisional');
    expect(pairs(s)).toEqual([['0559T', 1], ['0560T', 2], ['0561T', 1], ['0562T', 1]]);
    expect(s.reasons.join(' ')).toMatch(/Provisional: the workflow is not complete through delivery/);
  });

  it('a cancelled case suggests nothing, with a reason', () => {
    const lab = new Lab();
    const c = lab.apply(lab.build({ through: 'printing' }), { type: 'cancel', reason: 'Surgery cancelled by patient' });
    const s = suggestCodes(c, DEFAULT_CODE_TABLE);
    expect(s).toMatchObject({ state: 'none', lines: [] });
    expect(s.reasons.join(' ')).toMatch(/cancelled/);
  });
});

describe('suggestCodes: warnings', () => {
  const RENDERING = /76376 or 76377/;
  it.each<[string, string, boolean]>([
    ['76376 in the order notes', 'Also bill 76376 for the 3D rendering.', true],
    ['76377 in the order notes', 'Surgeon requested 3D rendering (76377) for tumour board.', true],
    ['no rendering code', 'Urgent: surgery on Friday.', false],
    ['a longer number containing 76377', 'Accession 763771 from outside hospital', false],
    ['a neighbouring code 76375', 'Prior 76375 study', false],
  ])('3D rendering codes: %s', (_name, notes, warned) => {
    const lab = new Lab();
    const s = suggestCodes(lab.build({ notes }), DEFAULT_CODE_TABLE);
    expect(s.warnings.some((w) => RENDERING.test(w))).toBe(warned);
    expect(s.lines.length).toBeGreaterThan(0); // a warning, not a refusal
  });

  it('warns when a stage note mentions 76377', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'imaging' });
    expect(suggestCodes(c, DEFAULT_CODE_TABLE).warnings.some((w) => RENDERING.test(w))).toBe(false);
    c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { segmentationNotes: 'Rendering billed as 76377 by radiology' } });
    expect(suggestCodes(c, DEFAULT_CODE_TABLE).warnings.some((w) => RENDERING.test(w))).toBe(true);
  });

  // The builder delivers on 2026-03-10 (the service date).
  it.each<[string, CodeTable, string[]]>([
    ['all codes in effect (no sunset)', DEFAULT_CODE_TABLE, []],
    ['codes start after the service date', withDates({ '0559T': { from: '2026-04-01' }, '0560T': { from: '2026-04-01' } }), ['0559T', '0560T']],
    ['codes start on the service date', withDates({ '0559T': { from: '2026-03-10' }, '0560T': { from: '2026-03-10' } }), []],
    ['codes ended the day before the service date', withDates({ '0561T': { to: '2026-03-09' } }), ['0561T']],
    ['codes end on the service date', withDates({ '0561T': { to: '2026-03-10' }, '0559T': { to: '2026-03-10' } }), []],
    ['all four sunset in 2024', withDates({ '0559T': { to: '2024-06-30' }, '0560T': { to: '2024-06-30' }, '0561T': { to: '2024-06-30' }, '0562T': { to: '2024-06-30' } }), ['0559T', '0560T', '0561T']],
    ['a code not suggested is out of date: no warning', withDates({ '0562T': { to: '2020-01-01' } }), []],
  ])('service date vs effective period: %s', (_name, table, warnedCodes) => {
    const lab = new Lab();
    // 2 components + 1 guide: 0559T, 0560T, 0561T (no 0562T)
    const c = lab.build({ deliverables: both(models(2), guides(1))(lab), deliveredAt: '2026-03-10T07:30' });
    const s = suggestCodes(c, table);
    expect(s.serviceDate).toBe('2026-03-10');
    expect(pairs(s)).toEqual([['0559T', 1], ['0560T', 1], ['0561T', 1]]);
    const dated = s.warnings.filter((w) => /not in effect on the service date 2026-03-10/.test(w));
    expect(dated.map((w) => w.slice(0, 5)).sort()).toEqual([...warnedCodes].sort());
  });

  it('without a delivery date there is no service date and no date warning', () => {
    const lab = new Lab();
    const s = suggestCodes(lab.build({ through: 'printing' }), withDates({ '0559T': { to: '2020-01-01' } }));
    expect(s.serviceDate).toBeNull();
    expect(s.warnings.filter((w) => /not in effect/.test(w))).toEqual([]);
  });
});

describe('suggestCodes: never an add-on without its primary', () => {
  it.each<[string, string, Spec, [string, number][]]>([
    ['model primary removed from the table', '0559T', both(models(3), guides(2)), [['0561T', 1], ['0562T', 1]]],
    ['guide primary removed from the table', '0561T', both(models(3), guides(2)), [['0559T', 1], ['0560T', 2]]],
  ])('%s: its add-on is not suggested either', (_name, removed, spec, expected) => {
    const table = copyTable();
    table.codes = table.codes.filter((x) => x.code !== removed);
    const lab = new Lab();
    const s = suggestCodes(lab.build({ deliverables: spec(lab) }), table);
    expect(pairs(s)).toEqual(expected);
    expect(s.warnings.join(' ')).toMatch(/no primary code/);
  });

  it('an add-on missing from the table: the primary alone, with a warning', () => {
    const table = copyTable();
    table.codes = table.codes.filter((x) => x.code !== '0560T');
    const lab = new Lab();
    const s = suggestCodes(lab.build({ deliverables: models(3)(lab) }), table);
    expect(pairs(s)).toEqual([['0559T', 1]]);
    expect(s.warnings.join(' ')).toMatch(/no add-on code/);
  });

  type GenSpec = { components: number[]; copies: number[]; guides: number; use: UseInCare[]; through: Through; skipHandover: boolean };
  const genSpec: fc.Arbitrary<GenSpec> = fc.record({
    components: fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
    copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 }),
    guides: fc.integer({ min: 0, max: 4 }),
    use: fc.array(fc.constantFrom<UseInCare>('yes', 'no', 'unknown'), { minLength: 7, maxLength: 7 }),
    through: fc.constantFrom<Through>('opened', 'imaging', 'segmenting', 'printing', 'delivery'),
    skipHandover: fc.boolean(),
  });

  const ORDER: Through[] = ['opened', 'imaging', 'segmenting', 'printing', 'delivery'];

  function buildFrom(spec: GenSpec): { c: Case; ds: Deliverable[]; through: Through } {
    const lab = new Lab();
    const ds: Deliverable[] = [
      ...spec.components.map((n, i) => lab.model(`Model ${i}`, Array.from({ length: n }, (_, k) => `S${k}`), { copies: spec.copies[i]! })),
      ...Array.from({ length: spec.guides }, (_, i) => lab.guide(`Guide ${i}`)),
    ];
    // Segmenting cannot complete without deliverables or with an empty model: stop at imaging then.
    const canSegment = ds.length > 0 && spec.components.every((n) => n > 0);
    const through = canSegment || ORDER.indexOf(spec.through) <= 1 ? spec.through : 'imaging';
    const use = Object.fromEntries(ds.map((d, i) => [d.id, spec.use[i]!]));
    return { c: lab.build({ deliverables: ds, through, use, skipHandover: spec.skipHandover }), ds, through };
  }

  it('for any case: 0560T only with 0559T, 0562T only with 0561T, units = count − 1 (property)', () => {
    fc.assert(
      fc.property(genSpec, (spec) => {
        const { c, ds, through } = buildFrom(spec);
        const s = suggestCodes(c, DEFAULT_CODE_TABLE);
        const codes = s.lines.map((l) => l.code);
        const units = (code: string) => s.lines.find((l) => l.code === code)?.units;

        // The rules, stated independently of the implementation.
        const recordedUse = (i: number): UseInCare | null => (through === 'delivery' ? spec.use[i]! : null);
        const deliveryComplete = through === 'delivery' && !spec.skipHandover;
        const allKnown = ds.every((_, i) => recordedUse(i) === 'yes' || recordedUse(i) === 'no');
        const provisional = !deliveryComplete || !allKnown;
        const counts = (i: number) => recordedUse(i) === 'yes' || (provisional && recordedUse(i) !== 'no');
        const componentTotal = ds.reduce((n, d, i) => n + (d.kind === 'model' && counts(i) ? d.components.length : 0), 0);
        const guideTotal = ds.filter((d, i) => d.kind === 'guide' && counts(i)).length;

        expect(new Set(codes).size).toBe(codes.length);
        if (codes.includes('0560T')) expect(codes).toContain('0559T');
        if (codes.includes('0562T')) expect(codes).toContain('0561T');
        expect(units('0559T')).toBe(componentTotal >= 1 ? 1 : undefined);
        expect(units('0560T')).toBe(componentTotal >= 2 ? componentTotal - 1 : undefined);
        expect(units('0561T')).toBe(guideTotal >= 1 ? 1 : undefined);
        expect(units('0562T')).toBe(guideTotal >= 2 ? guideTotal - 1 : undefined);
        for (const line of s.lines) {
          expect(line.units).toBeGreaterThanOrEqual(1);
          expect(line.reason.length).toBeGreaterThan(0);
        }
        expect(s.state).toBe(s.lines.length === 0 ? 'none' : provisional ? 'provisional' : 'final');
        // Only the four Category III codes are ever suggested.
        for (const code of codes) expect(['0559T', '0560T', '0561T', '0562T']).toContain(code);
      }),
      { numRuns: 150 },
    );
  });
});

describe('suggestCodes: a closed case keeps its frozen codes', () => {
  it('editing the code table after closing does not change what a closed case shows', () => {
    const lab = new Lab();
    const table = copyTable();
    const open = lab.build({ deliverables: both(models(3), guides(2))(lab), deliveredAt: '2026-03-10T07:30' });
    // 0560T × 2 was above its MUE of 1 before April 2026: the warning is read before closing.
    const closed = lab.apply(open, { type: 'close', codeTable: table, confirmedWarnings: suggestCodes(open, table).warnings }, tech);
    const frozen = structuredClone(closed.closed!.billing);
    expect(pairs(frozen)).toEqual([['0559T', 1], ['0560T', 2], ['0561T', 1], ['0562T', 1]]);
    expect(frozen.state).toBe('final');

    // An admin edits the table in place: new wording, a sunset before the service date, a new version.
    table.version = '2027-01-01';
    for (const def of table.codes) {
      def.description = `EDITED ${def.description}`;
      def.effectiveTo = '2025-12-31';
    }
    const reopenedView = suggestCodes(open, table); // the same case had it not been closed
    expect(reopenedView.warnings.length).toBeGreaterThan(0);
    expect(reopenedView.codeTableVersion).toBe('2027-01-01');

    const shown = suggestCodes(closed, table);
    expect(shown).toEqual(frozen);
    expect(shown).toBe(closed.closed!.billing);
    expect(shown.codeTableVersion).toBe(DEFAULT_CODE_TABLE.version);
    expect(shown.lines.every((l) => !l.description.startsWith('EDITED'))).toBe(true);
  });

  it('a closed case refuses further changes, so its billing cannot drift', () => {
    const lab = new Lab();
    const closed = lab.apply(lab.build(), { type: 'close', codeTable: DEFAULT_CODE_TABLE });
    const r = lab.attempt(closed, { type: 'saveStage', stage: 'delivery', values: { feedback: 'late note' } });
    expect(r).toEqual({ ok: false, reason: 'The case is closed and can no longer be changed' });
  });
});
