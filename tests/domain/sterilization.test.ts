// The sterilization record of a guide (delivery, per guide): without it, or with a failed
// re-check after sterilization, the guide is not delivered. Cases handed over before the record
// existed (the v1 database fixture, as the old app wrote it) stay as they were.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case, FieldValue, StageId } from '../../src/domain/case';
import { caseSummary } from '../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../src/domain/cpt';
import { OLD_DELIVERY_TEXT, RECHECK_FAILED_TEXT, STERILIZATION_FIELDS } from '../../src/domain/sterilization';
import { deriveStatus, signatureMatches, signedContent, stageStates, statusKey } from '../../src/domain/workflow';
import { Lab, STERILIZATION_RECORD, STERILIZATION_VALUES } from '../support/case-builder';
import { verifiedTrust } from '../support/trust';

const delivery = (c: Case) => stageStates(c).find((s) => s.id === 'delivery')!;
const without = (values: Record<string, FieldValue>, key: string) => Object.fromEntries(Object.entries(values).filter(([k]) => k !== key));

/** A guide case with printing done and delivery recorded (method, lot, use in care, the sterilized tick), the guide's record as given. */
function guideCase(record: Record<string, FieldValue>) {
  const lab = new Lab();
  const g = lab.guide('Tibial cutting guide');
  let c = lab.build({ deliverables: [g], through: 'printing' });
  c = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 4', deliveredAt: '2026-03-10T07:30', ...STERILIZATION_VALUES }, perDeliverable: { [g.id]: { usedInCare: 'yes', ...record } } });
  c = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'sterilized', done: true });
  return { lab, c, g };
}

describe('the stage table asks each guide for its sterilization record', () => {
  it('six required fields, per deliverable, asked only of parts that enter the sterile field', () => {
    expect(STERILIZATION_FIELDS.map((f) => [f.key, f.required])).toEqual([
      ['cleaning', true],
      ['sterilizationCycle', true],
      ['sterilizedOn', true],
      ['sterilizedBy', true],
      ['recheckResult', true],
      ['recheckWhat', true],
    ]);
  });
});

