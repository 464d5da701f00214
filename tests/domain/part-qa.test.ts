// Dimensional QA per printed part: pass or fail, what blocks delivery, acceptance with a
// reason, the single figure of cases recorded before it, and digital models.
import { describe, expect, it } from 'vitest';
import type { Actor, Case } from '../../src/domain/case';
import { caseHash } from '../../src/domain/case-hash';
import { asUserId } from '../../src/domain/ids';
import { checkPasses, deviationMm, legacyQaText, measurementPasses, partQaState, partQaSummary, printedParts, type QaMeasurement } from '../../src/domain/part-qa';
import { ACCEPT_NEEDS_REASON } from '../../src/domain/part-qa-commands';
import { joinPhi, splitPhi } from '../../src/domain/phi';
import { registryRows } from '../../src/domain/registry-export';
import { stageDef } from '../../src/domain/stages';
import { applicableFields, deriveStatus, ownBlockers, stageStates } from '../../src/domain/workflow';
import { Lab, PRINTING_VALUES, rad, tech } from '../support/case-builder';

const admin: Actor = { id: asUserId('u-admin'), name: 'Ada Admin', roles: ['admin'] };
const { qaMeasuredErrorMm: _m, qaToleranceMm: _t, ...NEW_PRINTING } = PRINTING_VALUES;

const m = (nominalMm: number, measuredMm: number, toleranceMm: number, what = 'Slot length'): QaMeasurement => ({ what, nominalMm, measuredMm, toleranceMm });

/** A case recorded after per-part QA existed: printing recorded without the single figure. */
function atPrinting(lab: Lab, deliverables = [lab.model('Pelvis model', ['Pelvis', 'Sacrum']), lab.guide('Iliac cutting guide')]): Case {
  let c = lab.build({ deliverables, through: 'segmenting' });
  c = lab.apply(c, { type: 'saveStage', stage: 'printing', values: NEW_PRINTING });
  return lab.tickAll(c, 'printing');
}

const partIds = (c: Case) => printedParts(c).map((p) => p.id);
const record = (lab: Lab, c: Case, partId: string, measurements: QaMeasurement[], reprinted = false) =>
  lab.apply(c, { type: 'recordPartQa', partId, measurements, ...(reprinted ? { reprinted } : {}) });
const passAll = (lab: Lab, c: Case) => partIds(c).reduce((acc, id) => record(lab, acc, id, [m(40, 40.1, 0.2)]), c);
const printingBlockers = (c: Case) => stageStates(c).find((s) => s.id === 'printing')!.blockers;

describe('a measurement passes when |measured − nominal| ≤ tolerance', () => {
  it.each([
    [10, 10.05, 0.05, true],
    [10, 9.95, 0.05, true],
    [10, 10.06, 0.05, false],
    [10, 9.94, 0.05, false],
    [40, 40.3, 0.2, false],
    [40, 40, 0.01, true],
    [25.4, 25.5, 0.1, true],
  ])('nominal %s mm, measured %s mm, tolerance %s mm → pass %s', (nominal, measured, tolerance, pass) => {
    expect(measurementPasses(m(nominal, measured, tolerance))).toBe(pass);
  });

  it('a check passes only when every measurement does', () => {
    expect(checkPasses({ measurements: [m(10, 10, 0.1), m(20, 20.05, 0.1)] })).toBe(true);
    expect(checkPasses({ measurements: [m(10, 10, 0.1), m(20, 20.5, 0.1, 'Hole spacing')] })).toBe(false);
    expect(deviationMm(m(20, 19.7, 0.1))).toBe(0.3);
  });
});

