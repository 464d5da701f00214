import { describe, expect, it } from 'vitest';
import { caseSummary, formatFieldValue, formatUtc, NOT_RECORDED, SUMMARY_FOOTER_NOTE, TrustPendingError } from '../../src/domain/case-summary';
import { verifiedCodes, verifiedStatus, type CaseTrust } from '../../src/domain/case-trust';
import { billingState } from '../../src/domain/billing-state';
import { Lab } from '../support/case-builder';
import { applyCommand } from '../../src/domain/commands';
import { CPT_DISCLAIMER, DEFAULT_CODE_TABLE } from '../../src/domain/cpt';
import { mueText } from '../../src/domain/cpt-notes';
import { generateCase, seededRng, type GeneratedCase } from '../../src/domain/demo-cases';
import type { Actor, Case, CaseEvent } from '../../src/domain/case';
import { asCaseId, asEventId, asUserId } from '../../src/domain/ids';
import { fieldDef } from '../../src/domain/stages';
import { verifiedTrust, withCheck, withSignature } from '../support/trust';

const tech: Actor = { id: asUserId('u-tech'), name: 'Tess Tech', roles: ['technician'] };
const rad: Actor = { id: asUserId('u-rad'), name: 'Dr. Rita Rad', roles: ['radiologist'] };
const NOW = '2026-04-01T12:00:00.000Z';

function generate(seed: number, progress: number): GeneratedCase {
  let n = 0;
  return generateCase(seededRng(seed), { index: seed, openedAt: '2026-03-01T08:00:00.000Z', technician: tech, radiologist: rad, progress, newId: () => `id-${seed}-${n++}`, caseNumber: `PP-2026-T1-${seed}` });
}

/** The first generated case that satisfies `accept`. */
function find(progress: number, accept: (c: Case) => boolean): GeneratedCase {
  for (let seed = 1; seed < 2000; seed++) {
    const g = generate(seed, progress);
    if (accept(g.case)) return g;
  }
  throw new Error('no such generated case');
}

const summarize = (c: Case, events: CaseEvent[]) => caseSummary(c, events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: NOW });
const field = (stage: Parameters<typeof fieldDef>[0], key: string) => {
  const f = fieldDef(stage, key);
  if (!f) throw new Error(`no field ${stage}.${key}`);
  return f;
};

describe('formatFieldValue', () => {
  it.each([
    ['imaging', 'sliceThicknessMm', 0.625, '0.625 mm'],
    ['segmenting', 'segmentationMinutes', 90, '90 min'],
    ['printing', 'printHours', 7.5, '7.5 h'],
    ['printing', 'scalePercent', 100, '100%'],
    ['printing', 'qaToleranceMm', 1, '1 mm'],
    ['imaging', 'modality', 'CBCT', 'Cone-beam CT'],
    ['imaging', 'contrastPhase', 'venous', 'Portal venous'],
    ['printing', 'technology', 'material-jetting', 'Material jetting (PolyJet)'],
    ['delivery', 'sterilizationMethod', 'h2o2-plasma', 'Hydrogen peroxide plasma'],
    ['delivery', 'usedInCare', 'unknown', 'Not yet known'],
    ['delivery', 'usedInCare', 'no', 'No'],
    ['delivery', 'deliveredAt', '2026-03-04T14:30', '2026-03-04 14:30'],
    ['imaging', 'studyDate', '2026-02-27', '2026-02-27'],
    ['imaging', 'accessionNumber', 'ACC1234567', 'ACC1234567'],
    ['imaging', 'modality', 'PET', 'PET'], // an option no longer in the table prints as stored
    ['imaging', 'sliceThicknessMm', null, NOT_RECORDED],
    ['imaging', 'accessionNumber', '', NOT_RECORDED],
    ['imaging', 'modality', undefined, NOT_RECORDED],
  ] as const)('%s.%s = %j → %s', (stage, key, value, expected) => {
    expect(formatFieldValue(field(stage, key), value)).toBe(expected);
  });
});

describe('formatUtc', () => {
  it.each([
    ['2026-03-01T08:05:59.999Z', '2026-03-01 08:05 UTC'],
    ['2026-03-01T23:30:00+02:00', '2026-03-01 21:30 UTC'],
    ['not a date', 'not a date'],
  ])('%s → %s', (iso, expected) => expect(formatUtc(iso)).toBe(expected));
});