describe('a guide is delivered only with its sterilization record', () => {
  it.each<[string, string]>([
    ['cleaning', 'the cleaning before sterilization'],
    ['sterilizationCycle', 'the cycle or load id'],
    ['sterilizedOn', 'the date sterilized'],
    ['sterilizedBy', 'who sterilized it'],
    ['recheckResult', 'the result of the re-check after sterilization'],
    ['recheckWhat', 'what was re-checked'],
  ])('without %s: delivery cannot complete and the hand-over is refused, naming it', (key, words) => {
    const { lab, c } = guideCase(without(STERILIZATION_RECORD, key));
    const sentence = `Sterilization record of Tibial cutting guide: enter ${words}`;
    expect(delivery(c).blockers).toEqual(['Tick “Handed over and receipt confirmed”', sentence]);
    const r = lab.attempt(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
    expect(r).toEqual({ ok: false, reason: `Not handed over: a guide is delivered only with its sterilization record. ${sentence}` });
    expect(deriveStatus(c).code).toBe('in-stage');
  });

  it('with none of it, the sentence names everything missing', () => {
    const { c } = guideCase({});
    expect(delivery(c).blockers).toContain(
      'Sterilization record of Tibial cutting guide: enter the cleaning before sterilization, the cycle or load id, the date sterilized, who sterilized it, the result of the re-check after sterilization and what was re-checked',
    );
  });

  it('with all of it and a re-check that passed, the guide is handed over and delivery completes', () => {
    const { lab, c } = guideCase(STERILIZATION_RECORD);
    expect(delivery(c).blockers).toEqual(['Tick “Handed over and receipt confirmed”']);
    const done = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
    expect(delivery(done).complete).toBe(true);
    expect(deriveStatus(done).code).toBe('ready-for-billing');
  });

  it('a failed re-check blocks delivery until a re-check passes', () => {
    const { lab, c, g } = guideCase({ ...STERILIZATION_RECORD, recheckResult: 'fail' });
    const failed = 'Tibial cutting guide failed its re-check after sterilization: it cannot be delivered; reprint or re-sterilize it and record a re-check that passes';
    expect(delivery(c).blockers).toEqual(['Tick “Handed over and receipt confirmed”', failed]);
    expect(lab.attempt(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true })).toEqual({ ok: false, reason: `Not handed over: a guide is delivered only with its sterilization record. ${failed}` });
    const passed = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: {}, perDeliverable: { [g.id]: { recheckResult: 'pass', recheckWhat: 'Fit on the printed tibia after a second print' } } });
    expect(delivery(lab.apply(passed, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true })).complete).toBe(true);
  });

  it('each guide needs its own record: one recorded does not cover another', () => {
    const lab = new Lab();
    const a = lab.guide('Femoral cutting guide');
    const b = lab.guide('Tibial cutting guide');
    let c = lab.build({ deliverables: [a, b], through: 'printing' });
    c = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 4', deliveredAt: '2026-03-10T07:30', ...STERILIZATION_VALUES }, perDeliverable: { [a.id]: { usedInCare: 'yes', ...STERILIZATION_RECORD }, [b.id]: { usedInCare: 'yes' } } });
    expect(delivery(c).blockers.filter((x) => x.startsWith('Sterilization record'))).toEqual([expect.stringMatching(/^Sterilization record of Tibial cutting guide: enter the cleaning/)]);
  });

  it('a model is not asked: a models-only case delivers without it, and a model’s sterilization values are refused', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis'])], through: 'delivery' });
    expect(deriveStatus(c).code).toBe('ready-for-billing');
    const m = c.deliverables[0]!;
    expect(lab.attempt(c, { type: 'saveStage', stage: 'delivery', values: {}, perDeliverable: { [m.id]: { cleaning: 'Washed' } } }).ok).toBe(false);
  });

  it('a model marked as entering the sterile field needs the record like a guide; a digital model is never marked', () => {
    const lab = new Lab();
    const model = lab.model('Mandible model', ['Mandible'], { sterile: true });
    const c = lab.build({ deliverables: [model], through: 'printing' });
    expect(c.deliverables[0]).toMatchObject({ kind: 'model', sterile: true });
    const bare = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: { deliveredTo: 'OR 4', deliveredAt: '2026-03-10T07:30' }, perDeliverable: { [model.id]: { usedInCare: 'yes' } } });
    expect(delivery(bare).blockers).toEqual(expect.arrayContaining([expect.stringMatching(/^Sterilization record of Mandible model: enter the cleaning/), "Enter sterilization method"]));
    expect(lab.attempt(bare, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^Not handed over: a model that enters the sterile field is delivered only with its sterilization record\. Sterilization record of Mandible model: enter the cleaning/),
    });
    expect(delivery(lab.recordDelivery(c)).complete).toBe(true);
    const digital = lab.build({ deliverables: [lab.model('Mandible on screen', ['Mandible'], { digital: true, sterile: true })], through: 'opened' });
    expect(digital.deliverables[0]).not.toHaveProperty('sterile');
  });

  it('in a case with a model and a guide, only the guide needs it', () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Mandible model', ['Mandible']), lab.guide('Fibula osteotomy guide')], through: 'delivery' });
    expect(delivery(c).complete).toBe(true);
  });

  it('once handed over, the record cannot be erased (it would pass for a case from before the record)', () => {
    const { lab, c, g } = guideCase(STERILIZATION_RECORD);
    const handed = lab.apply(c, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true });
    const blank = Object.fromEntries(Object.keys(STERILIZATION_RECORD).map((k) => [k, null]));
    expect(lab.attempt(handed, { type: 'saveStage', stage: 'delivery', values: {}, perDeliverable: { [g.id]: blank } })).toEqual({ ok: false, reason: 'The sterilization record of a handed-over part cannot be erased: correct it instead' });
    // Correcting it is fine.
    expect(lab.attempt(handed, { type: 'saveStage', stage: 'delivery', values: {}, perDeliverable: { [g.id]: { sterilizationCycle: 'LOAD-0413' } } }).ok).toBe(true);
  });

  it('what is recorded is in the delivery’s content; what is blank is left out, so older content is unchanged', () => {
    const recorded = guideCase(STERILIZATION_RECORD);
    const g = recorded.g.id;
    expect(signedContent(recorded.c, 'delivery').perDeliverable?.[g]).toEqual({ usedInCare: 'yes', ...STERILIZATION_RECORD });
    expect(signedContent(guideCase({}).c, 'delivery').perDeliverable).toEqual({ [guideCase({}).g.id]: { usedInCare: 'yes' } });
  });
});

