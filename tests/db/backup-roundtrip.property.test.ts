// Property: export → wipe → restore gives back exactly the same lab. For random
// databases (demo cases from the seeded generator, and cases taken through the
// workflow by real commands and signatures, with PHI in many scripts, voided
// signatures, cancelled and closed cases), a backup with or without passphrase,
// restored onto a wiped tablet, brings back every case as the app reads it (case,
// events, history verification, signature checks), every stored row, and the people.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLabHistory } from '../../src/db/audit-repo';
import { applyRestore, exportBackup, previewRestore, readBackup } from '../../src/db/backup';
import { runCommand } from '../../src/db/case-commands';
import { getCase } from '../../src/db/case-view-repo';
import { db } from '../../src/db/database';
import { loadDemoCases } from '../../src/db/demo-repo';
import { signStage } from '../../src/db/signing';
import { canonicalJson } from '../../src/domain/canonical';
import type { Deliverable, FieldValue, StageId, UseInCare } from '../../src/domain/case';
import { DEFAULT_CODE_TABLE } from '../../src/domain/cpt';
import { asCaseId, asDeliverableId, type CaseId } from '../../src/domain/ids';
import { deriveStatus } from '../../src/domain/workflow';
import { STERILIZATION_RECORD } from '../support/case-builder';
import { order } from '../support/orders';
import { ADMIN, signIn, TEST_PIN } from '../support/render-app';
import { adminIn } from '../support/backup-files';
import { readAllCases, signInAs, wipeTablet } from '../support/tablet';

const TECH = 'Tess Technician';
const RAD = 'Dr. Rita Radiologist';
const PASSPHRASE = 'correct horse battery staple';

/** Patient names in many scripts; a random tail of any graphemes makes each one new. */
const NAMES = ['山田 太郎', 'Nguyễn Thị Lan', 'Ιωάννης Παπαδόπουλος', 'محمد الحسيني', 'Ольга Иванова', 'Łukasz Żółć', 'Siobhán O’Brien', '김민준', 'अनन्या शर्मा', 'Zoë Ångström 👩🏽‍⚕️'];
const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength });

/** How far a case is taken by real commands: 0 opened … 6 closed. */
type CommandCase = {
  name: string;
  notes: string;
  guides: boolean;
  progress: number;
  use: UseInCare;
  /** Edit signed imaging content afterwards (voids the signature), and maybe sign again. */
  voidImaging: 'no' | 'void' | 'void-and-resign';
  cancel: string | null;
};

const commandCase: fc.Arbitrary<CommandCase> = fc.record({
  name: fc.tuple(fc.constantFrom(...NAMES), text(8)).map(([n, tail]) => `${n} ${tail}`.trim().slice(0, 120)),
  notes: text(30),
  guides: fc.boolean(),
  progress: fc.integer({ min: 0, max: 6 }),
  use: fc.constantFrom<UseInCare>('yes', 'no', 'unknown'),
  voidImaging: fc.constantFrom('no', 'void', 'void-and-resign'),
  cancel: fc.option(fc.tuple(fc.constantFrom('Transferred to ', 'Surgery cancelled: ', 'Пациент отказался: '), text(20)).map(([a, b]) => a + b), { freq: 3 }),
});

type Lab = { demoCount: number; seed: number; demoCancels: boolean[]; cases: CommandCase[]; passphrase: boolean };

const lab: fc.Arbitrary<Lab> = fc.integer({ min: 0, max: 6 }).chain((demoCount) =>
  fc.record({
    demoCount: fc.constant(demoCount),
    seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    demoCancels: fc.array(fc.boolean(), { minLength: demoCount, maxLength: demoCount }),
    cases: fc.array(commandCase, { maxLength: 8 - demoCount }),
    passphrase: fc.boolean(),
  }),
);

