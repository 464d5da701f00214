import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../src/domain/case';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { asCaseId, asUserId } from '../../src/domain/ids';
import { ageInYears, identifierScrubber, REGISTRY_COLUMNS, registryCsv, registryRows, safeHarborAge, toCsv } from '../../src/domain/registry-export';
import { Lab, orderInput } from '../support/case-builder';

const technician: Actor = { id: asUserId('u-tech'), name: 'Marta Kowalska', roles: ['technician'] };
const radiologist: Actor = { id: asUserId('u-rad'), name: 'Dr. Søren Ødegaard', roles: ['radiologist'] };

/** Realistic cases at every stage (the demo generator runs the real commands). */
function manyCases(count: number, seed = 11): Case[] {
  const rng = seededRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const openedAt = new Date(Date.UTC(2025, 0, 3) + i * 86_400_000 * 1.7).toISOString();
    const caseNumber = `PP-2026-T7-${String(i + 1).padStart(4, '0')}`;
    return generateCase(rng, { index: i, openedAt, technician, radiologist, progress: i % 6, newId: () => crypto.randomUUID(), caseNumber }).case;
  });
}

/** A minimal RFC 4180 reader, to check the writer's quoting from the other side. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += ch;
  }
  if (field || row.length) throw new Error('the CSV does not end with CRLF');
  return rows;
}

const words = (s: string) => s.split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);

/** Every identifier and free text a case holds, that must not reach the export. */
function identifiers(c: Case): { exact: string[]; nameWords: string[] } {
  const stageText = Object.values(c.stages).flatMap((s) => [
    ...Object.entries(s.values).filter(([k]) => ['accessionNumber', 'studyInstanceUid', 'studyDescription', 'seriesDescription', 'imagingNotes', 'segmentationNotes', 'feedback', 'deliveredTo', 'sterilizationLot', 'studyDate', 'deliveredAt'].includes(k)).map(([, v]) => String(v ?? '')),
    ...Object.values(s.checklist).flatMap((t) => [t.byName, t.at]),
    ...(s.signature ? [s.signature.signerName, s.signature.signedAt, s.signature.contentHash] : []),
    s.updatedAt ?? '',
    s.updatedBy ?? '',
  ]);
  const exact = [
    c.id,
    c.caseNumber,
    c.createdAt,
    c.createdAt.slice(0, 10),
    c.updatedAt.slice(0, 10),
    c.createdByName,
    c.phi.patientName,
    c.phi.mrn,
    c.phi.dateOfBirth,
    c.phi.indication,
    c.phi.notes,
    c.order.orderingPhysician,
    c.order.physicianContact,
    c.order.dateNeeded,
    ...c.deliverables.flatMap((d) => [d.id, d.name, ...(d.kind === 'model' ? d.components.map((p) => p.id) : [])]),
    ...stageText,
    ...(c.closed ? [c.closed.at, c.closed.byName] : []),
  ].filter((s) => s.trim().length >= 3);
  return { exact, nameWords: words(c.phi.patientName) };
}

