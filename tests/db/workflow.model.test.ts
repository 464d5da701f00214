// Model-based test: random sequences of workflow commands — create, save stage
// values (valid and not), edit the order, tick and untick, sign (radiologist or
// technician, right or wrong PIN), void a signature by editing what it covers,
// cancel, close, export, restore onto the tablet in use and onto a wiped tablet —
// run against the real write path and against a small model of the rules (which
// stages are complete, which signature stands, cancelled/closed). After every
// step: no stage is complete while an earlier one is not, no add-on code appears
// without its primary, every standing signature matches its content and verifies,
// every audit chain verifies, and the model agrees with the real status.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SignInError } from '../../src/db/accounts';
import { readLabHistory } from '../../src/db/audit-repo';
import { applyRestore, exportBackup, previewRestore, readBackup } from '../../src/db/backup';
import { runCommand, type CaseCommand } from '../../src/db/case-commands';
import { getCase } from '../../src/db/case-view-repo';
import { db } from '../../src/db/database';
import { CommandRefused } from '../../src/db/errors';
import { signStage } from '../../src/db/signing';
import { canonicalJson } from '../../src/domain/canonical';
import type { Deliverable, FieldValue, StageId, UseInCare } from '../../src/domain/case';
import { DEFAULT_CODE_TABLE, suggestCodes } from '../../src/domain/cpt';
import { asCaseId, asDeliverableId, type CaseId } from '../../src/domain/ids';
import { deriveStatus, signedContentHash, stageStates, statusKey } from '../../src/domain/workflow';
import { STERILIZATION_RECORD } from '../support/case-builder';
import { order } from '../support/orders';
import { ADMIN, signIn, TEST_PIN } from '../support/render-app';
import { adminIn } from '../support/backup-files';
import { signInAs, wipeTablet } from '../support/tablet';

const TECH = 'Tess Technician';
const RAD = 'Dr. Rita Radiologist';
const STAGE_IDS: StageId[] = ['imaging', 'segmenting', 'printing', 'delivery'];

// ---------------------------------------------------------------------------
// The rules, as the model knows them (only the fields this test records)
// ---------------------------------------------------------------------------

type Field = { valid: FieldValue[]; invalid: FieldValue[]; required: boolean; onlyWithGuides?: boolean };

const FIELDS: Record<StageId, Record<string, Field>> = {
  imaging: {
    modality: { valid: ['CT', 'MR'], invalid: ['PET'], required: true },
    studyDate: { valid: ['2026-11-02', '2026-10-30'], invalid: ['2026-13-45', 'yesterday'], required: true },
    accessionNumber: { valid: ['ACC1234567', 'ACC7654321', ''], invalid: [1234567], required: true },
    sliceThicknessMm: { valid: [0.625, 1], invalid: [11, -1, '1'], required: true },
    contrastPhase: { valid: ['arterial', 'none'], invalid: ['purple'], required: false },
  },
  segmenting: {
    software: { valid: ['Materialise Mimics', '3D Slicer'], invalid: [42], required: true },
    softwareVersion: { valid: ['26.0', '5.6.2'], invalid: [true], required: true },
    segmentationMinutes: { valid: [120, 45], invalid: [0, 7000], required: true },
    cadSoftware: { valid: ['3-matic 18', ''], invalid: [false], required: false },
  },
  printing: {
    printer: { valid: ['J5 #1', 'Form 3B #2'], invalid: [7], required: true },
    technology: { valid: ['material-jetting', 'powder-bed-fusion'], invalid: ['magic'], required: true },
    scalePercent: { valid: [100, 80], invalid: [0, 501], required: true },
    printHours: { valid: [6.5, 2], invalid: [0], required: true },
    postProcessing: { valid: ['Support removal, UV cure', 'Wash'], invalid: [12], required: true },
    qaMeasuredErrorMm: { valid: [0.4, 1.5], invalid: [-0.1, 51], required: true },
    qaToleranceMm: { valid: [1, 2], invalid: [0, 11], required: true },
  },
  delivery: {
    deliveredTo: { valid: ['OR 4 charge nurse', 'Clinic B'], invalid: [3], required: true },
    deliveredAt: { valid: ['2026-11-19T07:30', '2026-11-20T16:05'], invalid: ['tomorrow'], required: true },
    sterilizationMethod: { valid: ['steam', 'eto'], invalid: ['boiled'], required: true, onlyWithGuides: true },
    sterilizationLot: { valid: ['STR-12345', 'STR-99'], invalid: [5], required: true, onlyWithGuides: true },
  },
};

