// @vitest-environment node
// The FHIR export checked by validators Printpath did not write (tests/support/fhir-oracles.ts):
// Medplum's R4 validator and HL7's R4 JSON schema, beside our own structure check
// (tests/support/fhir-r4.ts), which resolves references within the Bundle and checks
// bindings, choice types and empty arrays that neither of the two does.
import type * as R4 from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../src/domain/case';
import { DEFAULT_CODE_TABLE, suggestCodes } from '../../src/domain/cpt';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { caseFhirBundle, type FhirBundle } from '../../src/domain/fhir-export';
import { asUserId } from '../../src/domain/ids';
import { Lab } from '../support/case-builder';
import { medplumIssues, schemaIssues } from '../support/fhir-oracles';
import { validateR4Bundle } from '../support/fhir-r4';

const GENERATED_AT = '2026-04-01T12:00:00.000Z';
const PDF = { bytes: new TextEncoder().encode('%PDF-1.7 summary'), fileName: 'case-summary.pdf' };

function bundleOf(c: Case, pdf = true): FhirBundle {
  const bundle = caseFhirBundle(c, { suggestion: suggestCodes(c, DEFAULT_CODE_TABLE), generatedAt: GENERATED_AT, newUuid: () => crypto.randomUUID(), pdf: pdf ? PDF : null });
  // Our types are R4's too: the export must be assignable to Medplum's R4 Bundle type.
  const typed: R4.Bundle = bundle;
  return typed as FhirBundle;
}

function closedCase(): Case {
  const lab = new Lab();
  const c = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis', 'Sacrum']), lab.guide('Iliac guide')], use: 'yes' });
  return lab.apply(c, { type: 'close', codeTable: DEFAULT_CODE_TABLE, confirmedWarnings: suggestCodes(c, DEFAULT_CODE_TABLE).warnings });
}

const cases: [string, () => Case][] = [
  ['a closed case (delivered, used in care, closed, with its PDF)', closedCase],
  ['an open case just ordered', () => new Lab().open()],
  ['an open case half-way, its suggestion provisional', () => new Lab().build({ through: 'printing' })],
  ['a case cancelled after imaging was signed', () => {
    const lab = new Lab();
    return lab.apply(lab.build({ through: 'imaging' }), { type: 'cancel', reason: 'Surgery moved to another hospital' });
  }],
  ['a case cancelled before any work', () => {
    const lab = new Lab();
    return lab.apply(lab.open(), { type: 'cancel', reason: 'Duplicate order' });
  }],
  ['a demo case (tagged as test data)', () => ({ ...closedCase(), demo: true })],
];

function allIssues(b: FhirBundle): string[] {
  return [
    ...medplumIssues(b).map((p) => `Medplum: ${p}`),
    ...schemaIssues(b).map((p) => `R4 JSON schema: ${p}`),
    // Each resource on its own as well: a receiver may split the Bundle.
    ...b.entry.flatMap((e) => [...medplumIssues(e.resource), ...schemaIssues(e.resource)].map((p) => `${e.resource.resourceType}: ${p}`)),
    ...validateR4Bundle(b).map((p) => `structure check: ${p}`),
  ];
}

// Loading R4's StructureDefinitions and compiling the whole R4 schema take seconds (more on a busy machine): once, up front.
beforeAll(() => {
  medplumIssues({ resourceType: 'Basic', code: { text: 'warm-up' } });
  schemaIssues({ resourceType: 'Basic', code: { text: 'warm-up' } });
}, 120_000);

describe('the FHIR R4 export, checked by Medplum’s validator and HL7’s R4 JSON schema', () => {
  it.each(cases)('%s passes both', (_name, make) => {
    expect(allIssues(bundleOf(make()))).toEqual([]);
  });

  it('every resource type the export writes is among those checked', () => {
    const types = new Set(cases.flatMap(([, make]) => bundleOf(make()).entry.map((e) => e.resource.resourceType)));
    expect([...types].sort()).toEqual(['ChargeItem', 'DocumentReference', 'Patient', 'Procedure', 'Provenance', 'ServiceRequest']);
    const closed = bundleOf(closedCase());
    expect(closed.entry.filter((e) => e.resource.resourceType === 'ChargeItem').map((e) => (e.resource as { status: string }).status)).toContain('billable');
  });

  it('every generated case, at every stage, with and without its PDF, passes both', () => {
    const tech: Actor = { id: asUserId('t'), name: 'Alex Morgan', roles: ['technician'] };
    const radiologist: Actor = { id: asUserId('r'), name: 'Dr. Priya Raman', roles: ['radiologist'] };
    const rng = seededRng(7);
    const problems: string[] = [];
    for (let i = 0; i < 36; i++) {
      const c = generateCase(rng, { index: i, openedAt: '2026-01-05T09:00:00.000Z', technician: tech, radiologist, progress: i % 6, newId: () => crypto.randomUUID(), caseNumber: `PP-2026-G-${i}` }).case;
      problems.push(...allIssues(bundleOf(c, i % 2 === 0)).map((p) => `${c.caseNumber}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('the two validators are awake: each finds what it should', () => {
  const good = bundleOf(closedCase());
  const breakIt = (type: string, mutate: (r: Record<string, unknown>) => void) => {
    const b = structuredClone(good);
    mutate(b.entry.find((e) => e.resource.resourceType === type)!.resource as unknown as Record<string, unknown>);
    return { medplum: medplumIssues(b).join('\n'), schema: schemaIssues(b).join('\n') };
  };

  type Row = [name: string, type: string, mutate: (r: Record<string, unknown>) => void, medplum: RegExp, schema: RegExp];
  it.each<Row>([
    ['an element R4 does not have', 'ChargeItem', (r) => (r.units = 2), /units/, /additional properties.*units/],
    ['a missing required element', 'Procedure', (r) => delete r.subject, /subject: Missing required property/, /required property 'subject'/],
    ['a date in the wrong format', 'Patient', (r) => (r.birthDate = '14/05/1961'), /birthDate: Invalid date format/, /birthDate: must match pattern/],
    ['a time without a zone', 'ServiceRequest', (r) => (r.authoredOn = '2026-03-02T08:00'), /authoredOn: Invalid dateTime format/, /authoredOn: must match pattern/],
    ['a single value where R4 has a list', 'Procedure', (r) => (r.note = { text: 'x' }), /note: Expected array/, /note: must be array/],
  ])('%s', (_name, type, mutate, medplum, schema) => {
    const found = breakIt(type, mutate);
    expect(found.medplum).toMatch(medplum);
    expect(found.schema).toMatch(schema);
  });

  it('each catches something the other lets through', () => {
    // An empty string: HL7's schema pattern for string rejects it; Medplum does not look.
    expect(breakIt('Procedure', (r) => void (r.code = { text: '' }))).toEqual({ medplum: '', schema: expect.stringMatching(/\/code\/text: must match pattern/) });
    // A string where a CodeableConcept belongs: the schema's complex types do not say "object"; Medplum reads it as one.
    expect(breakIt('Procedure', (r) => void (r.code = 'x'))).toEqual({ medplum: expect.stringMatching(/resource\.code\.0: Invalid additional property/), schema: '' });
  });
});