describe('registry CSV: HIPAA Safe Harbor', () => {
  const cases = manyCases(240);
  const { csv, rows } = registryCsv(cases, { scope: 'all', random: seededRng(5) });
  const cells = new Set(parseCsv(csv).flat());
  const csvWords = new Set(words(csv).map((w) => w.toLowerCase()));
  const lower = csv.toLowerCase();

  it('exports every case, one row per model or guide', () => {
    expect(rows).toBe(cases.reduce((n, c) => n + Math.max(1, c.deliverables.length), 0));
    expect(parseCsv(csv)).toHaveLength(rows + 1);
  });

  it('holds none of the cases’ names, MRNs, accession numbers, dates, ids, case numbers or free text', { timeout: 20_000 }, () => {
    const leaks: string[] = [];
    for (const c of cases) {
      const { exact, nameWords } = identifiers(c);
      for (const s of exact) if (lower.includes(s.toLowerCase())) leaks.push(`${c.caseNumber}: “${s}”`);
      for (const w of nameWords) if (csvWords.has(w.toLowerCase())) leaks.push(`${c.caseNumber}: name part “${w}”`);
    }
    expect(leaks).toEqual([]);
  });

  it('has no date or time other than a year', () => {
    expect(csv).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(csv).not.toMatch(/\d{8}/);
    expect(csv).not.toMatch(/\d{1,2}:\d{2}/);
    expect(csv).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{2,4}/);
  });

  it('has no staff names (technician, radiologist)', () => {
    for (const w of [...words(technician.name), ...words(radiologist.name)].filter((w) => w.length > 2)) expect(csvWords.has(w.toLowerCase())).toBe(false);
  });

  it('gives the year only, in the year columns', () => {
    const [header, ...body] = parseCsv(csv);
    for (const key of ['order_year', 'imaging_year', 'delivery_year']) {
      const i = header!.indexOf(key);
      for (const r of body) expect(r[i]).toMatch(/^(\d{4}|unknown)$/);
    }
    expect(cells.has('unknown')).toBe(true);
  });

  it('numbers cases at random for this export only: 1…N, shared by a case’s rows, in another order with another draw', () => {
    const a = registryRows(cases, { scope: 'all', random: seededRng(1) });
    const b = registryRows(cases, { scope: 'all', random: seededRng(2) });
    const refs = new Set(a.rows.map((r) => Number(r[0])));
    expect([...refs].sort((x, y) => x - y)).toEqual(Array.from({ length: cases.length }, (_, i) => i + 1));
    const signature = (e: typeof a) => e.rows.map((r) => r.slice(5).join('|'));
    expect(signature(a)).not.toEqual(signature(b));
    expect([...signature(a)].sort()).toEqual([...signature(b)].sort());
    // A case's rows sit together and count up from 1.
    const byRef = new Map<string, string[][]>();
    for (const r of a.rows) byRef.set(r[0]!, [...(byRef.get(r[0]!) ?? []), r]);
    for (const group of byRef.values()) {
      const objects = Number(group[0]![2]);
      expect(group.map((r) => r[1])).toEqual(objects === 0 ? [''] : Array.from({ length: objects }, (_, i) => String(i + 1)));
    }
  });
});

describe('registry CSV: ages', () => {
  it.each([
    ['1961-05-14', '2026-05-13T10:00:00.000Z', 64],
    ['1961-05-14', '2026-05-14T10:00:00.000Z', 65],
    ['2000-02-29', '2026-02-28T10:00:00.000Z', 25],
    ['not a date', '2026-02-28T10:00:00.000Z', null],
  ])('age of someone born %s on %s is %s', (dob, on, age) => {
    expect(ageInYears(dob, on)).toBe(age);
  });

  it.each([[null, 'unknown'], [0, '0'], [89, '89'], [90, '90+'], [104, '90+']])('age %s is exported as %s', (age, text) => {
    expect(safeHarborAge(age)).toBe(text);
  });

  it('exports a 95-year-old as 90+, with no birth year or age beyond 89 anywhere', () => {
    const lab = new Lab();
    const c = lab.open(undefined, { dateOfBirth: '1931-01-02' });
    const [header, row] = parseCsv(registryCsv([c], { scope: 'all', random: () => 0 }).csv);
    expect(row![header!.indexOf('patient_age')]).toBe('90+');
    expect(row!.join(',')).not.toMatch(/1931|\b9[0-9]\b(?!\+)/);
  });
});