const CHECKLIST: Record<StageId, { key: string; onlyWithGuides?: boolean }[]> = {
  imaging: [{ key: 'studyRetrieved' }, { key: 'qualityAdequate' }],
  segmenting: [{ key: 'structuresSegmented' }, { key: 'stlOverlaid' }, { key: 'meshRepaired' }],
  printing: [{ key: 'printedAndCleaned' }, { key: 'qaMeasured' }, { key: 'labelled' }],
  delivery: [{ key: 'sterilized', onlyWithGuides: true }, { key: 'handedOver' }],
};
const SIGNED: StageId[] = ['imaging', 'segmenting'];

type StageModel = { values: Record<string, FieldValue>; ticks: Record<string, boolean>; hasData: boolean; signed: string | null; voided: number };
type CaseModel = {
  id: CaseId;
  guides: boolean;
  deliverables: string[];
  name: string;
  notes: string;
  stages: Record<StageId, StageModel>;
  use: Record<string, FieldValue>;
  cancelled: boolean;
  closed: boolean;
  /** Changed since the last export (its row differs from the backup's). */
  dirty: boolean;
};
type Model = { cases: CaseModel[]; backup: { text: string; cases: CaseModel[] } | null };
type Real = Record<string, never>;

const blank = (v: FieldValue | undefined) => v === null || v === undefined || v === '';
const applies = (c: CaseModel, f: { onlyWithGuides?: boolean }) => !f.onlyWithGuides || c.guides;
const isOpen = (c: CaseModel) => !c.cancelled && !c.closed;

/** What a signature on the stage covers, as far as this test changes it. */
function coveredContent(c: CaseModel, stage: StageId): string {
  const s = c.stages[stage];
  const values = Object.fromEntries(Object.entries(FIELDS[stage]).filter(([, f]) => applies(c, f)).map(([k]) => [k, s.values[k] ?? null]));
  const ticks = Object.fromEntries(CHECKLIST[stage].filter((i) => applies(c, i)).map((i) => [i.key, s.ticks[i.key] ?? false]));
  return canonicalJson({ values, ticks });
}

/** What the stage itself still needs, its signature aside. */
function ownBlockers(c: CaseModel, stage: StageId): string[] {
  const s = c.stages[stage];
  const out = [
    ...Object.entries(FIELDS[stage]).filter(([k, f]) => applies(c, f) && f.required && blank(s.values[k])).map(([k]) => `enter ${k}`),
    ...CHECKLIST[stage].filter((i) => applies(c, i) && !s.ticks[i.key]).map((i) => `tick ${i.key}`),
  ];
  const measured = s.values.qaMeasuredErrorMm, tolerance = s.values.qaToleranceMm;
  if (stage === 'printing' && typeof measured === 'number' && typeof tolerance === 'number' && measured > tolerance) out.push('QA out of tolerance');
  if (stage === 'delivery') out.push(...c.deliverables.filter((d) => blank(c.use[d])).map((d) => `use of ${d}`));
  return out;
}

/** Which stages are complete: in order, each needing its own things and a standing signature. */
function completeStages(c: CaseModel): Record<StageId, boolean> {
  const out = {} as Record<StageId, boolean>;
  let earlierComplete = true;
  for (const stage of STAGE_IDS) {
    const own = ownBlockers(c, stage).length === 0 && (!SIGNED.includes(stage) || c.stages[stage].signed !== null);
    out[stage] = earlierComplete && own;
    earlierComplete = out[stage];
  }
  return out;
}

function modelStatus(c: CaseModel): string {
  if (c.cancelled) return 'cancelled';
  if (c.closed) return 'closed';
  const complete = completeStages(c);
  const open = STAGE_IDS.find((s) => !complete[s]);
  if (open) return open;
  return c.deliverables.some((d) => c.use[d] === 'unknown') ? 'awaiting-use' : 'ready-for-billing';
}

const recordingBlocked = (c: CaseModel, stage: StageId) => {
  const i = STAGE_IDS.indexOf(stage);
  return i > 0 && !c.stages[stage].hasData && !completeStages(c)[STAGE_IDS[i - 1]!];
};