describe('caseSummary', () => {
  it('holds the patient, the order, the deliverables and every stage of a closed case, formatted', () => {
    const g = find(5, (c) => c.deliverables.some((d) => d.kind === 'guide') && c.deliverables.some((d) => d.kind === 'model'));
    const c = g.case;
    const before = JSON.stringify(c);
    const s = summarize(c, g.events);
    expect(JSON.stringify(c)).toBe(before);

    expect(s.caseNumber).toBe(c.caseNumber);
    expect(s.caseId).toBe(c.id);
    expect(s.title).toBe(`Case summary ${c.caseNumber}`);
    expect(s.generatedAt).toBe('2026-04-01 12:00 UTC');
    expect(s.status).toBe('Closed for billing');
    expect(s.closed).toEqual({ at: formatUtc(c.closed!.at), by: 'Tess Tech' });
    expect(s.patient).toEqual({ name: c.phi.patientName, mrn: c.phi.mrn, dateOfBirth: c.phi.dateOfBirth, sex: c.phi.sex === 'female' ? 'Female' : 'Male' });
    expect(s.order).toMatchObject({ orderingPhysician: c.order.orderingPhysician, indication: c.phi.indication, icd10: c.order.icd10, structures: c.order.structures, dateNeeded: c.order.dateNeeded });
    expect(['Routine', 'Urgent', 'Emergent']).toContain(s.order.priority);

    const models = c.deliverables.filter((d) => d.kind === 'model');
    expect(s.deliverables.models.map((m) => m.components.length)).toEqual(models.map((m) => m.components.length));
    expect(s.deliverables.models[0]!.components[0]).toEqual({ structure: models[0]!.components[0]!.structure, colour: models[0]!.components[0]!.colour, material: models[0]!.components[0]!.material });
    expect(s.deliverables.guides.every((x) => x.guideType === 'Cutting guide' || x.guideType === 'Drilling guide')).toBe(true);

    expect(s.stages.map((x) => [x.title, x.complete, x.statusText])).toEqual([
      ['Imaging', true, 'Complete'],
      ['Segmenting', true, 'Complete'],
      ['Printing', true, 'Complete'],
      ['Delivery', true, 'Complete'],
    ]);
    const imaging = s.stages[0]!;
    expect(imaging.fields.find((f) => f.label === 'Slice thickness')!.value).toBe(`${c.stages.imaging.values.sliceThicknessMm} mm`);
    expect(imaging.fields.find((f) => f.label === 'Imaging notes')).toEqual({ label: 'Imaging notes', value: NOT_RECORDED, recorded: false });
    expect(imaging.checklist.map((i) => i.done)).toEqual([true, true]);
    expect(imaging.checklist[0]!.text).toMatch(/^Done — Tess Tech, 2026-03-0\d \d\d:\d\d UTC$/);
    expect(imaging.signoff).toEqual({ role: 'Radiologist', meaning: 'Imaging adequate for segmentation' });
    expect(imaging.signature).toEqual({
      printedName: 'Dr. Rita Rad',
      role: 'Radiologist',
      signedAt: formatUtc(c.stages.imaging.signature!.signedAt),
      meaning: 'Imaging adequate for segmentation',
      contentHash: c.stages.imaging.signature!.contentHash,
      covers: null,
      counts: true,
      check: { state: 'verified', text: 'The signature verifies with Dr. Rita Rad’s registered key.' },
      notCounted: null,
    });
    expect(s.stages[1]!.signature!.meaning).toBe('Segmentation verified against source images');
    expect(s.stages[2]!.signoff).toBeNull();

    const printing = s.stages[2]!;
    expect(printing.fields.find((f) => f.label === 'Scale')!.value).toBe('100%');
    // A case made after per-part QA: no single figure; each printed part measured, within its 1 mm tolerance.
    expect(printing.fields.find((f) => f.label === 'QA: accepted tolerance')).toBeUndefined();
    expect(s.partQa.legacy).toBeNull();
    expect(s.partQa.parts.length).toBeGreaterThan(0);
    expect(s.partQa.parts.every((p) => p.status === 'Passed' && p.checks[0]!.measurements[0]!.includes('± 1 mm'))).toBe(true);

    const delivery = s.stages[3]!;
    expect(delivery.fields.map((f) => f.label)).toContain('Sterilization method'); // the case has guides
    expect(delivery.fields.find((f) => f.label === 'Sterilization method')!.value).toBe('Hydrogen peroxide plasma');
    expect(delivery.perDeliverable.map((d) => d.deliverable)).toEqual(c.deliverables.map((d) => d.name));
    expect(delivery.perDeliverable.every((d) => d.values[0]!.label === "Used in this patient's care" && d.values[0]!.value === 'Yes')).toBe(true);
    expect(delivery.lastUpdated).toMatch(/^Tess Tech, 2026-03-\d\d \d\d:\d\d UTC$/);

    expect(s.codes.state).toBe('final');
    expect(s.codes.stateLabel).toBe('Closed for billing');
    expect(s.codes.billingState).toBe('closed');
    expect(s.codes.disclaimer).toBe(CPT_DISCLAIMER);
    expect(s.codes.frozenAt).toBe(s.closed!.at);
    expect(s.codes.lines.map((l) => l.code)).toEqual(expect.arrayContaining(['0559T', '0561T']));
    for (const l of s.codes.lines) expect(l.unitsText).toBe(`${l.units} ${l.units === 1 ? 'unit' : 'units'}`);
    expect(s.codes.lines.every((l) => l.reason.length > 0 && l.description.length > 0)).toBe(true);
    expect(s.footerNote).toBe(SUMMARY_FOOTER_NOTE);

    expect(s.history).toHaveLength(g.events.length);
    expect(s.history[0]).toEqual({ at: '2026-03-01 08:00 UTC', actor: 'Tess Tech', summary: `Case ${c.caseNumber} opened from the order` });
    // This case's codes carry one warning (an MUE before April 2026): the demo technician confirmed reading it.
    expect(c.closed!.billing.warnings).toHaveLength(1);
    expect(s.history.at(-1)!.summary).toBe('Case closed; suggested codes frozen for billing — Tess Tech confirmed having read the warning');
  });

  it('leaves out guide-only fields and checklist items when the case has no guides', () => {
    const g = find(4, (c) => c.deliverables.every((d) => d.kind === 'model'));
    const delivery = summarize(g.case, g.events).stages[3]!;
    expect(delivery.fields.map((f) => f.label)).not.toContain('Sterilization method');
    expect(delivery.checklist.map((i) => i.label)).toEqual(['Handed over and receipt confirmed']);
  });

  it('lists a voided signature with who voided it, when and why, and says the stage must be signed again', () => {
    const g = generate(3, 2);
    const r = applyCommand(g.case, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 3 } }, { actor: tech, now: '2026-03-20T10:00:00.000Z', eventId: asEventId('ev-edit') });
    if (!r.ok) throw new Error(r.reason);
    const s = summarize(r.case, [...g.events, r.event]);
    const imaging = s.stages[0]!;
    expect(imaging.signature).toBeNull();
    expect(imaging.voidedSignatures).toEqual([
      {
        printedName: 'Dr. Rita Rad',
        role: 'Radiologist',
        signedAt: formatUtc(g.case.stages.imaging.signature!.signedAt),
        meaning: 'Imaging adequate for segmentation',
        contentHash: g.case.stages.imaging.signature!.contentHash,
        covers: null,
        voidedBy: 'Tess Tech',
        voidedAt: '2026-03-20 10:00 UTC',
        reason: 'Changed: Slice thickness',
      },
    ]);
    expect(imaging.fields.find((f) => f.label === 'Slice thickness')!.value).toBe('3 mm');
    expect(imaging.complete).toBe(false);
    expect(imaging.statusText).toBe('Not complete: Needs radiologist sign-off: “Imaging adequate for segmentation”');
    // Later stages keep their data and their own signature, but wait for imaging.
    const segmenting = s.stages[1]!;
    expect(segmenting.signature?.printedName).toBe('Dr. Rita Rad');
    expect(segmenting.waitingFor).toBe('Imaging');
    expect(segmenting.blockers[0]).toBe('Waiting for imaging to complete');
    expect(s.history.at(-1)).toEqual({ at: '2026-03-20 10:00 UTC', actor: 'Tess Tech', summary: 'Imaging: Slice thickness — voided the Imaging signature' });
  });

  it('says what blocks an open case, and marks its codes provisional', () => {
    const g = generate(5, 2);
    const s = summarize(g.case, g.events);
    expect(s.status).toBe('In printing');
    const [, , printing, delivery] = s.stages;
    expect(printing!.complete).toBe(false);
    expect(printing!.waitingFor).toBeNull();
    expect(printing!.blockers).toContain('Enter printer');
    expect(printing!.checklist.every((i) => i.text === 'Not done' && i.by === null && i.at === null)).toBe(true);
    expect(printing!.lastUpdated).toBeNull();
    expect(delivery!.waitingFor).toBe('Printing');
    expect(delivery!.perDeliverable.every((d) => d.values[0]!.value === NOT_RECORDED && !d.values[0]!.recorded)).toBe(true);
    expect(s.codes.state).toBe('provisional');
    expect(s.codes.stateLabel).toBe('Provisional');
    expect(s.codes.frozenAt).toBeNull();
    expect(s.codes.reasons).toContain('Provisional: the workflow is not complete through delivery.');
  });

  it('shows an unticked item with who unticked it', () => {
    const g = generate(8, 1);
    const r = applyCommand(g.case, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: false }, { actor: tech, now: '2026-03-10T09:15:00.000Z', eventId: asEventId('ev-untick') });
    if (!r.ok) throw new Error(r.reason);
    const item = summarize(r.case, [...g.events, r.event]).stages[0]!.checklist[0]!;
    expect(item).toMatchObject({ done: false, by: 'Tess Tech', at: '2026-03-10 09:15 UTC', text: 'Not done (unticked) — Tess Tech, 2026-03-10 09:15 UTC' });
  });

  it('keeps the history in time order and leaves out other cases’ events', () => {
    const g = generate(9, 1);
    const foreign: CaseEvent = { ...g.events[0]!, id: asEventId('other'), caseId: asCaseId('another-case'), summary: 'Not this case' };
    const shuffled = [...g.events].reverse();
    const s = summarize(g.case, [foreign, ...shuffled]);
    expect(s.history.map((h) => h.summary)).toEqual(g.events.map((e) => e.summary));
  });

  it('reports a cancelled case with who cancelled it and why', () => {
    const g = generate(10, 1);
    const r = applyCommand(g.case, { type: 'cancel', reason: 'Surgery cancelled by the patient' }, { actor: tech, now: '2026-03-05T16:00:00.000Z', eventId: asEventId('ev-cancel') });
    if (!r.ok) throw new Error(r.reason);
    const s = summarize(r.case, [...g.events, r.event]);
    expect(s.status).toBe('Cancelled — nothing to bill');
    expect(s.cancelled).toEqual({ at: '2026-03-05 16:00 UTC', by: 'Tess Tech', reason: 'Surgery cancelled by the patient' });
    expect(s.codes.state).toBe('none');
    expect(s.codes.stateLabel).toBe('Cancelled — nothing to bill');
    expect(s.codes.nothingToBill).toBe('Nothing to bill: the case was cancelled. No code is suggested for a cancelled case.');
  });
});