describe('every printed part needs its QA before the case can be delivered', () => {
  it('a new case lists each component and guide still to measure; the printing stage waits for them', () => {
    const lab = new Lab();
    const c = atPrinting(lab);
    expect(printingBlockers(c)).toEqual([
      'Pelvis model – Pelvis: record its dimensional QA (what was measured, nominal, measured, tolerance)',
      'Pelvis model – Sacrum: record its dimensional QA (what was measured, nominal, measured, tolerance)',
      'Iliac cutting guide: record its dimensional QA (what was measured, nominal, measured, tolerance)',
    ]);
    expect(deriveStatus(c)).toMatchObject({ code: 'in-stage', stage: 'printing' });
  });

  it('the single figure is asked no more of a new case, but is still accepted from an older app', () => {
    const lab = new Lab();
    const c = atPrinting(lab);
    expect(applicableFields(stageDef('printing'), c).map((f) => f.key)).not.toContain('qaMeasuredErrorMm');
    expect(ownBlockers(c, 'printing').some((b) => b.includes('QA: largest measured deviation'))).toBe(false);
    const old = lab.apply(c, { type: 'saveStage', stage: 'printing', values: { qaMeasuredErrorMm: 0.3, qaToleranceMm: 1 } });
    expect(applicableFields(stageDef('printing'), old).map((f) => f.key)).toContain('qaMeasuredErrorMm');
  });

  it('passing checks of every part complete printing, and delivery can follow', () => {
    const lab = new Lab();
    let c = passAll(lab, atPrinting(lab));
    expect(printingBlockers(c)).toEqual([]);
    c = lab.recordDelivery(c);
    expect(deriveStatus(c).code).toBe('ready-for-billing');
    const check = c.partQa![0]!;
    expect(check).toMatchObject({ by: tech.id, byName: tech.name, measurements: [m(40, 40.1, 0.2)] });
    expect(check.at).toBe(lab.events.find((e) => e.type === 'recordPartQa')!.at);
  });

  it('a failed check blocks delivery and says what failed', () => {
    const lab = new Lab();
    let c = passAll(lab, atPrinting(lab));
    const guide = c.deliverables.find((d) => d.kind === 'guide')!;
    c = record(lab, c, guide.id, [m(12, 12.05, 0.1, 'Drill sleeve diameter'), m(40, 40.4, 0.2, 'Slot length')]);
    expect(lab.events.at(-1)!.summary).toBe('Printing QA of Iliac cutting guide: FAIL');
    expect(printingBlockers(c)).toEqual([
      'Iliac cutting guide: QA out of tolerance (Slot length: 40.4 mm against 40 ± 0.2 mm): reprint it and measure again, or a radiologist or lab admin accepts it with a reason',
    ]);
    expect(lab.attempt(c, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 4' } })).toEqual({ ok: false, reason: 'Complete printing before recording delivery' });
  });

  it('a failed check recorded after delivery was recorded takes the case back to printing', () => {
    const lab = new Lab();
    let c = lab.recordDelivery(passAll(lab, atPrinting(lab)));
    expect(deriveStatus(c).code).toBe('ready-for-billing');
    c = record(lab, c, partIds(c)[0]!, [m(100, 99, 0.5, 'Width')]);
    expect(deriveStatus(c)).toMatchObject({ code: 'in-stage', stage: 'printing' });
    expect(stageStates(c).find((s) => s.id === 'delivery')!.complete).toBe(false);
  });

  it('a reprint measured again with a pass unblocks it; the failed check stays on record', () => {
    const lab = new Lab();
    let c = passAll(lab, atPrinting(lab));
    const guide = c.deliverables.find((d) => d.kind === 'guide')!;
    c = record(lab, c, guide.id, [m(40, 40.4, 0.2)]);
    c = record(lab, c, guide.id, [m(40, 40.05, 0.2)], true);
    expect(printingBlockers(c)).toEqual([]);
    expect(lab.events.at(-1)!.summary).toBe('Printing QA of Iliac cutting guide (reprinted): pass');
    expect(c.partQa!.filter((x) => x.partId === guide.id).map(checkPasses)).toEqual([true, false, true]);
  });
});

describe('accepting a part out of tolerance', () => {
  function failed() {
    const lab = new Lab();
    let c = passAll(lab, atPrinting(lab));
    const guide = c.deliverables.find((d) => d.kind === 'guide')!;
    c = record(lab, c, guide.id, [m(40, 40.4, 0.2)]);
    return { lab, c, checkId: c.partQa!.at(-1)!.id };
  }

  it.each([
    ['a technician', tech, 'Fits the bone model; surgeon agreed', 'Only a radiologist or lab admin can accept a part out of tolerance'],
    ['a radiologist without a reason', rad, '   ', ACCEPT_NEEDS_REASON],
    ['a demo radiologist on a real case', { ...rad, demo: true }, 'ok', 'Demo people cannot accept parts of real cases'],
  ])('%s is refused and nothing changes', (_who, actor, reason, refusal) => {
    const { lab, c, checkId } = failed();
    const r = lab.attempt(c, { type: 'acceptPartQa', checkId, reason }, actor);
    expect(r).toEqual({ ok: false, reason: refusal });
    expect(partQaState(c, c.partQa!.at(-1)!.partId).state).toBe('failed');
  });

  it.each([['a radiologist', rad], ['a lab admin', admin]])('%s accepts it with a reason: on the audit trail, and delivery is no longer blocked', (_who, actor) => {
    const { lab, c: failedCase, checkId } = failed();
    const now = lab.now();
    const c = lab.apply(failedCase, { type: 'acceptPartQa', checkId, reason: ' Slot is 0.4 mm long; the saw blade still guides. Surgeon agreed. ' }, actor, now);
    expect(c.partQa!.at(-1)!.accepted).toEqual({ at: now, by: actor.id, byName: actor.name, reason: 'Slot is 0.4 mm long; the saw blade still guides. Surgeon agreed.' });
    const event = lab.events.at(-1)!;
    expect(event).toMatchObject({ type: 'acceptPartQa', actorName: actor.name, at: now });
    expect(event.summary).toBe(`Printing QA of Iliac cutting guide accepted out of tolerance by ${actor.name}: “Slot is 0.4 mm long; the saw blade still guides. Surgeon agreed.”`);
    expect(event.changes).toEqual([{ field: 'Iliac cutting guide: QA accepted out of tolerance', before: null, after: 'Slot is 0.4 mm long; the saw blade still guides. Surgeon agreed.' }]);
    expect(printingBlockers(c)).toEqual([]);
    expect(deriveStatus(lab.recordDelivery(c)).code).toBe('ready-for-billing');
  });

  it('only the latest failed check can be accepted, once', () => {
    const { lab, c: failedCase, checkId } = failed();
    const accepted = lab.apply(failedCase, { type: 'acceptPartQa', checkId, reason: 'Surgeon agreed' }, rad);
    expect(lab.attempt(accepted, { type: 'acceptPartQa', checkId, reason: 'again' }, rad)).toEqual({ ok: false, reason: `Iliac cutting guide was already accepted by ${rad.name}` });
    const guideId = failedCase.partQa!.at(-1)!.partId;
    const remeasured = record(lab, failedCase, guideId, [m(40, 40.5, 0.2)]);
    expect(lab.attempt(remeasured, { type: 'acceptPartQa', checkId, reason: 'Surgeon agreed' }, rad)).toEqual({ ok: false, reason: 'A newer QA check of Iliac cutting guide was recorded: only the latest check can be accepted' });
    const passing = passAll(lab, atPrinting(lab)).partQa![0]!;
    const c = passAll(new Lab(), atPrinting(new Lab()));
    expect(lab.attempt(c, { type: 'acceptPartQa', checkId: c.partQa![0]!.id, reason: 'x' }, rad)).toEqual({ ok: false, reason: 'Pelvis model – Pelvis passed its QA: there is nothing to accept' });
    expect(passing.accepted).toBeUndefined();
  });

  it('the reason is sealed with the PHI, not stored in the clear', () => {
    const { lab, c: failedCase, checkId } = failed();
    const c = lab.apply(failedCase, { type: 'acceptPartQa', checkId, reason: 'Mr Żółć’s surgeon agreed' }, rad);
    const { clear, phi } = splitPhi(c);
    expect(JSON.stringify(clear)).not.toContain('surgeon agreed');
    expect(phi.qaReasons).toEqual({ [checkId]: 'Mr Żółć’s surgeon agreed' });
    expect(joinPhi(clear, phi)).toEqual(c);
    expect(splitPhi(passAll(new Lab(), atPrinting(new Lab()))).phi).not.toHaveProperty('qaReasons');
  });
});

describe('what a QA check refuses (and nothing changes)', () => {
  it.each([
    ['no measurement', [], 'Record at least one measurement'],
    ['what was measured left blank', [m(40, 40, 0.2, '  ')], 'Say what was measured'],
    ['a zero tolerance', [m(40, 40, 0)], 'The tolerance is from 0.01 to 10 mm'],
    ['a negative size', [m(40, -1, 0.2)], 'The measured size is from 0 to 2000 mm'],
  ])('%s', (_what, measurements, refusal) => {
    const lab = new Lab();
    const c = atPrinting(lab);
    expect(lab.attempt(c, { type: 'recordPartQa', partId: partIds(c)[0]!, measurements })).toEqual({ ok: false, reason: refusal });
  });

  it('a part of a digital model, or a part not in the case', () => {
    const lab = new Lab();
    const c = atPrinting(lab, [lab.model('Heart model', ['Left ventricle']), lab.model('Heart on screen', ['Aorta'], { digital: true })]);
    expect(printedParts(c).map((p) => p.name)).toEqual(['Heart model – Left ventricle']);
    const digitalPart = c.deliverables[1]!.kind === 'model' ? c.deliverables[1]!.components[0]!.id : '';
    const refusal = 'That part is not printed in this case: only model components and guides that are printed are measured';
    expect(lab.attempt(c, { type: 'recordPartQa', partId: digitalPart, measurements: [m(1, 1, 1)] })).toEqual({ ok: false, reason: refusal });
    expect(lab.attempt(c, { type: 'recordPartQa', partId: 'nope', measurements: [m(1, 1, 1)] })).toEqual({ ok: false, reason: refusal });
    // Only the printed part is asked for.
    expect(printingBlockers(c)).toEqual(['Heart model – Left ventricle: record its dimensional QA (what was measured, nominal, measured, tolerance)']);
  });

  it('before segmentation is complete', () => {
    const lab = new Lab();
    const c = lab.build({ through: 'imaging' });
    expect(lab.attempt(c, { type: 'recordPartQa', partId: partIds(c)[0]!, measurements: [m(1, 1, 1)] })).toEqual({ ok: false, reason: 'Complete segmenting before recording printing' });
  });

  it('a case of digital models only has no printed part and needs no QA', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Liver on screen', ['Liver'], { digital: true })] });
    expect(printedParts(c)).toEqual([]);
    expect(deriveStatus(c).code).toBe('ready-for-billing');
    expect(partQaSummary(c)).toEqual({ legacy: null, parts: [], none: 'No printed parts: digital models need no dimensional QA' });
  });
});

describe('cases recorded before per-part QA keep their single figure', () => {
  it('complete without per-part checks, shown as a single figure for the case', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis']), lab.guide('Cutting guide')] });
    expect(deriveStatus(c).code).toBe('ready-for-billing');
    expect(c).not.toHaveProperty('partQa');
    expect(legacyQaText(c)).toBe('Single QA figure for the case, recorded before per-part QA: largest measured deviation 0.4 mm, accepted tolerance 1 mm — within tolerance');
    expect(partQaSummary(c)).toEqual({ legacy: legacyQaText(c), parts: [], none: null });
  });

  it('hash as they did: no partQa key, and the same case hash whether or not per-part QA exists in the app', () => {
    const lab = new Lab();
    const c = lab.build();
    expect(Object.keys(c)).not.toContain('partQa');
    expect(caseHash(c)).toBe(caseHash(JSON.parse(JSON.stringify(c)) as Case));
  });

  it('the single figure over its tolerance still blocks, as before; the pair is still required together', () => {
    const lab = new Lab();
    const over = lab.build({ through: 'printing', printing: { ...PRINTING_VALUES, qaMeasuredErrorMm: 1.4 } });
    expect(printingBlockers(over)).toEqual(['QA deviation 1.4 mm exceeds the 1 mm tolerance: reprint or re-measure']);
    const { qaToleranceMm: _x, ...onlyMeasured } = PRINTING_VALUES;
    const half = lab.build({ through: 'printing', printing: onlyMeasured });
    expect(printingBlockers(half)).toEqual(['Enter QA: accepted tolerance']);
  });

  it('a per-part check recorded on such a case still counts: a failed one blocks', () => {
    const lab = new Lab();
    let c = lab.build({ through: 'printing' });
    expect(printingBlockers(c)).toEqual([]);
    c = record(lab, c, partIds(c)[0]!, [m(100, 101, 0.5, 'Width')]);
    expect(printingBlockers(c)).toHaveLength(1);
    expect(partQaSummary(c).parts.map((p) => p.status)).toEqual(['FAILED — blocks delivery']);
  });
});