const IMAGING: Record<string, FieldValue> = { modality: 'CT', studyDate: '2026-11-02', accessionNumber: 'ACC1234567', sliceThicknessMm: 0.625, contrastPhase: 'arterial' };
const SEGMENTING: Record<string, FieldValue> = { software: 'Materialise Mimics', softwareVersion: '26.0', segmentationMinutes: 120 };
const PRINTING: Record<string, FieldValue> = { printer: 'J5 #1', technology: 'material-jetting', scalePercent: 100, printHours: 6.5, postProcessing: 'Support removal, wash, UV cure', qaMeasuredErrorMm: 0.4, qaToleranceMm: 1 };

const deliverables = (guides: boolean): Deliverable[] => [
  { id: asDeliverableId('m1'), kind: 'model', name: 'Pelvis model', copies: 1, components: [{ id: asDeliverableId('c1'), structure: 'Pelvis', colour: 'white', material: 'VeroClear' }, { id: asDeliverableId('c2'), structure: 'Sacrum', colour: 'white', material: 'VeroClear' }] },
  ...(guides ? [{ id: asDeliverableId('g1'), kind: 'guide' as const, name: 'Iliac screw guide', guideType: 'drilling' as const, material: 'Surgical Guide resin' }] : []),
];

async function as<T>(name: string, act: () => Promise<T>): Promise<T> {
  await signInAs(name);
  return act();
}

const save = (id: CaseId, stage: StageId, values: Record<string, FieldValue>, perDeliverable?: Record<string, Record<string, FieldValue>>) =>
  as(TECH, () => runCommand(id, { type: 'saveStage', stage, values, ...(perDeliverable ? { perDeliverable } : {}) }));
const tick = async (id: CaseId, stage: StageId, items: string[]) => {
  for (const item of items) await as(TECH, () => runCommand(id, { type: 'tick', stage, item, done: true }));
};
const sign = (id: CaseId, stage: StageId) => as(RAD, () => signStage(id, stage, TEST_PIN));

/** Takes one case through the workflow with the real write path and real signatures. */
async function buildByCommands(spec: CommandCase): Promise<void> {
  const id = asCaseId(crypto.randomUUID());
  const ds = deliverables(spec.guides);
  await as(TECH, () => runCommand(null, { type: 'create', id, input: order({ patientName: spec.name, notes: spec.notes, deliverables: ds }) }));
  const use = spec.progress >= 6 ? 'yes' : spec.use;
  if (spec.progress === 1) {
    await save(id, 'imaging', { modality: 'MR' });
    await tick(id, 'imaging', ['studyRetrieved']);
  }
  if (spec.progress >= 2) {
    await save(id, 'imaging', IMAGING);
    await tick(id, 'imaging', ['studyRetrieved', 'qualityAdequate']);
    await sign(id, 'imaging');
  }
  if (spec.progress >= 3) {
    await save(id, 'segmenting', SEGMENTING);
    await tick(id, 'segmenting', ['structuresSegmented', 'stlOverlaid', 'meshRepaired']);
    await sign(id, 'segmenting');
  }
  if (spec.progress >= 4) {
    await save(id, 'printing', PRINTING);
    await tick(id, 'printing', ['printedAndCleaned', 'qaMeasured', 'labelled']);
  }
  if (spec.progress >= 5) {
    const guides: Record<string, FieldValue> = spec.guides ? { sterilizationMethod: 'steam', sterilizationLot: 'STR-12345' } : {};
    await save(id, 'delivery', { deliveredTo: 'OR 4 charge nurse', deliveredAt: '2026-11-19T07:30', feedback: spec.notes, ...guides }, Object.fromEntries(ds.map((d) => [d.id, { usedInCare: use, ...(d.kind === 'guide' ? STERILIZATION_RECORD : {}) }])));
    await tick(id, 'delivery', [...(spec.guides ? ['sterilized'] : []), 'handedOver']);
  }
  if (spec.progress >= 6) await as(TECH, () => runCommand(id, { type: 'close', codeTable: DEFAULT_CODE_TABLE }));
  if (spec.progress >= 2 && spec.progress < 6 && spec.voidImaging !== 'no') {
    await save(id, 'imaging', { accessionNumber: 'ACC7654321' });
    if (spec.voidImaging === 'void-and-resign') await sign(id, 'imaging');
  }
  if (spec.cancel !== null && spec.progress < 6) await as(TECH, () => runCommand(id, { type: 'cancel', reason: spec.cancel! }));
}

