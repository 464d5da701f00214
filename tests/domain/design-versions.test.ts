// Design versions of model files (replacements and send-backs), the version a signature
// covered, and the text marked on each part.
import { describe, expect, it } from 'vitest';
import type { Case, Deliverable } from '../../src/domain/case';
import { designVersion, fileVersion, fileVersionText, partMark, signedVersionsText } from '../../src/domain/design-versions';
import { asDeliverableId } from '../../src/domain/ids';
import { filesOf } from '../../src/domain/model-files';
import { openChangeRequest, signatureIsValid, signatureText, signedContentHash } from '../../src/domain/workflow';
import { Lab, rad, SEGMENTING_VALUES } from '../support/case-builder';

const SHA = (ch: string) => ch.repeat(64);

/** Imaging signed, segmenting recorded and ticked with pelvis.stl attached: waiting for the radiologist. */
function ready(lab = new Lab(), deliverables: Deliverable[] = [lab.model('Pelvis model', ['Pelvis'])]) {
  let c = lab.completeImaging(lab.open(deliverables));
  c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
  c = lab.tickAll(c, 'segmenting');
  c = lab.attachFile(c, c.deliverables[0]!.id, { name: 'pelvis.stl', sha256: SHA('a') });
  return { lab, c, d: c.deliverables[0]!.id };
}

const only = (c: Case) => {
  expect(filesOf(c)).toHaveLength(1);
  return filesOf(c)[0]!;
};

type Step = 'replace' | 'replaceAtPrinting' | 'sendBack' | 'saveField' | 'sign';

function run(steps: readonly Step[]) {
  const { lab, c: start } = ready();
  let c = start;
  let n = 0;
  for (const step of steps) {
    const file = only(c);
    if (step === 'replace' || step === 'replaceAtPrinting') {
      c = lab.attachFile(c, file.deliverableId, { name: `pelvis-${++n}.stl`, sha256: SHA(String(n)), replaces: file.id, stage: step === 'replace' ? 'segmenting' : 'printing' });
    } else if (step === 'sendBack') {
      c = lab.apply(c, { type: 'sendBack', stage: 'segmenting', reason: 'The sacrum is cut off' }, rad);
    } else if (step === 'saveField') {
      c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: { segmentationMinutes: 100 + ++n } });
    } else {
      c = lab.apply(c, { type: 'sign', stage: 'segmenting' }, rad);
    }
  }
  return { lab, c };
}

describe('a file’s versions', () => {
  it.each<[string, Step[], string]>([
    ['attached', [], 'v1'],
    ['replaced once', ['replace'], 'v2'],
    ['replaced twice', ['replace', 'replace'], 'v3'],
    ['sent back: the send-back opens the next version, still the file of the one sent back', ['sendBack'], 'v2, opened by a send-back: still the file of v1'],
    ['sent back, then replaced: the replacement fills the version the send-back opened', ['sendBack', 'replace'], 'v2'],
    ['sent back, replaced, replaced again: every replacement is a new version', ['sendBack', 'replace', 'replace'], 'v3'],
    ['sent back, a field changed, signed: the file signed unchanged is v2', ['sendBack', 'saveField', 'sign'], 'v2'],
    ['sent back and signed unchanged, then a repaired mesh at printing: v3, not a refill of the signed v2', ['sendBack', 'saveField', 'sign', 'replaceAtPrinting'], 'v3'],
    ['sent back twice without a new file', ['sendBack', 'saveField', 'sendBack'], 'v3, opened by a send-back: still the file of v2'],
    ['signed, replaced at printing (voids the sign-off), sent back, replaced', ['sign', 'replaceAtPrinting', 'sendBack', 'replace'], 'v3'],
  ])('%s → %s', (_what, steps, expected) => {
    const { c } = run(steps);
    expect(fileVersionText(only(c))).toBe(expected);
  });

  it('a v1 file stores no version: a case with files from before versions hashes as it did', () => {
    const { c } = ready();
    const f = only(c);
    expect(Object.keys(f).sort()).toEqual(['attachedAt', 'attachedBy', 'deliverableId', 'format', 'id', 'name', 'sha256', 'size', 'stage']);
    expect(fileVersion(f)).toBe(1);
  });

  it('the version is the domain’s: a command naming one is given v1 all the same', () => {
    const { lab, c: base } = ready();
    const file = { id: 'file-x', deliverableId: asDeliverableId(base.deliverables[0]!.id), name: 'extra.stl', size: 10, sha256: SHA('c'), format: 'stl' as const, version: 7, reopened: true };
    const c = lab.apply(base, { type: 'attachFile', stage: 'segmenting', file });
    const added = filesOf(c).find((f) => f.id === 'file-x')!;
    expect(added).not.toHaveProperty('version');
    expect(added).not.toHaveProperty('reopened');
  });

  it('the trail says which version a replacement made and which a send-back opened', () => {
    const { lab } = run(['sendBack', 'replace']);
    const [sentBack, replaced] = lab.events.slice(-2);
    expect(sentBack!.summary).toBe('Segmenting sent back to the technician: “The sacrum is cut off” — opens v2 of pelvis.stl');
    expect(replaced!.summary).toMatch(/^File of Pelvis model replaced: pelvis\.stl → pelvis-1\.stl \(v2\)/);
  });

  it('opening versions on a send-back leaves the signed content, so the request stands until the technician changes something', () => {
    const { lab, c } = ready();
    const sent = lab.apply(c, { type: 'sendBack', stage: 'segmenting', reason: 'Missing artery' }, rad);
    expect(signedContentHash(sent, 'segmenting')).toBe(signedContentHash(c, 'segmenting'));
    expect(openChangeRequest(sent, 'segmenting')).not.toBeNull();
  });

  it('a send-back of a stage whose signature covers no file (imaging) opens no version', () => {
    const lab = new Lab();
    let c = lab.open();
    c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { modality: 'CT', studyDate: '2026-02-27', accessionNumber: 'A1', sliceThicknessMm: 1, contrastPhase: 'arterial' } });
    c = lab.tickAll(c, 'imaging');
    const sent = lab.apply(c, { type: 'sendBack', stage: 'imaging', reason: 'Slices too thick' }, rad);
    expect(sent.files).toBeUndefined();
    expect(lab.events.at(-1)!.summary).not.toContain('opens');
  });
});

