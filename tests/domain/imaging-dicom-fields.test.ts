// The imaging fields added for DICOM import (study and series description, study
// instance UID): optional, sealed as PHI, and outside the signed content while blank,
// so imaging signatures made before the fields existed still match.
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/domain/canonical';
import { splitPhi } from '../../src/domain/phi';
import { fieldDef } from '../../src/domain/stages';
import { signatureIsValid, signedContent, signedContentHash } from '../../src/domain/workflow';
import { Lab } from '../support/case-builder';

const NEW_FIELDS = ['studyDescription', 'seriesDescription', 'studyInstanceUid'];

describe('imaging fields filled from DICOM', () => {
  it('are optional text fields, sealed with the patient part', () => {
    for (const key of NEW_FIELDS) expect(fieldDef('imaging', key)).toMatchObject({ type: 'text', required: false, phi: true });
    const lab = new Lab();
    const c = lab.apply(lab.open(), { type: 'saveStage', stage: 'imaging', values: { studyDescription: 'CT PELVIS', studyInstanceUid: '1.2.3' } });
    const { clear, phi } = splitPhi(c);
    expect(clear.stages.imaging.values).not.toHaveProperty('studyDescription');
    expect(clear.stages.imaging.values).not.toHaveProperty('studyInstanceUid');
    expect(phi.stageText.imaging).toMatchObject({ studyDescription: 'CT PELVIS', studyInstanceUid: '1.2.3' });
  });

  it('leave a signature made before they existed valid: blank, they are not in the signed content', () => {
    const lab = new Lab();
    const c = lab.build({ through: 'imaging' });
    const content = signedContent(c, 'imaging');
    for (const key of NEW_FIELDS) expect(content.values).not.toHaveProperty(key);
    // The content as it was hashed before the fields were added.
    const legacy = { ...content, values: { modality: 'CT', studyDate: '2026-02-27', accessionNumber: 'ACC1234567', sliceThicknessMm: 0.625, contrastPhase: 'arterial', imagingNotes: null } };
    expect(signedContentHash(c, 'imaging')).toBe(sha256Hex(canonicalJson(legacy)));
    expect(signatureIsValid(c, 'imaging')).toBe(true);
  });

  it('are signed once recorded: filling one in after the sign-off voids it', () => {
    const lab = new Lab();
    const signed = lab.build({ through: 'imaging' });
    const filled = lab.apply(signed, { type: 'saveStage', stage: 'imaging', values: { seriesDescription: 'Bone 0.6' } });
    expect(filled.stages.imaging.signature).toBeNull();
    expect(filled.stages.imaging.voidedSignatures.at(-1)!.reason).toBe('Changed: Series description');
    expect(signedContent(filled, 'imaging').values).toMatchObject({ seriesDescription: 'Bone 0.6' });
  });
});