async function buildLab(l: Lab): Promise<void> {
  await wipeTablet();
  await signIn(ADMIN, ['admin']);
  await signIn(TECH, ['technician']);
  await signIn(RAD, ['radiologist']);
  if (l.demoCount > 0) await as(ADMIN, () => loadDemoCases(l.demoCount, TEST_PIN, new Date('2026-11-20T10:00:00Z'), l.seed));
  const demoIds = (await db.cases.toCollection().primaryKeys()).map(asCaseId);
  for (const [i, id] of demoIds.entries()) {
    const c = (await getCase(id))!.case;
    if (l.demoCancels[i] && deriveStatus(c).code !== 'closed') await as(TECH, () => runCommand(id, { type: 'cancel', reason: `Démo annulée №${i}` }));
  }
  for (const spec of l.cases) await buildByCommands(spec);
  await signInAs(ADMIN);
}

/** The stored rows a restore must bring back as they were (the lab chain grows with every sign-in). */
async function storedRows(): Promise<string> {
  const [cases, audit, users, printers, materials] = await Promise.all([db.cases.toArray(), db.audit.toArray(), db.users.toArray(), db.printers.toArray(), db.materials.toArray()]);
  return canonicalJson({ cases, audit: audit.filter((e) => e.chain !== 'lab'), users, printers, materials });
}

describe('backup round trip (property)', () => {
  it('export → wipe → restore gives identical domain data, history and signature checks', async () => {
    await fc.assert(
      fc.asyncProperty(lab, async (l) => {
        await buildLab(l);
        const before = await readAllCases();
        expect(before.size).toBe(l.demoCount + l.cases.length);
        for (const c of before.values()) {
          expect(c.history.ok).toBe(true);
          for (const check of Object.values(c.signatures)) expect(check).toBe('verified');
        }
        const rowsBefore = await storedRows();

        const file = await exportBackup(l.passphrase ? PASSPHRASE : null, TEST_PIN);
        expect(file.counts.cases).toBe(before.size);
        for (const c of before.values()) expect((await file.blob.text())).not.toContain(c.case.phi.patientName); // PHI stays sealed
        if (l.passphrase) expect((await file.blob.text())).not.toContain('"tables"');

        // Restoring onto the very tablet it came from finds every case identical and changes no case.
        const same = await readBackup((await file.blob.text()), l.passphrase ? PASSPHRASE : null);
        expect(await previewRestore(same)).toMatchObject({ tabletIsEmpty: false, newCases: 0, identicalCases: before.size, differing: [], newPeople: [] });

        await wipeTablet();
        const backup = await readBackup((await file.blob.text()), l.passphrase ? PASSPHRASE : null);
        expect(await previewRestore(backup)).toMatchObject({ tabletIsEmpty: true, newCases: before.size, identicalCases: 0, differing: [] });
        await applyRestore(backup, {}, { admin: adminIn(backup) });
        await signInAs(ADMIN, { force: true });

        const after = await readAllCases();
        expect(canonicalJson(Object.fromEntries(after))).toBe(canonicalJson(Object.fromEntries(before)));
        expect(await storedRows()).toBe(rowsBefore);
        expect((await readLabHistory()).verification.ok).toBe(true);
        // Every person unlocks the restored data with the same secret.
        await signInAs(TECH, { force: true });
        await signInAs(RAD, { force: true });
      }),
      { numRuns: 10, seed: 4242, endOnFailure: true },
    );
  }, 60_000);
});