/** After a command that succeeded: signatures whose content changed are voided, and the case differs from the backup. */
function afterSuccess(c: CaseModel): void {
  c.dirty = true;
  for (const stage of SIGNED) {
    const s = c.stages[stage];
    if (s.signed !== null && s.signed !== coveredContent(c, stage)) {
      s.signed = null;
      s.voided++;
    }
  }
}

// ---------------------------------------------------------------------------
// Steps: each runs the real command, checks the outcome against the model, updates it
// ---------------------------------------------------------------------------

async function expectOutcome(c: CaseModel | null, expectOk: boolean, act: () => Promise<unknown>, refusal: new (...args: never[]) => Error = CommandRefused): Promise<boolean> {
  const before = c ? await db.cases.get(c.id) : undefined;
  try {
    await act();
  } catch (e) {
    if (expectOk) throw new Error(`The model expected this to succeed, but: ${(e as Error).name}: ${(e as Error).message}`);
    expect(e, String(e)).toBeInstanceOf(refusal);
    expect((e as Error).message.length).toBeGreaterThan(5);
    if (c) expect(await db.cases.get(c.id), 'a refused command changed the case').toEqual(before);
    return false;
  }
  if (!expectOk) throw new Error('The model expected this to be refused, but it succeeded');
  return true;
}

async function as(name: string): Promise<void> {
  await signInAs(name);
}

async function createCase(m: Model, guides: boolean, name: string, notes: string): Promise<void> {
  const id = asCaseId(crypto.randomUUID());
  const deliverables: Deliverable[] = [
    { id: asDeliverableId('m1'), kind: 'model', name: 'Pelvis model', copies: 1, components: [{ id: asDeliverableId('c1'), structure: 'Pelvis', colour: 'white', material: 'VeroClear' }, { id: asDeliverableId('c2'), structure: 'Sacrum', colour: 'white', material: 'VeroClear' }] },
    ...(guides ? (['g1', 'g2'] as const).map((g): Deliverable => ({ id: asDeliverableId(g), kind: 'guide', name: `Guide ${g}`, guideType: 'cutting', material: 'Surgical Guide resin' })) : []),
  ];
  await as(TECH);
  await runCommand(null, { type: 'create', id, input: order({ patientName: name, notes, deliverables }) });
  const emptyStage = (): StageModel => ({ values: {}, ticks: {}, hasData: false, signed: null, voided: 0 });
  m.cases.push({
    id, guides, name, notes, deliverables: deliverables.map((d) => d.id),
    stages: { imaging: emptyStage(), segmenting: emptyStage(), printing: emptyStage(), delivery: emptyStage() },
    use: {}, cancelled: false, closed: false, dirty: true,
  });
}

type SaveInput = { values: Record<string, FieldValue>; use: Record<string, FieldValue> };

async function saveStage(c: CaseModel, stage: StageId, input: SaveInput): Promise<void> {
  const fieldsOk = Object.entries(input.values).every(([k, v]) => {
    const f = FIELDS[stage][k];
    return f !== undefined && applies(c, f) && f.valid.some((x) => Object.is(x, v));
  });
  const useOk = Object.entries(input.use).every(([d, v]) => c.deliverables.includes(d) && ['yes', 'no', 'unknown'].includes(v as string));
  const s = c.stages[stage];
  const changed =
    Object.entries(input.values).some(([k, v]) => JSON.stringify(s.values[k] ?? null) !== JSON.stringify(v ?? null)) ||
    Object.entries(input.use).some(([d, v]) => JSON.stringify(c.use[d] ?? null) !== JSON.stringify(v ?? null));
  const ok = isOpen(c) && !recordingBlocked(c, stage) && fieldsOk && useOk && changed;
  const hasUse = Object.keys(input.use).length > 0;
  await as(TECH);
  // A guide's use in care is saved together with its sterilization record: a guide has its record once its use is recorded.
  const perDeliverable = Object.fromEntries(Object.entries(input.use).map(([d, v]) => [d, { usedInCare: v, ...(d.startsWith('g') ? STERILIZATION_RECORD : {}) }]));
  const cmd: CaseCommand = { type: 'saveStage', stage, values: input.values, ...(hasUse ? { perDeliverable } : {}) };
  if (await expectOutcome(c, ok, () => runCommand(c.id, cmd))) {
    Object.assign(s.values, input.values);
    Object.assign(c.use, input.use);
    s.hasData = true;
    afterSuccess(c);
  }
}

