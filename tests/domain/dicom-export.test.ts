import { describe, expect, it } from 'vitest';
import { namesMatch, parseDicomHeader } from '../../src/domain/dicom';
import { dicomFileName, dicomPersonName, encapsulatedPdf, encapsulatedStl, ENCAPSULATED_PDF_STORAGE, ENCAPSULATED_STL_STORAGE, stlNamesPatient, type DicomExport } from '../../src/domain/dicom-export';
import { generateCase, seededRng } from '../../src/domain/demo-cases';
import { asCaseId } from '../../src/domain/ids';
import { rad, tech } from '../support/case-builder';
import { caseWithStl, CT_STUDY_UID, exportContext } from '../support/dicom-export-cases';
import { asciiStl, sphere } from '../support/stl-generator';

const PDF = new TextEncoder().encode('%PDF-1.7\n% a stand-in\n%%EOF\n');

function bytesOf(r: DicomExport): Uint8Array {
  if (!r.ok) throw new Error(r.reason);
  const out = new Uint8Array(r.chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of r.chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The text of one top-level element, found by its tag and VR bytes (enough for these tests; dcmtk reads them in dicom-export-dcmtk.test.ts). */
function textOf(b: Uint8Array, tag: number, vr: string): string | null {
  const want = [tag >>> 16 & 0xff, tag >>> 24, tag & 0xff, (tag >>> 8) & 0xff, vr.charCodeAt(0), vr.charCodeAt(1)];
  for (let i = 132; i < b.length - 8; i++) {
    if (want.every((x, k) => b[i + k] === x)) {
      const len = b[i + 6]! | (b[i + 7]! << 8);
      return new TextDecoder().decode(b.subarray(i + 8, i + 8 + len)).replace(/[\0 ]+$/, '');
    }
  }
  return null;
}

describe('the patient’s name as a DICOM person name', () => {
  it.each([
    ['Jane Doe', 'Doe^Jane'],
    ['Doe, Jane', 'Doe^Jane'],
    ['Jane Mary Doe', 'Doe^Jane Mary'],
    ['  Łukasz   Żółć ', 'Żółć^Łukasz'],
    ['Cher', 'Cher'],
    ['Doe,', 'Doe'],
    ['O^Brien=X \\ Y', 'Y^O Brien X /'],
  ])('%s → %s', (name, pn) => {
    expect(dicomPersonName(name)).toBe(pn);
  });

  it('is read back as the same person by the app’s wrong-patient check, for every generated patient', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const g = generateCase(seededRng(seed), { index: seed, openedAt: '2026-03-01T08:00:00.000Z', technician: tech, radiologist: rad, progress: 0, newId: () => crypto.randomUUID(), caseNumber: `PP-${seed}` });
      expect(namesMatch(dicomPersonName(g.case.phi.patientName), g.case.phi.patientName), g.case.phi.patientName).toBe(true);
    }
  });
});

