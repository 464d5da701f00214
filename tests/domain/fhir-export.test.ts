import { describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../src/domain/case';
import { DEFAULT_CODE_TABLE, suggestCodes } from '../../src/domain/cpt';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { base64, caseFhirBundle, CHARGE_NOTE, CPT, fhirFileName, ICD10_CM, type FhirBundle, type FhirExportOptions, type FhirResource } from '../../src/domain/fhir-export';
import { asUserId } from '../../src/domain/ids';
import { validateR4Bundle } from '../support/fhir-r4';
import { Lab, rad } from '../support/case-builder';

const GENERATED_AT = '2026-04-01T12:00:00.000Z';

function bundleOf(c: Case, extra: Partial<FhirExportOptions> = {}): FhirBundle {
  return caseFhirBundle(c, { suggestion: suggestCodes(c, DEFAULT_CODE_TABLE), generatedAt: GENERATED_AT, newUuid: () => crypto.randomUUID(), ...extra });
}

function resources<T extends FhirResource['resourceType']>(b: FhirBundle, type: T): Extract<FhirResource, { resourceType: T }>[] {
  return b.entry.map((e) => e.resource).filter((r): r is Extract<FhirResource, { resourceType: T }> => r.resourceType === type);
}
const urlOf = (b: FhirBundle, type: FhirResource['resourceType']) => b.entry.find((e) => e.resource.resourceType === type)!.fullUrl;

/** A case through delivery with a 2-component model and a guide, both used in care. */
function deliveredCase(lab = new Lab(), use: 'yes' | 'unknown' = 'yes') {
  const model = lab.model('Pelvis model', ['Pelvis', 'Sacrum']);
  const guide = lab.guide('Iliac guide');
  return lab.build({ deliverables: [model, guide], use });
}

describe('FHIR R4 Bundle of a case', () => {
  const c = deliveredCase();
  const b = bundleOf(c);

  it('passes the R4 structure check', () => {
    expect(validateR4Bundle(b)).toEqual([]);
  });

  it('is a collection of the case’s resources, each with a urn:uuid full URL', () => {
    expect(b).toMatchObject({ resourceType: 'Bundle', type: 'collection', timestamp: GENERATED_AT });
    expect(b.entry.map((e) => e.resource.resourceType)).toEqual(['Patient', 'ServiceRequest', 'Procedure', 'Provenance', 'Provenance', 'ChargeItem', 'ChargeItem', 'ChargeItem']);
    for (const e of b.entry) expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(b.meta.security).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' }]);
  });

  it('Patient: name, MRN, birth date and sex', () => {
    expect(resources(b, 'Patient')[0]).toEqual({
      resourceType: 'Patient',
      identifier: [{ use: 'usual', type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] }, value: 'MRN-100200' }],
      name: [{ text: 'Łukasz Żółć' }],
      gender: 'male',
      birthDate: '1961-05-14',
    });
  });

  it('ServiceRequest: the order with its ICD-10-CM reason, requester, date needed and priority', () => {
    const sr = resources(b, 'ServiceRequest')[0]!;
    expect(sr).toMatchObject({
      status: 'completed',
      intent: 'order',
      priority: 'routine',
      subject: { reference: urlOf(b, 'Patient') },
      occurrenceDateTime: '2026-03-20',
      authoredOn: c.createdAt,
      requester: { display: 'Dr. A. Rahman (Orthopaedics)' },
      reasonCode: [{ coding: [{ system: ICD10_CM, code: 'S32.401A' }], text: 'Acetabular fracture, pre-operative planning of fixation' }],
      bodySite: [{ text: 'Pelvis' }],
      identifier: [{ type: { text: 'Printpath case number' }, value: c.caseNumber }],
    });
    expect(sr.note?.map((n) => n.text)).toEqual(['Structures to include: Pelvis; Sacrum', 'Requester contact: pager 4411']);
  });

  it.each([['routine', 'routine'], ['urgent', 'urgent'], ['emergent', 'stat']] as const)('priority %s → %s', (priority, fhir) => {
    const lab = new Lab();
    const opened = lab.open(undefined, { priority });
    expect(resources(bundleOf(opened), 'ServiceRequest')[0]!.priority).toBe(fhir);
  });

  it('Procedure: the work, based on the order, with status, period, body site and each stage’s record', () => {
    const p = resources(b, 'Procedure')[0]!;
    expect(p).toMatchObject({
      status: 'completed',
      basedOn: [{ reference: urlOf(b, 'ServiceRequest') }],
      subject: { reference: urlOf(b, 'Patient') },
      performedPeriod: { start: c.createdAt, end: '2026-03-10' },
      bodySite: [{ text: 'Pelvis' }],
      performer: [{ actor: { display: 'Tess Technician' } }],
    });
    expect(p.code.text).toMatch(/^Point-of-care 3D printing: Pelvis model \(model: Pelvis/);
    const notes = p.note!.map((n) => n.text);
    expect(notes).toContainEqual(expect.stringMatching(/^Imaging: Modality: CT; Study date: 2026-02-27; Accession number: ACC1234567; Slice thickness: 0.625 mm/));
    expect(notes).toContainEqual(expect.stringMatching(/^Delivery: .*Iliac guide — Used in this patient's care: Yes/));
  });

  it('Provenance: one per sign-off, who (printed name), when, and the meaning, targeting the Procedure', () => {
    const provenance = resources(b, 'Provenance');
    const sig = c.stages.imaging.signature!;
    expect(provenance[0]).toEqual({
      resourceType: 'Provenance',
      target: [{ reference: urlOf(b, 'Procedure'), display: `Imaging stage of case ${c.caseNumber}` }],
      occurredDateTime: sig.signedAt,
      recorded: sig.signedAt,
      activity: { text: 'Imaging adequate for segmentation' },
      agent: [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'verifier', display: 'Verifier' }] }, role: [{ text: 'Radiologist' }], who: { display: rad.name } }],
      entity: [{ role: 'source', what: { identifier: { type: { text: 'SHA-256 of the canonical signed content' }, value: sig.contentHash }, display: 'Imaging record as signed' } }],
      signature: [{ type: [{ system: 'urn:iso-astm:E1762-95:2013', code: '1.2.840.10065.1.12.1.5', display: 'Verification Signature' }], when: sig.signedAt, who: { display: rad.name } }],
    });
    expect(provenance[1]!.activity.text).toBe('Segmentation verified against source images');
  });

  it('ChargeItem: one per suggested CPT line, with units, billable when final, noted as a suggestion', () => {
    const charges = resources(b, 'ChargeItem');
    expect(charges.map((x) => [x.code.coding![0]!.system, x.code.coding![0]!.code, x.quantity.value, x.status])).toEqual([
      [CPT, '0559T', 1, 'billable'],
      [CPT, '0560T', 1, 'billable'],
      [CPT, '0561T', 1, 'billable'],
    ]);
    for (const x of charges) {
      expect(x.subject).toEqual({ reference: urlOf(b, 'Patient'), display: 'Łukasz Żółć' });
      expect(x.service).toEqual([{ reference: urlOf(b, 'Procedure') }]);
      expect(x.note[0]).toEqual({ text: CHARGE_NOTE });
      expect(x.occurrenceDateTime).toBe('2026-03-10');
    }
  });

  it('marks provisional suggestions as planned', () => {
    const provisional = bundleOf(deliveredCase(new Lab(), 'unknown'));
    expect(resources(provisional, 'ChargeItem').map((x) => x.status)).toEqual(['planned', 'planned', 'planned']);
    expect(validateR4Bundle(provisional)).toEqual([]);
  });

  it('has no DocumentReference without the PDF, and one with the PDF as base64 when given', () => {
    expect(resources(b, 'DocumentReference')).toEqual([]);
    const bytes = new TextEncoder().encode('%PDF-1.7 fake pdf bytes…');
    const withPdf = bundleOf(c, { pdf: { bytes, fileName: 'case-PP-1.pdf' } });
    const doc = resources(withPdf, 'DocumentReference')[0]!;
    expect(doc.content[0]!.attachment).toEqual({ contentType: 'application/pdf', data: Buffer.from(bytes).toString('base64'), title: 'case-PP-1.pdf', size: bytes.length, creation: GENERATED_AT });
    expect(doc.subject.reference).toBe(urlOf(withPdf, 'Patient'));
    expect(doc.context.related).toEqual([{ reference: urlOf(withPdf, 'Procedure') }]);
    expect(validateR4Bundle(withPdf)).toEqual([]);
  });
});