describe('caseSummary from what verifies', () => {
  const lab = () => new Lab();
  it.each<[string, (c: Case) => CaseTrust, string, boolean]>([
    ['every check verifies', (c) => verifiedTrust(c), 'Ready for billing', false],
    ['the imaging signature does not verify', (c) => withSignature(verifiedTrust(c), 'imaging', { state: 'failed', text: 'Flipped.' }), 'In imaging', true],
    ['the stored record does not verify', (c) => withCheck(verifiedTrust(c), 'record', { state: 'failed', text: 'Differs.' }), 'Does not verify — do not bill from this record', true],
  ])('%s: the status the case page shows, and the banner', (_name, trustOf, status, banner) => {
    const l = lab();
    const c = l.build({ use: 'yes' });
    const trust = trustOf(c);
    const s = caseSummary(c, l.events, { codeTable: DEFAULT_CODE_TABLE, trust, generatedAt: NOW });
    expect(s.status).toBe(status);
    expect(s.status).toBe(billingState(c, verifiedStatus(c, trust), verifiedCodes(c, DEFAULT_CODE_TABLE, trust), { now: NOW.slice(0, 16), openedOn: c.createdAt.slice(0, 10) }).statusLabel);
    expect(s.verification.banner?.title ?? null).toBe(banner ? 'THIS RECORD DOES NOT VERIFY' : null);
    expect(s.codes.lines).toEqual(
      verifiedCodes(c, DEFAULT_CODE_TABLE, trust).lines.map((x) => ({
        ...x,
        serviceDate: x.serviceDate ?? null,
        unitsText: `${x.units} ${x.units === 1 ? 'unit' : 'units'}`,
        mue: mueText(x),
        aboveMue: (x.mue?.over ?? 0) > 0,
      })),
    );
  });

  it('is not made while a check is still running', () => {
    const l = lab();
    const c = l.build({ use: 'yes' });
    const trust = withCheck(verifiedTrust(c), 'history', { state: 'verifying', text: 'Being checked.' });
    expect(() => caseSummary(c, l.events, { codeTable: DEFAULT_CODE_TABLE, trust, generatedAt: NOW })).toThrow(TrustPendingError);
  });

  it('prints a signature that does not verify as recorded, not counted, and its stage not complete', () => {
    const l = lab();
    const c = l.build({ use: 'yes' });
    const s = caseSummary(c, l.events, { codeTable: DEFAULT_CODE_TABLE, trust: withSignature(verifiedTrust(c), 'imaging', { state: 'legacy', text: 'Made before the signed log.' }), generatedAt: NOW });
    const imaging = s.stages[0]!;
    expect(imaging.complete).toBe(false);
    expect(imaging.signature).toMatchObject({ counts: false, notCounted: 'SIGNATURE NOT CHECKED (made before the signed log) — not counted: Made before the signed log.' });
    expect(imaging.blockers).toContain('The radiologist sign-off does not count: Made before the signed log.');
    expect(s.verification.rows[0]).toMatchObject({ label: 'Sign-offs', state: 'legacy' });
    expect(s.verification.banner).toBeNull();
  });
});
