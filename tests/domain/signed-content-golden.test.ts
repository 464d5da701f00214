// A golden signed-content hash: the bytes a radiologist's imaging sign-off covers, written
// out by hand here (sorted keys, no spaces, blanks as null, nothing else), and their SHA-256
// worked out by Node's own crypto rather than the app's hashing library. Any change to what
// is signed, or to how it is serialized, breaks this test, and with it every stored signature.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/domain/canonical';
import { signedContent, signedContentHash } from '../../src/domain/workflow';
import { Lab } from '../support/case-builder';

const IMAGING_SIGNED =
  '{"caseId":"case-3","checklist":{"qualityAdequate":true,"studyRetrieved":true},"contentVersion":2,"stage":"imaging",' +
  '"values":{"accessionNumber":"ACC1234567","contrastPhase":"arterial","imagingNotes":null,"modality":"CT","sliceThicknessMm":0.625,"studyDate":"2026-02-27"}}';
const IMAGING_SIGNED_SHA256 = '5e3f83986a56a844d24171c09ba609ada5437a8d08769554fe4f9bc5e232ee7c';

describe('golden signed content', () => {
  const lab = new Lab();
  const c = lab.build({ deliverables: [lab.model('Pelvis model', ['Pelvis'])], through: 'imaging' });

  it('the imaging sign-off covers exactly these bytes', () => {
    expect(c.id).toBe('case-3');
    expect(canonicalJson(signedContent(c, 'imaging'))).toBe(IMAGING_SIGNED);
  });

  it('whose SHA-256, by Node’s crypto, is the pinned hash, the app’s hash, and the one the signature holds', () => {
    expect(createHash('sha256').update(IMAGING_SIGNED, 'utf8').digest('hex')).toBe(IMAGING_SIGNED_SHA256);
    expect(signedContentHash(c, 'imaging')).toBe(IMAGING_SIGNED_SHA256);
    expect(c.stages.imaging.signature?.contentHash).toBe(IMAGING_SIGNED_SHA256);
  });
});