describe('which study the DICOM files go into', () => {
  it('the imaging study the lab recorded: its UID, date, accession and description, read back by the app’s DICOM reader', () => {
    const { c, ref, stl } = caseWithStl({ imaging: { studyInstanceUid: CT_STUDY_UID, studyDescription: 'CT PELVIS W/O' } });
    for (const r of [encapsulatedPdf(c, PDF, exportContext()), encapsulatedStl(c, ref, stl, exportContext())]) {
      expect(r).toMatchObject({ ok: true, filedWith: 'imaging-study', studyInstanceUid: CT_STUDY_UID });
      const b = bytesOf(r);
      // The study's time and ID are not recorded by the lab: present and empty, not made up.
      expect([textOf(b, 0x00080030, 'TM'), textOf(b, 0x00200010, 'SH')]).toEqual(['', '']);
      const read = parseDicomHeader(b);
      expect(read).toMatchObject({ ok: true, header: { studyInstanceUid: CT_STUDY_UID, studyDate: '20260227', accessionNumber: 'ACC1234567', studyDescription: 'CT PELVIS W/O', patientId: 'MRN-100200', patientName: 'Żółć^Łukasz' } });
    }
  });

  it('no study UID recorded: a study of the case’s own, the same for the PDF and every model and every export, named by the case number', () => {
    const { c, ref, stl } = caseWithStl();
    const a = encapsulatedPdf(c, PDF, exportContext());
    const b = encapsulatedStl(c, ref, stl, exportContext());
    const again = encapsulatedPdf(c, PDF, exportContext({ newUuid: () => crypto.randomUUID() }));
    expect(a.ok && b.ok && again.ok).toBe(true);
    if (!a.ok || !b.ok || !again.ok) return;
    expect(a.filedWith).toBe('case-study');
    expect(a.studyInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(b.studyInstanceUid).toBe(a.studyInstanceUid);
    expect(again.studyInstanceUid).toBe(a.studyInstanceUid);
    expect(again.sopInstanceUid).not.toBe(a.sopInstanceUid);
    expect(textOf(bytesOf(again), 0x0020000e, 'UI')).not.toBe(textOf(bytesOf(a), 0x0020000e, 'UI'));
    expect(textOf(bytesOf(a), 0x00200010, 'SH')).toBe(c.caseNumber);
    // Another case (another id), another study.
    const otherStudy = encapsulatedPdf({ ...c, id: asCaseId('another-case') }, PDF, exportContext());
    expect(otherStudy.ok && otherStudy.studyInstanceUid).toMatch(/^2\.25\.\d+$/);
    expect(otherStudy.ok && otherStudy.studyInstanceUid).not.toBe(a.studyInstanceUid);
    const header = parseDicomHeader(bytesOf(a));
    expect(header).toMatchObject({ ok: true, header: { studyDate: c.createdAt.slice(0, 10).replace(/-/g, ''), accessionNumber: null, studyDescription: `3D printing case ${c.caseNumber}` } });
  });
});

describe('what each object says', () => {
  const { c, ref, stl } = caseWithStl({ imaging: { studyInstanceUid: CT_STUDY_UID } });

  it('the PDF: Encapsulated PDF, a document series, application/pdf, burned-in patient data, its length', () => {
    const b = bytesOf(encapsulatedPdf(c, PDF, exportContext()));
    expect(textOf(b, 0x00020002, 'UI')).toBe(ENCAPSULATED_PDF_STORAGE);
    expect(textOf(b, 0x00080016, 'UI')).toBe(ENCAPSULATED_PDF_STORAGE);
    expect(textOf(b, 0x00080060, 'CS')).toBe('DOC');
    expect(textOf(b, 0x00420012, 'LO')).toBe('application/pdf');
    expect(textOf(b, 0x00280301, 'CS')).toBe('YES');
    expect(textOf(b, 0x00420010, 'ST')).toBe(`3D printing case summary, case ${c.caseNumber}`);
    expect(textOf(b, 0x00080064, 'CS')).toBe('WSD');
    expect(textOf(b, 0x00200011, 'IS')).toBe('9901');
  });

  it('the model: Encapsulated STL, modality M3D, model/stl, millimetres, its own frame of reference, the app as equipment', () => {
    const b = bytesOf(encapsulatedStl(c, ref, stl, exportContext()));
    expect(textOf(b, 0x00080016, 'UI')).toBe(ENCAPSULATED_STL_STORAGE);
    expect(textOf(b, 0x00080060, 'CS')).toBe('M3D');
    expect(textOf(b, 0x00200011, 'IS')).toBe('9902');
    expect(textOf(b, 0x00420012, 'LO')).toBe('model/stl');
    expect(textOf(b, 0x00420010, 'ST')).toBe('Pelvis model (anatomic model): pelvis.stl');
    expect(textOf(b, 0x00200052, 'UI')).toMatch(/^2\.25\.\d+$/);
    expect(textOf(b, 0x00080070, 'LO')).toBe('Printpath');
    expect(textOf(b, 0x00181020, 'LO')).toBe('0.1.0');
    expect(textOf(b, 0x00181000, 'LO')).toBe('tablet-7f3a');
    expect(textOf(b, 0x00080100, 'SH')).toBe('mm');
    expect(textOf(b, 0x00080102, 'SH')).toBe('UCUM');
  });

  it('file names carry the case number only, never the patient or the file’s own name', () => {
    expect(encapsulatedPdf(c, PDF, exportContext())).toMatchObject({ fileName: `case-${c.caseNumber}-summary.dcm` });
    expect(encapsulatedStl(c, ref, stl, exportContext())).toMatchObject({ fileName: `case-${c.caseNumber}-model-1.dcm` });
    expect(dicomFileName('PP/2026 #7', { model: 2 })).toBe('case-PP-2026-7-model-2.dcm');
    expect(dicomFileName('', 'summary')).toBe('case-case-summary.dcm');
  });

  it('a demo case says so, on the patient and in the titles', () => {
    const g = generateCase(seededRng(3), { index: 3, openedAt: '2026-03-01T08:00:00.000Z', technician: tech, radiologist: rad, progress: 0, newId: () => crypto.randomUUID(), caseNumber: 'PP-DEMO-3', demo: true });
    expect(g.case.demo).toBe(true);
    const b = bytesOf(encapsulatedPdf(g.case, PDF, exportContext()));
    expect(textOf(b, 0x00104000, 'LT')).toBe('DEMO CASE — not a real patient.');
    expect(textOf(b, 0x0008103e, 'LO')).toBe('DEMO — 3D printing case summary');
    expect(textOf(b, 0x00420010, 'ST')).toBe('DEMO — 3D printing case summary, case PP-DEMO-3');
  });
});

describe('refusals: a sentence, and no file', () => {
  const { c, ref, stl } = caseWithStl();
  it.each([
    ['not a PDF', () => encapsulatedPdf(c, new TextEncoder().encode('<html>'), exportContext()), 'The case summary was not made as a PDF, so there is nothing to export as DICOM.'],
    ['an OBJ file', () => encapsulatedStl(c, { ...ref, format: 'obj' }, stl, exportContext()), 'pelvis.stl is an OBJ file: only STL files can be exported as DICOM (Encapsulated STL).'],
    ['a file of another case', () => encapsulatedStl(c, { ...ref, id: 'other' }, stl, exportContext()), 'pelvis.stl is not one of this case’s files.'],
    ['bytes that are not the file', () => encapsulatedStl(c, ref, stl.subarray(1), exportContext()), `The bytes read for pelvis.stl are not the file attached (${stl.length - 1} bytes, not ${stl.length}).`],
    ['an invalid study UID typed at imaging', () => encapsulatedPdf(caseWithStl({ imaging: { studyInstanceUid: '1.2.03.4' } }).c, PDF, exportContext()), 'The study instance UID recorded at imaging (1.2.03.4) is not a valid DICOM UID. Correct it at imaging, then export again.'],
    ['an accession number DICOM cannot hold', () => encapsulatedPdf(caseWithStl({ imaging: { studyInstanceUid: CT_STUDY_UID, accessionNumber: 'A'.repeat(17) } }).c, PDF, exportContext()), `The accession number recorded at imaging (${'A'.repeat(17)}) is longer than DICOM allows (16 characters). Correct it at imaging, then export again.`],
    ['a patient’s name longer than a DICOM name', () => encapsulatedPdf(caseWithStl({ patient: { patientName: `Anna ${'Maria '.repeat(11)}Nowak` } }).c, PDF, exportContext()), 'The patient’s name is longer than a DICOM name may be (64 characters), so the case cannot be exported as DICOM.'],
  ])('%s', (_what, run, reason) => {
    expect(run()).toEqual({ ok: false, reason });
  });

  it('an accession number longer than DICOM allows does not matter when the files go into the case’s own study', () => {
    expect(encapsulatedPdf(caseWithStl({ imaging: { accessionNumber: 'A'.repeat(17) } }).c, PDF, exportContext())).toMatchObject({ ok: true, filedWith: 'case-study' });
  });

});

describe('Burned In Annotation of a mesh: does the STL’s own text name the patient?', () => {
  const patient = { patientName: 'Łukasz Żółć', mrn: 'MRN-100200' };
  const binary = (header: string) => {
    const b = new Uint8Array(84);
    b.set(new TextEncoder().encode(header).subarray(0, 80));
    return b;
  };
  it.each([
    ['a binary header of the software', binary('Materialise Mimics 26.0 binary STL'), false],
    ['a binary header naming the patient', binary('ZOLC LUKASZ pelvis'), true],
    ['a binary header with the MRN', binary('mrn100200 pelvis'), true],
    ['an ASCII STL with anatomy names', new TextEncoder().encode(asciiStl([sphere('Pelvis', 10, 6, 4), sphere('Sacrum', 5, 6, 4)])), false],
    ['an ASCII STL whose second solid names the patient', new TextEncoder().encode(asciiStl([sphere('Pelvis', 10, 6, 4), sphere('Zolc_sacrum', 5, 6, 4)])), true],
  ])('%s', (_what, stl, named) => {
    expect(stlNamesPatient(stl, patient)).toBe(named);
  });
});