async function tick(c: CaseModel, stage: StageId, item: string, done: boolean): Promise<void> {
  const s = c.stages[stage];
  const known = CHECKLIST[stage].some((i) => i.key === item);
  // A guide is handed over only with its sterilization record.
  const unsterile = stage === 'delivery' && item === 'handedOver' && done && c.deliverables.some((d) => d.startsWith('g') && blank(c.use[d]));
  const ok = isOpen(c) && !recordingBlocked(c, stage) && known && (s.ticks[item] ?? false) !== done && !unsterile;
  await as(TECH);
  if (await expectOutcome(c, ok, () => runCommand(c.id, { type: 'tick', stage, item, done }))) {
    s.ticks[item] = done;
    s.hasData = true;
    afterSuccess(c);
  }
}

async function sign(c: CaseModel, stage: StageId, who: 'radiologist' | 'technician', pin: 'right' | 'wrong'): Promise<void> {
  // Signed in afresh each time: a wrong PIN counts towards the lock-out, a right one resets it.
  await signInAs(who === 'radiologist' ? RAD : TECH, { force: true });
  const act = () => signStage(c.id, stage, pin === 'right' ? TEST_PIN : '999999');
  if (pin === 'wrong') {
    await expectOutcome(c, false, act, SignInError);
    return;
  }
  const i = STAGE_IDS.indexOf(stage);
  const complete = completeStages(c);
  const ok =
    who === 'radiologist' &&
    SIGNED.includes(stage) &&
    isOpen(c) &&
    c.stages[stage].signed === null &&
    STAGE_IDS.slice(0, i).every((s) => complete[s]) &&
    ownBlockers(c, stage).length === 0;
  if (await expectOutcome(c, ok, act)) {
    c.stages[stage].signed = coveredContent(c, stage);
    afterSuccess(c);
  }
}

async function run(c: CaseModel, ok: boolean, cmd: CaseCommand, then: () => void): Promise<void> {
  await as(TECH);
  if (await expectOutcome(c, ok, () => runCommand(c.id, cmd))) {
    then();
    afterSuccess(c);
  }
}

/** Takes the case's first incomplete stage to complete, by valid steps only. */
async function advance(c: CaseModel, use: UseInCare): Promise<void> {
  const stage = STAGE_IDS.find((s) => !completeStages(c)[s]);
  if (!stage || !isOpen(c)) return;
  const values = Object.fromEntries(Object.entries(FIELDS[stage]).filter(([, f]) => applies(c, f) && f.required).map(([k, f]) => [k, c.stages[stage].values[k] && !blank(c.stages[stage].values[k]) ? c.stages[stage].values[k]! : f.valid[0]!]));
  if (stage === 'printing') Object.assign(values, { qaMeasuredErrorMm: 0.4, qaToleranceMm: 1 });
  const uses = stage === 'delivery' ? Object.fromEntries(c.deliverables.map((d) => [d, blank(c.use[d]) ? use : c.use[d]!])) : {};
  await saveStage(c, stage, { values, use: uses });
  for (const i of CHECKLIST[stage]) if (applies(c, i) && !c.stages[stage].ticks[i.key]) await tick(c, stage, i.key, true);
  if (SIGNED.includes(stage) && c.stages[stage].signed === null) await sign(c, stage, 'radiologist', 'right');
}

async function exportNow(m: Model): Promise<void> {
  await as(ADMIN);
  const file = await exportBackup(null, TEST_PIN);
  m.backup = { text: await file.blob.text(), cases: structuredClone(m.cases) };
  for (const c of m.cases) c.dirty = false;
}

async function restoreInUse(m: Model, takeBackup: boolean[]): Promise<void> {
  const backup = m.backup!;
  await as(ADMIN);
  const b = await readBackup(backup.text, null);
  const preview = await previewRestore(b);
  const inBackup = new Set(backup.cases.map((c) => c.id));
  const differing = m.cases.filter((c) => inBackup.has(c.id) && c.dirty).map((c) => c.id);
  expect(preview).toMatchObject({ tabletIsEmpty: false, newCases: 0, identicalCases: backup.cases.length - differing.length });
  expect(preview.differing.map((d) => d.id).sort()).toEqual([...differing].sort());
  const choices = Object.fromEntries(differing.map((id, i) => [id, takeBackup[i % Math.max(1, takeBackup.length)] ? ('backup' as const) : ('tablet' as const)]));
  await applyRestore(b, choices);
  m.cases = m.cases.map((c) => (choices[c.id] === 'backup' ? { ...structuredClone(backup.cases.find((x) => x.id === c.id)!), dirty: true } : c));
}

