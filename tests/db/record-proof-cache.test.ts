// Opening a case proves its stored record against its last signed entry; a record proved once
// is not proved again while the exact stored row and entry are the same, and is as soon as
// anything in them changes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../src/db/database';
import { getCaseView } from '../../src/db/case-view-repo';
import { runCommand } from '../../src/db/case-commands';
import { lock } from '../../src/db/vault';
import { readLabTrust } from '../../src/db/lab-log-repo';
import { asCaseId, type CaseId } from '../../src/domain/ids';
import { order } from '../support/orders';
import { resetDatabase, signIn } from '../support/render-app';

let caseId: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input: order() });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
});

afterEach(() => vi.restoreAllMocks());

/** How many signatures one opening verifies (the case has no sign-off: only its last entry's). */
async function verifiesOnOpen(): Promise<{ state: string; verifies: number }> {
  const verify = vi.spyOn(crypto.subtle, 'verify');
  const view = (await getCaseView(caseId))!;
  const verifies = verify.mock.calls.length;
  verify.mockRestore();
  return { state: view.record.state, verifies };
}

describe('a proved record on opening a case', () => {
  it('is not proved again while its stored row and last entry are unchanged', async () => {
    await readLabTrust(); // the lab log's own checks, done once for every case, are not counted
    await db.cases.update(caseId, { updatedAt: '2026-01-01T00:00:00.000Z' }); // a row not yet proved as stored
    expect(await verifiesOnOpen()).toEqual({ state: 'verified', verifies: 1 });
    expect(await verifiesOnOpen()).toEqual({ state: 'verified', verifies: 0 });
  });

  it('is proved again, and fails, once its stored row was changed outside Printpath', async () => {
    expect((await verifiesOnOpen()).state).toBe('verified');
    const row = (await db.cases.get(caseId))!;
    await db.cases.put({ ...row, clear: { ...row.clear, order: { ...row.clear.order, priority: 'emergent' } } });
    const view = (await getCaseView(caseId))!;
    expect(view.record).toMatchObject({ state: 'failed', text: expect.stringMatching(/changed outside Printpath/) });
  });

  it('is proved again, and fails, once the signature of its last entry was altered', async () => {
    expect((await verifiesOnOpen()).state).toBe('verified');
    const { auditHead } = (await db.cases.get(caseId))!;
    const last = (await db.audit.get([caseId, auditHead.seq]))!;
    const sig = last.sig!;
    await db.audit.put({ ...last, sig: (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1) });
    const view = (await getCaseView(caseId))!;
    expect(view.record).toMatchObject({ state: 'failed', text: expect.stringMatching(/not signed by its author/) });
  });

  it('is proved again after the tablet was locked and someone signed in', async () => {
    expect((await verifiesOnOpen()).state).toBe('verified');
    await lock();
    await signIn('Tess Tech', ['technician']);
    await readLabTrust();
    expect(await verifiesOnOpen()).toEqual({ state: 'verified', verifies: 1 });
  });
});
