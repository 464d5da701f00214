import { beforeEach, describe, expect, it } from 'vitest';
import { signIn as unlock } from '../../src/db/accounts';
import { applyRestore, exportBackup, previewRestore, readBackup } from '../../src/db/backup';
import { getCase } from '../../src/db/case-view-repo';
import { runCommand } from '../../src/db/case-commands';
import { db } from '../../src/db/database';
import { attachModelFile, fileAvailability, readModelFile } from '../../src/db/model-file-repo';
import { signStage } from '../../src/db/signing';
import { asCaseId, asDeliverableId, type CaseId } from '../../src/domain/ids';
import { filesOf } from '../../src/domain/model-files';
import { adminIn, forge, type FileJson } from '../support/backup-files';
import { order } from '../support/orders';
import { ADMIN, resetDatabase, signIn, TEST_PIN } from '../support/render-app';
import { binaryStl, sphereOfTriangles } from '../support/stl-generator';

let caseId: CaseId;
const stl = binaryStl([sphereOfTriangles('Pelvis', 40, 50_000)]); // 2.5 MB: 3 chunks

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Technician', ['technician']);
  caseId = asCaseId(crypto.randomUUID());
  await runCommand(null, { type: 'create', id: caseId, input: order() });
  await runCommand(caseId, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-11-20', accessionNumber: 'ACC1', sliceThicknessMm: 0.625 } });
  for (const item of ['studyRetrieved', 'qualityAdequate']) await runCommand(caseId, { type: 'tick', stage: 'imaging', item, done: true });
  await signIn('Dr. Rita Radiologist', ['radiologist']);
  await signStage(caseId, 'imaging', TEST_PIN);
  await signIn('Tess Technician', ['technician']);
  await attachModelFile(caseId, { deliverableId: asDeliverableId('m1'), stage: 'segmenting', file: new File([stl], 'pelvis.stl') });
  await signIn(ADMIN, ['admin']);
});

async function restoreOnWipedTablet(text: string) {
  await resetDatabase();
  const backup = await readBackup(text, null);
  const preview = await previewRestore(backup);
  await applyRestore(backup, {}, { admin: adminIn(backup) });
  await unlock((await db.users.where('name').equals(ADMIN).first())!.id, TEST_PIN);
  return { preview, ref: filesOf((await getCase(caseId))!.case)[0]! };
}

describe('backups and model files', () => {
  it('leave model files out unless asked, and say so; the restored case keeps the reference and shows the file as not here yet', async () => {
    const file = await exportBackup(null, TEST_PIN);
    expect(file.modelFiles).toBe('left-out');
    const json = JSON.parse(await file.blob.text()) as FileJson;
    expect(json.modelFiles).toBe('left-out');
    expect(json.tables).not.toHaveProperty('fileChunks');
    const { preview, ref } = await restoreOnWipedTablet(await file.blob.text());
    expect(preview.modelFiles).toBe('left-out');
    expect(ref).toMatchObject({ name: 'pelvis.stl', size: stl.length });
    expect(await fileAvailability(ref)).toEqual({ state: 'arriving', have: 0, of: 3 });
    expect((await getCase(caseId))!.history.ok).toBe(true);
  });

  it('include them when the admin chooses, and a restore brings them back byte for byte', async () => {
    const file = await exportBackup(null, TEST_PIN, undefined, { modelFiles: true });
    expect(file).toMatchObject({ modelFiles: 'included', counts: { fileChunks: 3 } });
    expect(await file.blob.text()).not.toContain('pelvis.stl'); // the name is sealed with the case's patient data
    const { preview, ref } = await restoreOnWipedTablet(await file.blob.text());
    expect(preview.modelFiles).toBe('included');
    const opened = await readModelFile(ref);
    expect(opened.state).toBe('here');
    if (opened.state === 'here') expect(Buffer.from(opened.bytes).equals(Buffer.from(stl))).toBe(true);
  });

  it('a file saying it left model files out when it holds them, or an altered model file, is refused even when signed again by an insider', async () => {
    const file = await exportBackup(null, TEST_PIN, undefined, { modelFiles: true });
    const admin = (await db.users.where('name').equals(ADMIN).first())!;
    const relabelled = JSON.parse(await file.blob.text()) as FileJson;
    relabelled.modelFiles = 'left-out';
    await expect(readBackup(await forge(relabelled, admin), null)).rejects.toThrow("The backup's counts do not match its contents (model files)");

    const altered = JSON.parse(await file.blob.text()) as FileJson;
    const chunk = altered.tables.fileChunks![1]!;
    altered.tables.fileChunks![1] = { ...chunk, ct: (chunk.ct.startsWith('A') ? 'B' : 'A') + chunk.ct.slice(1) };
    const backup = await readBackup(await forge(altered, admin), null);
    await resetDatabase();
    await expect(applyRestore(backup, {}, { admin: adminIn(backup) })).rejects.toThrow(/Model file pelvis.stl of case PP-\S+ in the backup does not open/);
    expect(await db.cases.count()).toBe(0);
    expect(await db.fileChunks.count()).toBe(0);
  });
});
