import { describe, expect, it } from 'vitest';
import type { Case } from '../../src/domain/case';
import { caseHash } from '../../src/domain/case-hash';
import { filesOf, signoffsVoidedByFileChange } from '../../src/domain/model-files';
import { splitPhi, joinPhi } from '../../src/domain/phi';
import { deriveStatus, signatureIsValid, signatureMatches, signatureText, signedContent, signedContentHash, stageStates } from '../../src/domain/workflow';
import { Lab, rad, tech } from '../support/case-builder';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function segmented(lab = new Lab()) {
  let c = lab.open([lab.model('Pelvis model', ['Pelvis', 'Sacrum']), lab.guide('Cutting guide')]);
  c = lab.completeImaging(c);
  return { lab, c };
}

describe('signed content version 2: the files are signed', () => {
  it('golden hash: the segmentation content of a fixed case with two files', () => {
    const { lab, c: opened } = segmented();
    let c = lab.attachFile(opened, opened.deliverables[0]!.id, { name: 'pelvis.stl', sha256: SHA_A, size: 1_234_567 });
    c = lab.attachFile(c, c.deliverables[1]!.id, { name: 'guide.obj', sha256: SHA_B, size: 4_321 });
    const content = signedContent(c, 'segmenting', 2);
    expect(content).toMatchObject({ contentVersion: 2, files: [
      { deliverableId: 'd-1', name: 'pelvis.stl', size: 1_234_567, sha256: SHA_A },
      { deliverableId: 'd-4', name: 'guide.obj', size: 4_321, sha256: SHA_B },
    ] });
    // Pinned: changing how version 2 is serialized would void every signature made under it.
    expect(signedContentHash(c, 'segmenting', 2)).toBe('e410f523c91eebbb96fc7fdcb278ef8e55bb04a889240ff3bacfd15075683716');
  });

  it('golden hash: version 1 of the same case is what it always was (files are not in it)', () => {
    const { c } = segmented();
    expect(signedContent(c, 'segmenting', 1)).not.toHaveProperty('files');
    expect(signedContentHash(c, 'segmenting', 1)).toBe('e64d0bbe52a822675dc70aca5b662711e052a637339f9c8fc49b7cfa112f9492');
  });

  it('a new sign-off is made under version 2, and its text names the version', () => {
    const { lab, c: opened } = segmented();
    let c = lab.attachFile(opened, opened.deliverables[0]!.id);
    c = lab.completeSegmenting(c);
    const sig = c.stages.segmenting.signature!;
    expect(sig.contentVersion).toBe(2);
    expect(sig.contentHash).toBe(signedContentHash(c, 'segmenting', 2));
    expect(signatureText(c.id, 'segmenting', sig)).toContain('"contentVersion":2');
  });

  it('a version-1 signature keeps verifying while the case has no files, and its text is unchanged', () => {
    const { lab, c: opened } = segmented();
    const signedNow = lab.completeSegmenting(opened);
    const { contentVersion: _v, ...rest } = signedNow.stages.segmenting.signature!;
    const v1 = { ...rest, contentHash: signedContentHash(signedNow, 'segmenting', 1) };
    const c: Case = { ...signedNow, stages: { ...signedNow.stages, segmenting: { ...signedNow.stages.segmenting, signature: v1 } } };
    expect(signatureIsValid(c, 'segmenting')).toBe(true);
    expect(signatureText(c.id, 'segmenting', v1)).not.toContain('contentVersion');
    // Attaching a file voids it: a version-1 signature never covered a file.
    const after = lab.attachFile(c, c.deliverables[0]!.id);
    expect(after.stages.segmenting.signature).toBeNull();
    expect(after.stages.segmenting.voidedSignatures.at(-1)).toMatchObject({ signerName: rad.name, reason: 'Changed: Pelvis model: file' });
  });

  it('an unknown content version never matches', () => {
    const { lab, c } = segmented();
    const signed = lab.completeSegmenting(c);
    const sig = signed.stages.segmenting.signature!;
    expect(signatureMatches(signed, 'segmenting', sig)).toBe(true);
    expect(signatureMatches(signed, 'segmenting', { ...sig, contentVersion: 3 as 2 })).toBe(false);
  });

  it('files do not enter signatures of stages that do not cover deliverables', () => {
    const { lab, c } = segmented();
    const before = signedContentHash(c, 'imaging');
    const after = lab.attachFile(c, c.deliverables[0]!.id);
    expect(signedContentHash(after, 'imaging')).toBe(before);
    expect(signatureIsValid(after, 'imaging')).toBe(true);
  });
});