describe('the signature names the version it signed', () => {
  it('records each file’s version beside the signature, says it on the trail, and still verifies', () => {
    const { lab, c } = run(['sendBack', 'replace', 'sign']);
    const sig = c.stages.segmenting.signature!;
    expect(sig.fileVersions).toEqual([{ deliverableId: c.deliverables[0]!.id, name: 'pelvis-1.stl', version: 2 }]);
    expect(signedVersionsText(sig.fileVersions!)).toBe('v2 of pelvis-1.stl');
    expect(lab.events.at(-1)!.summary).toBe('Segmenting signed: “Segmentation verified against source images” — signed v2 of pelvis-1.stl');
    expect(signatureIsValid(c, 'segmenting')).toBe(true);
    // The signed text is what it always was: the versions are recorded beside it, the hash covers the bytes.
    expect(signatureText(c.id, 'segmenting', sig)).not.toContain('fileVersions');
  });

  it('a voided signature keeps the versions it covered', () => {
    const { c } = run(['sign', 'replaceAtPrinting']);
    expect(c.stages.segmenting.signature).toBeNull();
    expect(c.stages.segmenting.voidedSignatures.at(-1)!.fileVersions).toEqual([{ deliverableId: c.deliverables[0]!.id, name: 'pelvis.stl', version: 1 }]);
  });

  it('several files, in the order of the models and guides', () => {
    const lab = new Lab();
    const { c: base } = ready(lab, [lab.model('Pelvis model', ['Pelvis']), lab.guide('Cutting guide')]);
    let c = lab.attachFile(base, base.deliverables[1]!.id, { name: 'guide.stl', sha256: SHA('b') });
    c = lab.attachFile(c, c.deliverables[0]!.id, { name: 'sacrum.stl', sha256: SHA('d') });
    c = lab.apply(c, { type: 'sign', stage: 'segmenting' }, rad);
    expect(signedVersionsText(c.stages.segmenting.signature!.fileVersions!)).toBe('v1 of pelvis.stl, v1 of sacrum.stl, v1 of guide.stl');
  });

  it('a signature that covers no file records none (imaging; a case without files)', () => {
    const lab = new Lab();
    const c = lab.build({ through: 'segmenting' });
    expect(c.stages.imaging.signature).not.toHaveProperty('fileVersions');
    expect(c.stages.segmenting.signature).not.toHaveProperty('fileVersions');
    expect(lab.events.find((e) => e.type === 'sign')!.summary).toBe('Imaging signed: “Imaging adequate for segmentation”');
  });
});

describe('design version of a model or guide, and the text marked on it', () => {
  const withFiles = (versions: (number | undefined)[]) => {
    const lab = new Lab();
    const c = lab.open([lab.model('Liver', ['Liver']), lab.guide('Guide')], { mrn: '123456' });
    const d = c.deliverables[0]!.id;
    const files = versions.map((version, i) => ({ id: `f${i}`, deliverableId: d, name: `Żółć liver ${i}.stl`, size: 1, sha256: SHA('a'), format: 'stl' as const, stage: 'segmenting' as const, attachedAt: '', attachedBy: '', ...(version ? { version } : {}) }));
    return { c: { ...c, caseNumber: '2026-0042', ...(files.length ? { files } : {}) } as Case, d };
  };

  it.each<[string, (number | undefined)[], string | null, string]>([
    ['one file at v1', [undefined], 'v1', 'MRN 123456 | Case 2026-0042 | v1'],
    ['one file at v2', [2], 'v2', 'MRN 123456 | Case 2026-0042 | v2'],
    ['two files at the same version', [3, 3], 'v3', 'MRN 123456 | Case 2026-0042 | v3'],
    ['two files at different versions, in the order attached', [2, undefined], 'v2+v1', 'MRN 123456 | Case 2026-0042 | v2+v1'],
    ['no file: no version', [], null, 'MRN 123456 | Case 2026-0042'],
  ])('%s', (_what, versions, version, mark) => {
    const { c, d } = withFiles(versions);
    expect(designVersion(c, { id: d })).toBe(version);
    expect(partMark(c, { id: d })).toBe(mark);
  });

  it('never the patient’s name nor a file name (it may hold the name); an MRN already written "MRN…" is not prefixed twice', () => {
    const { c, d } = withFiles([2]);
    const mark = partMark({ ...c, phi: { ...c.phi, mrn: 'MRN-100200' } }, { id: d });
    expect(mark).toBe('MRN-100200 | Case 2026-0042 | v2');
    expect(mark).not.toContain('Żółć');
    expect(mark).not.toContain('.stl');
  });

  it('another model or guide of the case has its own version', () => {
    const { c } = withFiles([2]);
    expect(partMark(c, c.deliverables[1]!)).toBe('MRN 123456 | Case 2026-0042');
  });
});
