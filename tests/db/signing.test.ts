import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/db/database';
import { getCase } from '../../src/db/case-view-repo';
import { runCommand } from '../../src/db/case-commands';
import { signStage } from '../../src/db/signing';
import { readLabHistory } from '../../src/db/audit-repo';
import { resetSecret } from '../../src/db/accounts';
import { CommandRefused } from '../../src/db/errors';
import { asCaseId, type CaseId } from '../../src/domain/ids';
import { signedContentHash, deriveStatus } from '../../src/domain/workflow';
import { joinPhi } from '../../src/domain/phi';
import { openPhi } from '../../src/db/case-codec';
import { currentUnlock } from '../../src/db/vault';
import { order } from '../support/orders';
import { resetDatabase, signIn, TEST_PIN, ADMIN } from '../support/render-app';

let caseId: CaseId;

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input: order() });
  await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-18', accessionNumber: 'A1', sliceThicknessMm: 0.625 } });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'studyRetrieved', done: true });
  await runCommand(caseId, { type: 'tick', stage: 'imaging', item: 'qualityAdequate', done: true });
});

describe('signing a stage', () => {
  it('a radiologist signs with their PIN: the signature verifies with their public key and completes the stage', async () => {
    await signIn('Dr. Rita Rad', ['radiologist']);
    await signStage(caseId, 'imaging', TEST_PIN);
    const stored = await getCase(caseId);
    const sig = stored!.case.stages.imaging.signature!;
    expect(sig).toMatchObject({ signerName: 'Dr. Rita Rad', role: 'radiologist', meaning: 'Imaging adequate for segmentation' });
    expect(sig.value.length).toBeGreaterThan(40);
    expect(stored!.signatures.imaging).toBe('verified');
    expect(deriveStatus(stored!.case, stored!.distrusted).label).toBe('In segmenting');
  });

  it('cannot be done without the secret: the ordinary write path refuses a sign command', async () => {
    await signIn('Dr. Rita Rad', ['radiologist']);
    await expect(runCommand(caseId, { type: 'sign', stage: 'imaging' } as never)).rejects.toThrow(/secret/);
    expect((await getCase(caseId))!.case.stages.imaging.signature).toBeNull();
  });

  it('refuses a wrong PIN, records the failure, and signs nothing', async () => {
    await signIn('Dr. Rita Rad', ['radiologist']);
    await expect(signStage(caseId, 'imaging', '000000')).rejects.toThrow(/Wrong secret\. 4 more wrong tries/);
    expect((await getCase(caseId))!.case.stages.imaging.signature).toBeNull();
    const lab = await readLabHistory();
    expect(lab.entries.at(-1)).toMatchObject({ kind: 'sign-in-failed' });
    expect(lab.verification.ok).toBe(true);
  });

  it('refuses a technician, whatever their PIN', async () => {
    await expect(signStage(caseId, 'imaging', TEST_PIN)).rejects.toThrow(CommandRefused);
    await expect(signStage(caseId, 'imaging', TEST_PIN)).rejects.toThrow(/Only a radiologist/);
  });

  it('an edit after signing voids the signature in the repository, with who, when and what changed', async () => {
    await signIn('Dr. Rita Rad', ['radiologist']);
    await signStage(caseId, 'imaging', TEST_PIN);
    await signIn('Tess Tech', ['technician']);
    await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 1.25 } });
    const stored = (await getCase(caseId))!;
    expect(stored.case.stages.imaging.signature).toBeNull();
    expect(stored.case.stages.imaging.voidedSignatures[0]).toMatchObject({ signerName: 'Dr. Rita Rad', voidedByName: 'Tess Tech', reason: 'Changed: Slice thickness' });
    expect((await db.cases.get(caseId))!.statusKey).toBe('imaging');
  });

  it('a row forged directly in IndexedDB fails verification and the stage does not count as signed', async () => {
    await signIn('Dr. Rita Rad', ['radiologist']);
    await signStage(caseId, 'imaging', TEST_PIN);
    const row = (await db.cases.get(caseId))!;
    // Change signed content behind the app's back and recompute the (public) content hash.
    const edited = { ...row.clear, stages: { ...row.clear.stages, imaging: { ...row.clear.stages.imaging, values: { ...row.clear.stages.imaging.values, sliceThicknessMm: 5 } } } };
    const full = joinPhi(edited, await openPhi(row, currentUnlock()!.dataKey));
    const sig = { ...edited.stages.imaging.signature!, contentHash: signedContentHash(full, 'imaging') };
    await db.cases.put({ ...row, clear: { ...edited, stages: { ...edited.stages, imaging: { ...edited.stages.imaging, signature: sig } } } });

    const stored = (await getCase(caseId))!;
    expect(stored.signatures.imaging).toBe('not-verified');
    expect(deriveStatus(stored.case, stored.distrusted).label).toBe('In imaging');
    expect(deriveStatus(stored.case).label).toBe('In segmenting'); // what the forger hoped for, without the key check
  });

  it('signatures made before a secret reset still verify with the old public key', async () => {
    await signIn('Dr. Rita Rad', ['radiologist']);
    await signStage(caseId, 'imaging', TEST_PIN);
    const radId = currentUnlock()!.actor.id;
    await signIn(ADMIN, ['admin']);
    await resetSecret(radId, '864209', TEST_PIN);
    const stored = (await getCase(caseId))!;
    expect(stored.signatures.imaging).toBe('verified');
    expect((await db.users.get(radId))!.signingKeys).toHaveLength(2);
    const lab = await readLabHistory();
    expect(lab.entries.at(-1)!.kind).toBe('secret-reset');
    expect(lab.problem).toBeNull();
  });
});
