// Which model files travel between this device and the lab server: written with the attach
// and with a case arriving, and derived again from the cases and chunks after an upgrade or
// a restore (sync/file-transfer.ts moves them).
import { beforeEach, describe, expect, it } from 'vitest';
import { db, FILES_STALE } from '../../src/db/database';
import { noteCaseFiles, reconcileFileTransfers } from '../../src/db/file-transfers';
import { attachModelFile } from '../../src/db/model-file-repo';
import { filesOf, type ModelFileRef } from '../../src/domain/model-files';
import { Lab } from '../support/case-builder';
import { storeBuiltCase } from '../support/store-case';
import { resetDatabase, signIn } from '../support/render-app';

const MiB = 1024 * 1024;

async function attached(size: number): Promise<ModelFileRef> {
  const lab = new Lab();
  const c = lab.completeImaging(lab.open());
  await storeBuiltCase(c);
  const after = await attachModelFile(c.id, { deliverableId: c.deliverables[0]!.id, stage: 'segmenting', file: new File([new Uint8Array(size)], 'pelvis.stl') });
  return filesOf(after)[0]!;
}

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
});

describe('which model files travel', () => {
  it('a file attached here goes up, with its case, in the same transaction', async () => {
    const ref = await attached(2 * MiB + 1);
    const caseId = (await db.fileChunks.get([ref.id, 0]))!.caseId;
    expect(await db.fileTransfers.toArray()).toEqual([{ fileId: ref.id, caseId, chunks: 3, state: 'send' }]);
  });

  it('a case arriving names files this device lacks: they come down; files it knows stay as they are', async () => {
    const ref = await attached(10);
    await db.fileTransfers.update(ref.id, { state: 'done' });
    const other = { id: 'f0e1d2c3-b4a5-4968-8776-655443322110', size: 3 * MiB };
    await db.transaction('rw', db.fileTransfers, () => noteCaseFiles(db, [{ id: 'case-9', clear: { files: [{ ...ref, name: '' }, { ...ref, ...other, name: '' }] } }]));
    expect(await db.fileTransfers.get(other.id)).toEqual({ fileId: other.id, caseId: 'case-9', chunks: 3, state: 'fetch' });
    expect(await db.fileTransfers.get(ref.id)).toMatchObject({ state: 'done' });
  });

  it('derived again at the next sign-in: stopped files retried, lost chunks fetched, unknown chunks sent, and after an upgrade every case’s files', async () => {
    const sent = await attached(MiB + 1);
    const lost = await attached(MiB + 1);
    const stopped = await attached(10);
    const unknown = await attached(10);
    const named = await attached(MiB + 1);
    await db.fileTransfers.update(sent.id, { state: 'done' });
    await db.fileTransfers.update(lost.id, { state: 'done' });
    await db.fileChunks.delete([lost.id, 1]);
    await db.fileTransfers.update(stopped.id, { state: 'fetch', problem: 'The lab server refused part 1 of 1 of this file: no.' });
    await db.fileTransfers.bulkDelete([unknown.id, named.id]);
    await db.fileChunks.bulkDelete([[named.id, 0], [named.id, 1]]);

    await reconcileFileTransfers();
    const state = async (ref: ModelFileRef) => (await db.fileTransfers.get(ref.id)) ?? null;
    expect(await state(sent)).toMatchObject({ state: 'done' });
    expect(await state(lost)).toMatchObject({ state: 'fetch', chunks: 2 });
    expect(await state(stopped)).toEqual(expect.not.objectContaining({ problem: expect.anything() }));
    expect(await state(unknown)).toMatchObject({ state: 'send', chunks: 1 });
    // Its chunks gone and no row: only the cases name it, read when the files are marked stale.
    expect(await state(named)).toBeNull();

    await db.settings.put({ key: FILES_STALE, value: true });
    await reconcileFileTransfers();
    expect(await state(named)).toMatchObject({ state: 'fetch', chunks: 2 });
    expect(await db.settings.get(FILES_STALE)).toBeUndefined();
  });
});