async function restoreWiped(m: Model): Promise<void> {
  const backup = m.backup!;
  await wipeTablet();
  const b = await readBackup(backup.text, null);
  expect(await previewRestore(b)).toMatchObject({ tabletIsEmpty: true, newCases: backup.cases.length });
  await applyRestore(b, {}, { admin: adminIn(b, ADMIN) });
  await signInAs(ADMIN, { force: true });
  m.cases = structuredClone(backup.cases).map((c) => ({ ...c, dirty: false }));
}

// ---------------------------------------------------------------------------
// Invariants, after every step
// ---------------------------------------------------------------------------

async function checkInvariants(m: Model): Promise<void> {
  expect(await db.cases.count(), 'cases on the tablet').toBe(m.cases.length);
  for (const mc of m.cases) {
    const row = (await db.cases.get(mc.id))!;
    const view = (await getCase(mc.id))!;
    const c = view.case;
    expect(view.history.ok, `history of ${c.caseNumber}: ${JSON.stringify(view.history)}`).toBe(true);

    // No stage completed out of order.
    const states = stageStates(c, view.distrusted);
    states.forEach((s, i) => {
      if (s.complete) expect(states.slice(0, i).every((e) => e.complete), `${s.id} complete before an earlier stage`).toBe(true);
    });

    // No add-on code without its primary.
    const codes = suggestCodes(c, DEFAULT_CODE_TABLE).lines.map((l) => l.code);
    if (codes.includes('0560T')) expect(codes).toContain('0559T');
    if (codes.includes('0562T')) expect(codes).toContain('0561T');

    // Every standing signature matches what it covers and verifies with the signer's key.
    for (const stage of STAGE_IDS) {
      const sig = c.stages[stage].signature;
      if (sig) {
        expect(sig.contentHash, `${stage} signature hash`).toBe(signedContentHash(c, stage));
        expect(view.signatures[stage], `${stage} signature check`).toBe('verified');
      }
      // The model agrees on which signature stands and how many were voided.
      expect(sig !== null, `${stage} signature standing`).toBe(mc.stages[stage].signed !== null);
      expect(c.stages[stage].voidedSignatures.length, `${stage} voided signatures`).toBe(mc.stages[stage].voided);
    }

    // The model agrees with the real status, and the stored index with the domain.
    const status = deriveStatus(c, view.distrusted);
    expect(statusKey(status), `status of ${c.caseNumber}`).toBe(modelStatus(mc));
    expect(row.statusKey).toBe(statusKey(deriveStatus(c)));
    const complete = completeStages(mc);
    for (const s of states) expect(s.complete, `${s.id} complete`).toBe(complete[s.id]);
    expect(c.phi.patientName).toBe(mc.name);
    expect(c.phi.notes).toBe(mc.notes);
  }
  expect((await readLabHistory()).verification.ok, 'lab audit chain').toBe(true);
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

abstract class CaseStep implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check(m: Readonly<Model>): boolean {
    return m.cases.length > 0;
  }
  protected target(m: Model): CaseModel {
    return m.cases[this.pick % m.cases.length]!;
  }
  async run(m: Model): Promise<void> {
    await this.step(m, this.target(m));
    await checkInvariants(m);
  }
  abstract step(m: Model, c: CaseModel): Promise<void>;
  abstract toString(): string;
}

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(readonly guides: boolean, readonly name: string, readonly notes: string) {}
  check = (m: Readonly<Model>) => m.cases.length < 5;
  async run(m: Model) {
    await createCase(m, this.guides, this.name, this.notes);
    await checkInvariants(m);
  }
  toString = () => `create(${this.guides ? 'guides' : 'model'}, ${JSON.stringify(this.name)})`;
}

class Save extends CaseStep {
  constructor(pick: number, readonly stage: StageId, readonly input: SaveInput) {
    super(pick);
  }
  step = (_m: Model, c: CaseModel) => saveStage(c, this.stage, this.input);
  toString = () => `save#${this.pick}(${this.stage}, ${JSON.stringify(this.input)})`;
}