describe('a case handed over before the record existed (the v1 database fixture, as the old app wrote it)', () => {
  type Fixture = { expected: { cases: { caseNumber: string; statusKey: string; view: { case: Case } }[] } };
  const fixture = JSON.parse(readFileSync(join(process.cwd(), 'tests/db/fixtures/db-v1.json'), 'utf8')) as Fixture;
  const entry = fixture.expected.cases.find((x) => x.caseNumber === 'PP-2026-UXW-0007')!;
  const old = entry.view.case;

  it('is a delivered guide case with no sterilization record', () => {
    expect(old.deliverables.filter((d) => d.kind === 'guide')).toHaveLength(2);
    expect(old.stages.delivery.checklist.handedOver?.done).toBe(true);
    expect(Object.values(old.stages.delivery.perDeliverable).every((v) => Object.keys(v).join() === 'usedInCare')).toBe(true);
  });

  it('keeps its status and its signatures still match', () => {
    expect(statusKey(deriveStatus(old))).toBe(entry.statusKey);
    expect(delivery(old).complete).toBe(true);
    for (const stage of ['imaging', 'segmenting'] as StageId[]) expect(signatureMatches(old, stage, old.stages[stage].signature!)).toBe(true);
    // Its delivery content is as the old app had it: use in care only.
    expect(signedContent(old, 'delivery').perDeliverable).toEqual(Object.fromEntries(old.deliverables.map((d) => [d.id, { usedInCare: 'yes' }])));
  });

  it('its summary says the record was not kept, rather than showing blanks', () => {
    const s = caseSummary(old, [], { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(old), generatedAt: '2026-12-01T00:00:00.000Z' });
    const steril = s.stages.find((x) => x.id === 'delivery')!.sterilization;
    expect(steril.map((x) => [x.deliverable, x.note, x.values.length])).toEqual(old.deliverables.filter((d) => d.kind === 'guide').map((d) => [d.name, OLD_DELIVERY_TEXT, 0]));
  });

  it('once its hand-over is undone, it needs the record like any other', () => {
    const lab = new Lab();
    const reopened = lab.apply(old, { type: 'tick', stage: 'delivery', item: 'handedOver', done: false });
    expect(delivery(reopened).blockers.some((b) => b.startsWith('Sterilization record of'))).toBe(true);
    expect(lab.attempt(reopened, { type: 'tick', stage: 'delivery', item: 'handedOver', done: true }).ok).toBe(false);
  });
});

describe('the summary shows each guide’s record', () => {
  it('labelled values, and a failed re-check said in words', () => {
    const { c } = guideCase({ ...STERILIZATION_RECORD, recheckResult: 'fail' });
    const s = caseSummary(c, [], { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-12-01T00:00:00.000Z' });
    const d = s.stages.find((x) => x.id === 'delivery')!;
    expect(d.sterilization).toEqual([
      {
        deliverable: 'Tibial cutting guide',
        note: null,
        failed: RECHECK_FAILED_TEXT,
        values: [
          { label: 'Cleaning before sterilization', value: 'Enzymatic detergent wash, rinse, dried', recorded: true },
          { label: 'Sterilization cycle or load id', value: 'LOAD-0412', recorded: true },
          { label: 'Sterilized on', value: '2026-03-09', recorded: true },
          { label: 'Sterilized by', value: 'Sam Sterile (SPD)', recorded: true },
          { label: 'Re-check after sterilization', value: 'Fail', recorded: true },
          { label: 'What was re-checked', value: 'Fit on the printed tibia, slot width 1.2 mm', recorded: true },
        ],
      },
    ]);
    // Not repeated among the per-deliverable rows (use in care).
    expect(d.perDeliverable[0]!.values.map((v) => v.label)).toEqual(["Used in this patient's care"]);
  });
});
