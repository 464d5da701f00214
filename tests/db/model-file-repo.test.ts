import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../src/db/database';
import { getCase } from '../../src/db/case-view-repo';
import { attachModelFile, fileAvailability, modelFileKey, readModelFile } from '../../src/db/model-file-repo';
import { readSealedChunks } from '../../src/db/file-chunk-reader';
import type { SealedChunk } from '../../src/crypto/file-cipher';
import { meshOpener } from '../../src/features/model-files/mesh-parse';
import { CommandRefused } from '../../src/db/errors';
import { DecryptionError } from '../../src/crypto/errors';
import { FILE_CHUNK_BYTES } from '../../src/crypto/file-cipher';
import { filesOf } from '../../src/domain/model-files';
import { Lab } from '../support/case-builder';
import { storeBuiltCase } from '../support/store-case';
import { resetDatabase, signIn } from '../support/render-app';
import { binaryStl, sphereOfTriangles, triangleCount } from '../support/stl-generator';

const NOW = '2026-11-20T10:00:00.000Z';

async function caseAtSegmenting() {
  const lab = new Lab();
  const c = lab.completeImaging(lab.open());
  await storeBuiltCase(c);
  return c;
}

const stlFile = (name: string, triangles: number) => new File([binaryStl([sphereOfTriangles('Pelvis', 40, triangles)])], name);

beforeEach(async () => {
  await resetDatabase();
  await signIn('Tess Tech', ['technician']);
});

describe('model files on the device', () => {
  it('attaches a 2.4 MB STL: sealed in chunks with the case change, its reference on the case, its name sealed', async () => {
    const c = await caseAtSegmenting();
    const file = stlFile('zolc-pelvis.stl', 50_000); // 50,000 triangles: 2,500,084 bytes, 3 chunks
    const after = await attachModelFile(c.id, { deliverableId: c.deliverables[0]!.id, stage: 'segmenting', file }, NOW);
    const ref = filesOf(after)[0]!;
    expect(ref).toMatchObject({ name: 'zolc-pelvis.stl', size: file.size, format: 'stl', stage: 'segmenting', attachedBy: 'Tess Tech' });
    expect(await db.fileChunks.where('[fileId+index]').between([ref.id, 0], [ref.id, Infinity]).count()).toBe(Math.ceil(file.size / FILE_CHUNK_BYTES));
    const row = (await db.cases.get(c.id))!;
    expect(JSON.stringify(row.clear)).not.toContain('zolc');
    const opened = await readModelFile(ref);
    expect(opened.state).toBe('here');
    // Compared as buffers: an element-wise toEqual over 2.5 million bytes takes seconds.
    if (opened.state === 'here') expect(Buffer.from(opened.bytes).equals(Buffer.from(await file.arrayBuffer()))).toBe(true);
    const view = (await getCase(c.id))!;
    expect(view.record.state).not.toBe('failed');
    expect(view.events.at(-1)!.summary).toBe('File attached to Pelvis model: zolc-pelvis.stl');
  });

  it('a reference whose chunks have not all arrived reads as still arriving; an altered chunk does not open', async () => {
    const c = await caseAtSegmenting();
    const after = await attachModelFile(c.id, { deliverableId: c.deliverables[0]!.id, stage: 'segmenting', file: stlFile('pelvis.stl', 50_000) }, NOW);
    const ref = filesOf(after)[0]!;
    await db.fileChunks.delete([ref.id, 2]);
    expect(await fileAvailability(ref)).toEqual({ state: 'arriving', have: 2, of: 3 });
    expect(await readModelFile(ref)).toEqual({ state: 'arriving', have: 2, of: 3 });
    const first = (await db.fileChunks.get([ref.id, 0]))!;
    await db.fileChunks.put({ ...first, index: 2, ct: first.ct });
    await expect(readModelFile(ref)).rejects.toThrow(DecryptionError);
  });

  it('for the 3D view’s worker: the chunks read still sealed, a few at a time, and the key that opens them into the attached file', async () => {
    const c = await caseAtSegmenting();
    const file = stlFile('pelvis.stl', 100_000); // about 5 MB: 5 chunks
    const plain = Buffer.from(await file.arrayBuffer());
    const ref = filesOf(await attachModelFile(c.id, { deliverableId: c.deliverables[0]!.id, stage: 'segmenting', file }, NOW))[0]!;
    const batches: [SealedChunk[], number][] = [];
    expect(await readSealedChunks(ref, (chunks, from) => batches.push([chunks, from]))).toEqual({ state: 'here' });
    expect(batches.map(([chunks, from]) => [from, chunks.length])).toEqual([[0, 4], [4, 1]]);
    const first = batches[0]![0][0]!;
    expect(Object.keys(first).sort()).toEqual(['ct', 'iv', 'v']); // no case or file ids travel with them
    expect(Buffer.from(first.ct).includes(plain.subarray(100, 164))).toBe(false);
    const keyed = await modelFileKey(ref);
    if (keyed.state !== 'here') throw new Error('the file is all here');
    const opener = meshOpener(keyed.key, ref.id);
    for (const [chunks, from] of batches) opener.add(chunks, from);
    expect((await opener.parse(ref.size, ref.sha256, 'stl')).triangles).toBe(triangleCount([sphereOfTriangles('Pelvis', 40, 100_000)]));

    await db.fileChunks.delete([ref.id, 1]);
    const none: unknown[] = [];
    expect(await readSealedChunks(ref, (chunks) => none.push(chunks))).toEqual({ state: 'arriving', have: 4, of: 5 });
    expect(none).toEqual([]);
    expect(await modelFileKey(ref)).toEqual({ state: 'arriving', have: 4, of: 5 });
  });

  it('refuses a file that is not STL or OBJ, and writes nothing', async () => {
    const c = await caseAtSegmenting();
    await expect(attachModelFile(c.id, { deliverableId: c.deliverables[0]!.id, stage: 'segmenting', file: new File(['x'], 'model.3mf') }, NOW)).rejects.toThrow(CommandRefused);
    expect(await db.fileChunks.count()).toBe(0);
  });

  it('a refused command leaves no chunks behind', async () => {
    const lab = new Lab();
    const c = lab.open(); // imaging not complete: segmenting cannot be recorded
    await storeBuiltCase(c);
    await expect(attachModelFile(c.id, { deliverableId: c.deliverables[0]!.id, stage: 'segmenting', file: stlFile('pelvis.stl', 100) }, NOW)).rejects.toThrow('Complete imaging before recording segmenting');
    expect(await db.fileChunks.count()).toBe(0);
  });
});