describe('per-part QA in words', () => {
  it('each part with its checks, results, who and when, and any acceptance', () => {
    const lab = new Lab();
    let c = atPrinting(lab, [lab.guide('Fibula guide')]);
    const id = partIds(c)[0]!;
    c = record(lab, c, id, [m(40, 40.4, 0.2, 'Slot length')], false);
    const checkId = c.partQa![0]!.id;
    c = lab.apply(c, { type: 'acceptPartQa', checkId, reason: 'Surgeon agreed' }, rad, '2026-03-03T10:15:00.000Z');
    const s = partQaSummary(c);
    expect(s.legacy).toBeNull();
    expect(s.parts).toEqual([
      {
        partId: id,
        part: 'Fibula guide',
        status: 'Accepted out of tolerance',
        ok: true,
        checks: [
          {
            heading: `Fail — measured by ${tech.name}, ${c.partQa![0]!.at.slice(0, 10)} ${c.partQa![0]!.at.slice(11, 16)} UTC`,
            measurements: ['Slot length: 40.4 mm against 40 ± 0.2 mm (off by 0.4 mm) — fail'],
            accepted: `Accepted by ${rad.name}, 2026-03-03 10:15 UTC: “Surgeon agreed”`,
          },
        ],
      },
    ]);
  });
});

describe('the registry export’s QA columns', () => {
  const qaColumns = (c: Case) => {
    const r = registryRows([c], { scope: 'all', random: () => 0 });
    const at = (key: string) => r.header.indexOf(key);
    return r.rows.map((row) => [row[at('object_type')], row[at('qa_max_deviation_mm')], row[at('qa_tolerance_mm')]]);
  };

  it('per object: the largest deviation of its parts’ latest checks, with that measurement’s tolerance; unknown while unmeasured', () => {
    const lab = new Lab();
    let c = atPrinting(lab);
    const [pelvis, sacrum] = partIds(c);
    c = record(lab, c, pelvis!, [m(120, 120.3, 0.5, 'Width'), m(40, 40.1, 0.2, 'Hole')]);
    c = record(lab, c, sacrum!, [m(60, 59.6, 0.5, 'Height')]);
    expect(qaColumns(c)).toEqual([
      ['anatomic_model', '0.4', '0.5'],
      ['anatomic_guide', 'unknown', 'unknown'],
    ]);
  });

  it('the single figure of an older case, as before', () => {
    const lab = new Lab();
    expect(qaColumns(lab.build())).toEqual([['anatomic_model', '0.4', '1']]);
  });
});