/** An edit to what a standing signature covers (a plain save when none stands). */
class Void extends CaseStep {
  step = (_m: Model, c: CaseModel) => {
    const stage = SIGNED.find((s) => c.stages[s].signed !== null) ?? 'imaging';
    const key = stage === 'imaging' ? 'accessionNumber' : 'softwareVersion';
    const next = FIELDS[stage][key]!.valid.find((v) => v !== c.stages[stage].values[key] && v !== '')!;
    return saveStage(c, stage, { values: { [key]: next }, use: {} });
  };
  toString = () => `void#${this.pick}`;
}

class Tick extends CaseStep {
  constructor(pick: number, readonly stage: StageId, readonly item: string, readonly done: boolean) {
    super(pick);
  }
  step = (_m: Model, c: CaseModel) => tick(c, this.stage, this.item, this.done);
  toString = () => `${this.done ? 'tick' : 'untick'}#${this.pick}(${this.stage}.${this.item})`;
}

class Sign extends CaseStep {
  constructor(pick: number, readonly stage: StageId, readonly who: 'radiologist' | 'technician', readonly pin: 'right' | 'wrong') {
    super(pick);
  }
  step = (_m: Model, c: CaseModel) => sign(c, this.stage, this.who, this.pin);
  toString = () => `sign#${this.pick}(${this.stage}, ${this.who}, ${this.pin} PIN)`;
}

class EditOrder extends CaseStep {
  constructor(pick: number, readonly name: string, readonly notes: string, readonly valid: boolean) {
    super(pick);
  }
  step = (_m: Model, c: CaseModel) => {
    const { deliverables: _d, ...input } = order({ patientName: this.name, notes: this.notes, ...(this.valid ? {} : { mrn: 'x' }) });
    const ok = isOpen(c) && this.valid && (this.name !== c.name || this.notes !== c.notes);
    return run(c, ok, { type: 'editOrder', input }, () => Object.assign(c, { name: this.name, notes: this.notes }));
  };
  toString = () => `editOrder#${this.pick}(${JSON.stringify(this.name)}, ${this.valid ? 'valid' : 'bad MRN'})`;
}

class Cancel extends CaseStep {
  constructor(pick: number, readonly reason: string) {
    super(pick);
  }
  step = (_m: Model, c: CaseModel) => run(c, isOpen(c) && this.reason.trim() !== '', { type: 'cancel', reason: this.reason }, () => (c.cancelled = true));
  toString = () => `cancel#${this.pick}(${JSON.stringify(this.reason)})`;
}

class Close extends CaseStep {
  step = (_m: Model, c: CaseModel) => run(c, isOpen(c) && modelStatus(c) === 'ready-for-billing', { type: 'close', codeTable: DEFAULT_CODE_TABLE }, () => (c.closed = true));
  toString = () => `close#${this.pick}`;
}

class Advance extends CaseStep {
  constructor(pick: number, readonly use: UseInCare) {
    super(pick);
  }
  step = (_m: Model, c: CaseModel) => advance(c, this.use);
  toString = () => `advance#${this.pick}(use ${this.use})`;
}

class Export implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model) {
    await exportNow(m);
    await checkInvariants(m);
  }
  toString = () => 'export';
}

class RestoreInUse implements fc.AsyncCommand<Model, Real> {
  constructor(readonly takeBackup: boolean[]) {}
  check = (m: Readonly<Model>) => m.backup !== null;
  async run(m: Model) {
    await restoreInUse(m, this.takeBackup);
    await checkInvariants(m);
  }
  toString = () => `restore onto this tablet(${this.takeBackup.map((t) => (t ? 'backup' : 'tablet')).join(',')})`;
}

