// Cases with model files for the DICOM export tests, made through real commands.
import type { Case, FieldValue } from '../../src/domain/case';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { DicomExportContext } from '../../src/domain/dicom-export';
import { filesOf, type ModelFileRef } from '../../src/domain/model-files';
import { IMAGING_VALUES, Lab, rad } from './case-builder';
import { binaryStl, sphere } from './stl-generator';

export const CT_STUDY_UID = '1.2.826.0.1.3680043.10.543.77';
export const NOW = '2026-12-06T21:45:09.120Z';

/** A fixed clock and counted UUIDs: the same file every run. */
export function exportContext(over: Partial<DicomExportContext> = {}): DicomExportContext {
  let n = 0;
  return {
    now: NOW,
    newUuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`,
    equipment: { softwareVersion: '0.1.0', deviceSerial: 'tablet-7f3a' },
    ...over,
  };
}

export type CaseWithFile = { c: Case; ref: ModelFileRef; stl: Uint8Array };

/** A case through imaging (with or without the study's UID) and segmenting files attached: a binary STL of a sphere, and any extra files given. */
export function caseWithStl(o: { imaging?: Record<string, FieldValue>; stl?: Uint8Array; name?: string; patient?: { patientName?: string; mrn?: string }} = {}): CaseWithFile {
  const lab = new Lab();
  const model = lab.model('Pelvis model', ['Pelvis', 'Sacrum']);
  let c = lab.open([model], o.patient ?? {});
  c = lab.apply(c, { type: 'saveStage', stage: 'imaging', values: { ...IMAGING_VALUES, ...(o.imaging ?? {}) } });
  c = lab.tickAll(c, 'imaging');
  c = lab.apply(c, { type: 'sign', stage: 'imaging' }, rad);
  const stl = o.stl ?? binaryStl([sphere('Pelvis', 30, 24, 12)]);
  c = lab.apply(c, {
    type: 'attachFile',
    stage: 'segmenting',
    file: { id: 'file-1', deliverableId: model.id, name: o.name ?? 'pelvis.stl', size: stl.length, sha256: bytesToHex(sha256(stl)), format: 'stl' },
  });
  return { c, ref: filesOf(c)[0]!, stl };
}