describe('registry CSV: content', () => {
  const lab = new Lab();
  const model = lab.model('Pelvis model', ['Pelvis', 'Sacrum'], { copies: 2, material: 'VeroClear', colour: 'clear' });
  const guide = lab.guide('Iliac guide', 'drilling', 'MED610');
  const c = lab.build({ deliverables: [model, guide], use: { [model.id]: 'yes', [guide.id]: 'no' } });
  const [header, ...rows] = parseCsv(registryCsv([c], { scope: 'delivered', random: () => 0.5 }).csv);
  const col = (row: string[], key: string) => row[header!.indexOf(key)];

  it('carries the order’s appropriateness rating and the criteria’s year, never the scenario’s words', () => {
    const rated = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis'])] });
    const withRating = lab.apply(rated, { type: 'editOrder', input: { ...rated.phi, ...rated.order, scenario: 'Complex acetabular fracture', appropriatenessRating: '8', criteriaYear: '2018' } });
    const [head, first] = parseCsv(registryCsv([withRating], { scope: 'delivered', random: () => 0.5 }).csv);
    expect([first![head!.indexOf('appropriateness_rating')], first![head!.indexOf('appropriateness_criteria_year')]]).toEqual(['8', '2018']);
    expect(first!.join(',')).not.toContain('acetabular');
  });

  it('carries the clinical impact recorded at delivery (structured answers; the feedback text never)', () => {
    const answered = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: { procedurePerformed: 'yes', planChanged: 'no', surgeonRating: 4, minutesSaved: 25, feedback: 'Dr. Osei: saved a second approach' } });
    const [head, first] = parseCsv(registryCsv([answered], { scope: 'delivered', random: () => 0.5 }).csv);
    const at = (key: string) => first![head!.indexOf(key)];
    expect([at('procedure_performed'), at('plan_changed'), at('surgeon_rating'), at('minutes_saved'), at('clinician_feedback')]).toEqual(['yes', 'no', '4', '25', 'recorded']);
    expect(first!.join(',')).not.toContain('Osei');
  });

  it('maps each registry section for a model and a guide', () => {
    const [m, g] = rows as [string[], string[]];
    expect(Object.fromEntries(header!.map((k, i) => [k, m[i]]))).toMatchObject({
      case_ref: '1',
      object_number: '1',
      objects_in_case: '2',
      order_year: '2026',
      case_status: 'ready-for-billing',
      demo: 'no',
      icd10: 'S32.401A',
      anatomic_region: 'Pelvis',
      structures_ordered: 'Pelvis; Sacrum',
      patient_age: '64',
      patient_sex: 'male',
      priority: 'routine',
      appropriateness_rating: 'unknown',
      appropriateness_criteria_year: 'unknown',
      imaging_modality: 'CT',
      imaging_year: '2026',
      slice_thickness_mm: '0.625',
      contrast_phase: 'arterial',
      object_type: 'anatomic_model',
      guide_type: '',
      part_count: '2',
      anatomic_parts: 'Pelvis; Sacrum',
      segmentation_software: 'Materialise Mimics 26.0',
      cad_software: 'unknown',
      copies: '2',
      optical_property: 'transparent',
      part_colours: 'clear; clear',
      printer: 'J5 #1 – Stratasys J5 MediJet',
      print_technology: 'material-jetting',
      materials: 'VeroClear; VeroClear',
      scale_percent: '100',
      print_hours: '6.5',
      qa_max_deviation_mm: '0.4',
      qa_tolerance_mm: '1',
      used_in_care: 'yes',
      delivery_year: '2026',
      sterilization_method: '',
      effort_consultation_minutes: 'unknown',
      effort_consultation_clinician_minutes: 'unknown',
      effort_consultation_non_clinician_minutes: 'unknown',
      effort_segmentation_minutes: '120',
      effort_segmentation_clinician_minutes: 'unknown',
      effort_segmentation_non_clinician_minutes: 'unknown',
      effort_cad_minutes: 'unknown',
      effort_post_processing_minutes: 'unknown',
      clinician_feedback: 'not recorded',
      procedure_performed: 'unknown',
      plan_changed: 'unknown',
      surgeon_rating: 'unknown',
      minutes_saved: 'unknown',
    });
    expect(col(g, 'object_type')).toBe('anatomic_guide');
    expect(col(g, 'guide_type')).toBe('drilling');
    expect(col(g, 'object_number')).toBe('2');
    expect(col(g, 'materials')).toBe('MED610');
    expect(col(g, 'used_in_care')).toBe('no');
    expect(col(g, 'sterilization_method')).toBe('h2o2-plasma');
    expect(col(g, 'part_count')).toBe('');
  });

  it('splits effort into clinician and non-clinician time where the clinician part is recorded', () => {
    const split = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { segmentationClinicianMinutes: 30 } });
    const [h, r] = parseCsv(registryCsv([split], { scope: 'all', random: () => 0 }).csv);
    expect(r![h!.indexOf('effort_segmentation_minutes')]).toBe('120');
    expect(r![h!.indexOf('effort_segmentation_clinician_minutes')]).toBe('30');
    expect(r![h!.indexOf('effort_segmentation_non_clinician_minutes')]).toBe('90');
  });

  it('says whether feedback was recorded, never what it says', () => {
    const withFeedback = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: { feedback: 'Mr Żółć’s surgeon: model matched' } });
    const out = registryCsv([withFeedback], { scope: 'all', random: () => 0 }).csv;
    const body = out.split('\n').slice(1).join('\n'); // the header names a surgeon_rating column
    expect(body).toContain('recorded');
    expect(body).not.toMatch(/surgeon|matched|Żółć/);
  });

  it('leaves out cases not yet delivered unless all are asked for', () => {
    const open = lab.build({ through: 'segmenting' });
    expect(registryRows([c, open], { scope: 'delivered', random: () => 0 }).cases).toBe(1);
    expect(registryRows([c, open], { scope: 'all', random: () => 0 }).cases).toBe(2);
  });

  it('keeps demo cases, each of their rows saying demo = yes, and counts them', () => {
    const demoCase = lab.apply(null, { type: 'create', id: asCaseId(lab.nextId('case')), caseNumber: 'PP-2026-T1-90', input: orderInput({ deliverables: [lab.model('Heart model', ['Heart'])] }), demo: true });
    const out = registryCsv([c, demoCase], { scope: 'all', random: () => 0 });
    const [h, ...r] = parseCsv(out.csv);
    const byDemo = (value: string) => r.filter((row) => row[h!.indexOf('demo')] === value).length;
    expect([byDemo('yes'), byDemo('no'), r.length]).toEqual([1, 2, 3]);
    expect([out.cases, out.demoCases]).toEqual([2, 1]);
  });

  it('a case with no model or guide yet gives one row that says so', () => {
    const bare = lab.open([]);
    const [h, r] = parseCsv(registryCsv([bare], { scope: 'all', random: () => 0 }).csv);
    expect(r![h!.indexOf('object_type')]).toBe('none');
    expect(r![h!.indexOf('objects_in_case')]).toBe('0');
  });

  it('removes the case’s identifiers typed into a label, accents or not', () => {
    const typed = lab.open([lab.model('Model', ['Zolc pelvis', 'Sacrum MRN-100200', 'Case PP-2026-T1-1 femur'])]);
    const scrub = identifierScrubber(typed);
    expect(scrub('Zolc pelvis')).toBe('[removed] pelvis');
    expect(scrub('łukasz: sacrum')).toBe('[removed]: sacrum');
    const out = registryCsv([typed], { scope: 'all', random: () => 0 }).csv;
    expect(out).not.toMatch(/zolc|MRN-100200|100200/i);
    expect(out).toContain('[removed] pelvis');
  });
});