describe('FHIR status and signatures through the workflow', () => {
  it('an order just opened: procedure in preparation, request active, no sign-off yet', () => {
    const b = bundleOf(new Lab().open());
    expect(resources(b, 'Procedure')[0]).toMatchObject({ status: 'preparation', performedPeriod: { start: expect.any(String) } });
    expect(resources(b, 'Procedure')[0]!.performedPeriod.end).toBeUndefined();
    expect(resources(b, 'ServiceRequest')[0]!.status).toBe('active');
    expect(resources(b, 'Provenance')).toEqual([]);
    expect(validateR4Bundle(b)).toEqual([]);
  });

  it('a case in progress: in-progress', () => {
    expect(resources(bundleOf(new Lab().build({ through: 'segmenting' })), 'Procedure')[0]!.status).toBe('in-progress');
  });

  it('a cancelled case: stopped with the reason, request revoked, no charges', () => {
    const lab = new Lab();
    const c = lab.apply(lab.build({ through: 'imaging' }), { type: 'cancel', reason: 'Surgery moved to another hospital' });
    const b = bundleOf(c);
    expect(resources(b, 'Procedure')[0]).toMatchObject({ status: 'stopped', statusReason: { text: 'Surgery moved to another hospital' }, performedPeriod: { end: c.cancelled!.at } });
    expect(resources(b, 'ServiceRequest')[0]!.status).toBe('revoked');
    expect(resources(b, 'ChargeItem')).toEqual([]);
    expect(validateR4Bundle(b)).toEqual([]);
  });

  it('a signature voided by a later edit is not exported; one that failed verification is not either', () => {
    const lab = new Lab();
    const signed = lab.build({ through: 'segmenting' });
    const edited = lab.apply(signed, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 1 } });
    expect(resources(bundleOf(edited), 'Provenance').map((p) => p.activity.text)).toEqual(['Segmentation verified against source images']);
    expect(resources(bundleOf(signed, { distrusted: new Set(['segmenting']) }), 'Provenance').map((p) => p.activity.text)).toEqual(['Imaging adequate for segmentation']);
  });

  it('every generated case, at every stage, passes the R4 structure check', () => {
    const tech: Actor = { id: asUserId('t'), name: 'Alex Morgan', roles: ['technician'] };
    const radiologist: Actor = { id: asUserId('r'), name: 'Dr. Priya Raman', roles: ['radiologist'] };
    const rng = seededRng(42);
    const problems: string[] = [];
    for (let i = 0; i < 60; i++) {
      const c = generateCase(rng, { index: i, openedAt: '2026-01-05T09:00:00.000Z', technician: tech, radiologist, progress: i % 6, newId: () => crypto.randomUUID(), caseNumber: `PP-2026-T1-${i}` }).case;
      problems.push(...validateR4Bundle(bundleOf(c, { pdf: i % 2 ? { bytes: Uint8Array.of(37, 80, 68, 70), fileName: 'x.pdf' } : null })).map((p) => `${c.caseNumber}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('a demo case', () => {
  it('is tagged as test data (HL7 HTEST) on the Bundle and on every resource; a real case carries no tag', () => {
    const lab = new Lab();
    const model = lab.model('Pelvis model', ['Pelvis']);
    const real = lab.build({ deliverables: [model] });
    const demo = { ...real, demo: true };
    const tag = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST', display: 'test health data' };

    const demoBundle = bundleOf(demo, { pdf: { bytes: Uint8Array.of(37, 80, 68, 70), fileName: 'x.pdf' } });
    expect(demoBundle.meta.tag).toEqual([tag]);
    expect(demoBundle.entry.map((e) => e.resource.resourceType)).toContain('DocumentReference');
    for (const e of demoBundle.entry) expect(e.resource.meta, e.resource.resourceType).toEqual({ tag: [tag] });
    expect(validateR4Bundle(demoBundle)).toEqual([]);

    const realBundle = bundleOf(real);
    expect(realBundle.meta).not.toHaveProperty('tag');
    for (const e of realBundle.entry) expect(e.resource).not.toHaveProperty('meta');
    expect(JSON.stringify(realBundle)).not.toContain('HTEST');
  });
});

describe('the R4 check itself finds problems', () => {
  const good = bundleOf(deliveredCase());
  const broken = (mutate: (b: FhirBundle & Record<string, unknown>) => void) => {
    const b = structuredClone(good) as FhirBundle & Record<string, unknown>;
    mutate(b);
    return validateR4Bundle(b);
  };
  const entry = (b: FhirBundle, type: string) => b.entry.find((e) => e.resource.resourceType === type)!.resource as unknown as Record<string, unknown>;

  it.each([
    ['a missing required element', (b: FhirBundle) => void delete entry(b, 'Procedure').status, /Procedure\)\.status: required/],
    ['a code outside a required value set', (b: FhirBundle) => void (entry(b, 'ServiceRequest').priority = 'emergent'), /not in the required value set/],
    ['a date in the wrong format', (b: FhirBundle) => void (entry(b, 'Patient').birthDate = '14/05/1961'), /not a valid date/],
    ['a time without a zone', (b: FhirBundle) => void (entry(b, 'ServiceRequest').authoredOn = '2026-03-02T08:00'), /not a valid dateTime/],
    ['an instant without seconds', (b: FhirBundle) => void (entry(b, 'Provenance').recorded = '2026-03-02'), /not a valid instant/],
    ['an element R4 does not have', (b: FhirBundle) => void (entry(b, 'ChargeItem').units = 2), /ChargeItem\)\.units: not an element of R4 ChargeItem/],
    ['a reference to nothing in the Bundle', (b: FhirBundle) => void (entry(b, 'ChargeItem').subject = { reference: 'urn:uuid:00000000-0000-0000-0000-000000000000' }), /does not resolve within the Bundle/],
    ['a reference to the wrong type', (b: FhirBundle) => void (entry(b, 'Procedure').subject = { reference: b.entry[1]!.fullUrl }), /refers to a ServiceRequest; R4 allows Patient \| Group/],
    ['a single value given as a list', (b: FhirBundle) => void (entry(b, 'Procedure').code = [{ text: 'x' }]), /must be a single value/],
    ['an empty list', (b: FhirBundle) => void (entry(b, 'Procedure').note = []), /empty array/],
    ['two variants of a choice', (b: FhirBundle) => void (entry(b, 'Procedure').performedDateTime = '2026-03-02'), /more than one of performedDateTime, performedPeriod/],
    ['a malformed CPT code', (b: FhirBundle) => void ((entry(b, 'ChargeItem').code as { coding: { code: string }[] }).coding[0]!.code = '559T'), /is not a code of http:\/\/www.ama-assn.org\/go\/cpt/],
    ['a malformed ICD-10-CM code', (b: FhirBundle) => void ((entry(b, 'ServiceRequest').reasonCode as { coding: { code: string }[] }[])[0]!.coding[0]!.code = 'pelvis'), /icd-10-cm/],
    ['a period ending before it starts', (b: FhirBundle) => void ((entry(b, 'Procedure').performedPeriod as { end: string }).end = '2020-01-01'), /per-1/],
    ['a duplicate fullUrl', (b: FhirBundle) => void (b.entry[4]!.fullUrl = b.entry[3]!.fullUrl), /bdl-7/],
    ['a fullUrl that is not a urn:uuid', (b: FhirBundle) => void (b.entry[0]!.fullUrl = 'Patient/1'), /is not a urn:uuid/],
  ])('%s', (_name, mutate, message) => {
    expect(broken(mutate).join('\n')).toMatch(message);
  });
});

describe('helpers', () => {
  it('base64 matches Node’s for every length remainder', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('names the file after the case number only', () => {
    expect(fhirFileName('PP-2026-T1-0007')).toBe('case-PP-2026-T1-0007.fhir.json');
    expect(fhirFileName('../x y')).toBe('case-x-y.fhir.json');
  });
});
