// Demo data cannot touch real cases: demo cases and demo people are marked as such,
// and a demo person (whose PIN is printed on screen) cannot sign a real patient's case.
import { beforeEach, describe, expect, it } from 'vitest';
import { signIn as unlock } from '../../src/db/accounts';
import { runCommand } from '../../src/db/case-commands';
import { getCase } from '../../src/db/case-view-repo';
import { db } from '../../src/db/database';
import { loadDemoCases } from '../../src/db/demo-repo';
import { signStage } from '../../src/db/signing';
import { listUsers } from '../../src/db/user-repo';
import { currentUnlock } from '../../src/db/vault';
import { DEMO_PEOPLE, DEMO_PIN } from '../../src/domain/demo-people';
import { asCaseId, type CaseId } from '../../src/domain/ids';
import { listCases } from '../support/list';
import { order } from '../support/orders';
import { ADMIN, resetDatabase, signIn, TEST_PIN } from '../support/render-app';

const [DEMO_TECH, DEMO_RAD] = DEMO_PEOPLE.map((p) => p.name) as [string, string];

async function signInDemo(name: string) {
  const user = (await db.users.where('name').equals(name).first())!;
  await unlock(user.id, DEMO_PIN);
}

/** A case with imaging recorded and ticked by whoever is signed in: ready for a radiologist to sign. */
async function imagingReady(caseId: CaseId) {
  await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-18', accessionNumber: 'A1', sliceThicknessMm: 0.625 } });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
}

let realCase: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
  realCase = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: realCase, input: order() });
  await imagingReady(realCase);
  await signIn(ADMIN, ['admin']);
  // Every demo case just opened: the demo technician records imaging on one below.
  await loadDemoCases(2, TEST_PIN, new Date('2026-11-20T10:00:00Z'), 2019, { progress: () => 0 });
});

describe('demo data', () => {
  it('marks every demo case and both demo people, and nothing real', async () => {
    const cases = await listCases({ search: '', status: 'all', overdueOnly: false, today: '2026-11-27' });
    expect(cases.map((c) => [c.id === realCase ? 'real' : 'generated', c.demo]).sort()).toEqual([['generated', true], ['generated', true], ['real', false]]);
    expect((await getCase(realCase))!.case.demo).toBe(false);
    expect((await listUsers()).map((u) => [u.name, u.demo]).sort()).toEqual(
      [[ADMIN, false], [DEMO_TECH, true], [DEMO_RAD, true], ['Tess Tech', false]].sort(),
    );
    await signInDemo(DEMO_RAD);
    expect(currentUnlock()!.actor).toMatchObject({ name: DEMO_RAD, demo: true });
  });

  it('the demo radiologist cannot sign a real case: refused, and nothing signed', async () => {
    await signInDemo(DEMO_RAD);
    await expect(signStage(realCase, 'imaging', DEMO_PIN)).rejects.toThrow('Demo people cannot sign real cases');
    expect((await getCase(realCase))!.case.stages.imaging.signature).toBeNull();
  });

  it('the demo radiologist signs a demo case; the signature says “(demo)” and verifies', async () => {
    const demoCase = (await listCases({ search: '', status: 'all', overdueOnly: false, today: '2026-11-27' })).find((c) => c.demo)!.id;
    await signInDemo(DEMO_TECH);
    await imagingReady(demoCase);
    await signInDemo(DEMO_RAD);
    await signStage(demoCase, 'imaging', DEMO_PIN);
    const stored = (await getCase(demoCase))!;
    expect(stored.case.stages.imaging.signature).toMatchObject({ signerName: `${DEMO_RAD} (demo)` });
    expect(stored.signatures.imaging).toBe('verified');
  });

  it('a case stored before cases carried the mark reads as a real case', async () => {
    const row = (await db.cases.get(realCase))!;
    const { demo: _dropped, ...older } = row.clear;
    await db.cases.put({ ...row, clear: older as typeof row.clear });
    expect((await db.cases.get(realCase))!.clear).not.toHaveProperty('demo');
    expect((await getCase(realCase))!.case.demo).toBe(false);
  });
});