describe('void rules for files', () => {
  const signedWithFile = () => {
    const { lab, c: opened } = segmented();
    const c = lab.completeSegmenting(lab.attachFile(opened, opened.deliverables[0]!.id, { sha256: SHA_A }));
    return { lab, c, file: filesOf(c)[0]! };
  };

  it('a file replaced at segmenting voids the segmentation signature, with what changed', () => {
    const { lab, c, file } = signedWithFile();
    expect(signatureIsValid(c, 'segmenting')).toBe(true);
    const after = lab.attachFile(c, file.deliverableId, { name: 'pelvis-v2.stl', sha256: SHA_B, replaces: file.id });
    expect(after.stages.segmenting.signature).toBeNull();
    expect(after.stages.segmenting.voidedSignatures).toHaveLength(1);
    expect(lab.events.at(-1)!.summary).toMatch(/File of Pelvis model replaced: pelvis.stl → pelvis-v2.stl \(v2\) — voided the Segmenting signature/);
    expect(lab.events.at(-1)!.changes[0]).toMatchObject({ field: 'Pelvis model: file', before: expect.stringContaining('aaaaaaaaaaaa'), after: expect.stringContaining('bbbbbbbbbbbb') });
  });

  it('a mesh replaced at printing needs the radiologist’s sign-off again', () => {
    const { lab, c: signed, file } = signedWithFile();
    const printing = lab.completePrinting(signed);
    expect(deriveStatus(printing).label).toBe('In delivery');
    const repaired = lab.attachFile(printing, file.deliverableId, { name: 'pelvis-repaired.stl', sha256: SHA_B, stage: 'printing', replaces: file.id });
    expect(filesOf(repaired)[0]).toMatchObject({ stage: 'printing', name: 'pelvis-repaired.stl' });
    expect(repaired.stages.segmenting.signature).toBeNull();
    expect(deriveStatus(repaired).label).toBe('In segmenting');
    expect(stageStates(repaired).find((s) => s.id === 'segmenting')!.blockers).toContain('Needs radiologist sign-off: “Segmentation verified against source images”');
    const again = lab.apply(repaired, { type: 'sign', stage: 'segmenting' }, rad);
    expect(signatureIsValid(again, 'segmenting')).toBe(true);
    expect(deriveStatus(again).label).toBe('In delivery');
  });

  it('the same bytes under the same name void nothing (the id and who attached it are not signed)', () => {
    const { lab, c, file } = signedWithFile();
    const after = lab.attachFile(c, file.deliverableId, { name: file.name, sha256: file.sha256, size: file.size, replaces: file.id });
    expect(signatureIsValid(after, 'segmenting')).toBe(true);
  });

  it('the pure rule names the sign-offs a file change takes back', () => {
    const { lab, c, file } = signedWithFile();
    const replaced = lab.attachFile(c, file.deliverableId, { sha256: SHA_B, replaces: file.id });
    expect(signoffsVoidedByFileChange(c, replaced)).toEqual(['segmenting']);
    expect(signoffsVoidedByFileChange(c, { files: [{ ...file, id: 'other', attachedBy: 'someone else' }] })).toEqual([]);
    expect(signoffsVoidedByFileChange({}, { files: [] })).toEqual([]);
  });

  it('removing a file or removing its model voids the signature too', () => {
    const { lab, c, file } = signedWithFile();
    const removed = lab.apply(c, { type: 'removeFile', fileId: file.id });
    expect(removed.stages.segmenting.signature).toBeNull();
    expect(removed).not.toHaveProperty('files');
    const dropped = lab.apply(c, { type: 'setDeliverables', deliverables: c.deliverables.slice(1) });
    expect(filesOf(dropped)).toEqual([]);
    expect(dropped.stages.segmenting.signature).toBeNull();
  });
});

describe('attaching: what is refused', () => {
  it.each<[string, (l: Lab, c: Case) => Case, string]>([
    ['an unknown deliverable', (l, c) => l.attachFile(c, 'nope'), 'That model or guide is not part of this case'],
    ['a file that is not STL or OBJ', (l, c) => l.attachFile(c, c.deliverables[0]!.id, { name: 'model.3mf' }), 'Attach an STL or OBJ file'],
    ['an empty file', (l, c) => l.attachFile(c, c.deliverables[0]!.id, { size: 0 }), 'The file is empty'],
    ['a bad hash', (l, c) => l.attachFile(c, c.deliverables[0]!.id, { sha256: 'xyz' }), 'The file has no valid SHA-256'],
    ['a new file at printing', (l, c) => l.attachFile(c, c.deliverables[0]!.id, { stage: 'printing' }), 'Complete segmenting before recording printing'],
    ['replacing a file that is not there', (l, c) => l.attachFile(c, c.deliverables[0]!.id, { replaces: 'file-404' }), 'The file to replace is not part of this case'],
  ])('%s', (_name, act, message) => {
    const { lab, c } = segmented();
    expect(() => act(lab, c)).toThrow(message);
  });

  it('before imaging is complete, nothing can be attached', () => {
    const lab = new Lab();
    const c = lab.open();
    expect(() => lab.attachFile(c, c.deliverables[0]!.id)).toThrow('Complete imaging before recording segmenting');
  });

  it('at printing, a file can be replaced but not added', () => {
    const { lab, c: opened } = segmented();
    const c = lab.completePrinting(lab.completeSegmenting(lab.attachFile(opened, opened.deliverables[0]!.id)));
    expect(() => lab.attachFile(c, c.deliverables[1]!.id, { stage: 'printing' })).toThrow('Files are attached at segmenting; at printing a file can only be replaced');
  });
});

describe('a case with files, stored', () => {
  it('keeps file names with the sealed patient data, and round-trips exactly', () => {
    const { lab, c: opened } = segmented();
    const c = lab.attachFile(opened, opened.deliverables[0]!.id, { name: 'zolc-lukasz-pelvis.stl' });
    const { clear, phi } = splitPhi(c);
    expect(JSON.stringify(clear)).not.toContain('zolc');
    expect(phi.fileNames).toEqual({ [filesOf(c)[0]!.id]: 'zolc-lukasz-pelvis.stl' });
    expect(caseHash(joinPhi(clear, phi))).toBe(caseHash(c));
  });

  it('a case without files splits and hashes as before files existed', () => {
    const { c } = segmented();
    const { clear, phi } = splitPhi(c);
    expect(clear).not.toHaveProperty('files');
    expect(phi).not.toHaveProperty('fileNames');
    expect(joinPhi(clear, phi)).not.toHaveProperty('files');
  });

  it('who attached it and when are recorded', () => {
    const { lab, c } = segmented();
    const after = lab.attachFile(c, c.deliverables[0]!.id, {}, tech);
    expect(filesOf(after)[0]).toMatchObject({ attachedBy: tech.name, stage: 'segmenting', format: 'stl' });
  });
});