class RestoreWiped implements fc.AsyncCommand<Model, Real> {
  check = (m: Readonly<Model>) => m.backup !== null;
  async run(m: Model) {
    await restoreWiped(m);
    await checkInvariants(m);
  }
  toString = () => 'wipe and restore';
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

const NAMES = ['山田 太郎', 'Nguyễn Thị Lan', 'Ιωάννης Παπαδόπουλος', 'محمد الحسيني', 'Ольга Иванова', 'Łukasz Żółć'];
const pick = fc.nat(1000);
const stage = fc.constantFrom(...STAGE_IDS);

const saveInput = (s: StageId): fc.Arbitrary<SaveInput> => {
  const keys = Object.keys(FIELDS[s]);
  const value = (k: string) => fc.constantFrom(...FIELDS[s][k]!.valid);
  const all = fc.record(Object.fromEntries(keys.filter((k) => FIELDS[s][k]!.required).map((k) => [k, value(k)])) as Record<string, fc.Arbitrary<FieldValue>>);
  const some = fc.subarray(keys, { minLength: 1 }).chain((ks) => fc.record(Object.fromEntries(ks.map((k) => [k, value(k)])) as Record<string, fc.Arbitrary<FieldValue>>));
  const invalid = fc.constantFrom(...keys.filter((k) => FIELDS[s][k]!.invalid.length > 0)).chain((k) => fc.constantFrom(...FIELDS[s][k]!.invalid).map((v) => ({ [k]: v })));
  const values = fc.oneof(
    { weight: 3, arbitrary: all },
    { weight: 3, arbitrary: some },
    { weight: 1, arbitrary: fc.tuple(some, invalid).map(([a, b]) => ({ ...a, ...b })) },
    { weight: 1, arbitrary: fc.constant({ notAField: 'x' } as Record<string, FieldValue>) },
  );
  const use = s === 'delivery'
    ? fc.oneof(fc.constant({}), fc.record({ m1: fc.constantFrom('yes', 'no', 'unknown') }), fc.record({ m1: fc.constantFrom('yes', 'unknown'), g1: fc.constantFrom('yes', 'no'), g2: fc.constantFrom('yes', 'maybe') }), fc.constant({ zz: 'yes' }))
    : fc.constant({});
  return fc.record({ values, use: use as fc.Arbitrary<Record<string, FieldValue>> });
};

const checklistItem = stage.chain((s) => fc.tuple(fc.constant(s), fc.constantFrom(...CHECKLIST[s].map((i) => i.key), 'notAnItem')));

const advanceCmd = fc.tuple(pick, fc.constantFrom<UseInCare>('yes', 'yes', 'yes', 'no', 'unknown')).map(([p, u]) => new Advance(p, u));
const closeCmd = pick.map((p) => new Close(p));
const commands = fc.commands(
  [
    fc.record({ guides: fc.boolean(), name: fc.constantFrom(...NAMES), notes: fc.constantFrom('', 'Ⅱ期 notes — ✓') }).map((r) => new Create(r.guides, r.name, r.notes)),
    fc.tuple(pick, stage).chain(([p, s]) => saveInput(s).map((input) => new Save(p, s, input))),
    pick.map((p) => new Void(p)),
    fc.tuple(pick, checklistItem, fc.boolean()).map(([p, [s, item], done]) => new Tick(p, s, item, done)),
    fc.tuple(pick, fc.constantFrom<StageId>('imaging', 'segmenting', 'segmenting', 'printing'), fc.constantFrom('radiologist' as const, 'radiologist' as const, 'technician' as const), fc.constantFrom('right' as const, 'right' as const, 'wrong' as const)).map(([p, s, who, pin]) => new Sign(p, s, who, pin)),
    fc.tuple(pick, fc.constantFrom(...NAMES), fc.constantFrom('', 'Corrected: 右側'), fc.boolean()).map(([p, n, notes, valid]) => new EditOrder(p, n, notes, valid)),
    fc.tuple(pick, fc.constantFrom('Patient transferred — 転院', '   ')).map(([p, r]) => new Cancel(p, r)),
    closeCmd,
    // Taking a case a whole stage further is what gets cases deep into the workflow: weighted up.
    advanceCmd,
    advanceCmd,
    advanceCmd,
    advanceCmd,
    closeCmd,
    fc.constant(new Export()),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }).map((t) => new RestoreInUse(t)),
    fc.constant(new RestoreWiped()),
  ],
  { maxCommands: 40, size: 'max' },
);

describe('workflow model', () => {
  it('random command sequences keep every rule and agree with the model', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const setup = async () => {
          await wipeTablet();
          await signIn(ADMIN, ['admin']);
          await signIn(TECH, ['technician']);
          await signIn(RAD, ['radiologist']);
          const model: Model = { cases: [], backup: null };
          await createCase(model, false, 'Łukasz Żółć', '');
          return { model, real: {} as Real };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 20, seed: 11_2026, endOnFailure: true },
    );
  }, 60_000);
});