describe('CSV writing (RFC 4180)', () => {
  it('quotes fields with commas, quotes and line breaks, doubles quotes, ends lines with CRLF', () => {
    const rows = [['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rlf', ''], ['1', '2', '3', '4', '5', '6']];
    const text = toCsv(rows);
    expect(text).toBe('a,"b,c","say ""hi""","two\nlines","cr\rlf",\r\n1,2,3,4,5,6\r\n');
    expect(parseCsv(text)).toEqual(rows);
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(toCsv([['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'safe']])).toBe(`"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),safe\r\n`);
  });

  it('round-trips labels with commas and quotes through the registry export', () => {
    const lab = new Lab();
    const c = lab.open([lab.model('M', ['Vertebrae, T10–L2', 'The "tumour"'])]);
    const [h, r] = parseCsv(registryCsv([c], { scope: 'all', random: () => 0 }).csv);
    expect(r![h!.indexOf('anatomic_parts')]).toBe('Vertebrae, T10–L2; The "tumour"');
  });
});

describe('docs/exports.md', () => {
  it('documents every registry column', () => {
    const doc = readFileSync(resolve(process.cwd(), 'docs/exports.md'), 'utf8');
    const missing = REGISTRY_COLUMNS.filter((c) => !doc.includes(`\`${c.key}\``)).map((c) => c.key);
    expect(missing).toEqual([]);
  });
});
