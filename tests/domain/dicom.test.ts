import { describe, expect, it } from 'vitest';
import {
  checkPatient,
  combineHeaders,
  dicomDate,
  formatPersonName,
  imagingValuesFrom,
  namesMatch,
  parseDicomHeader,
  type DicomHeader,
} from '../../src/domain/dicom';
import { dicomFile, EXPLICIT, IMPLICIT, pixelValueOffset, type StudyAttributes } from '../support/dicom-writer';

const STUDY: StudyAttributes = {
  patientName: 'ZOLC^LUKASZ',
  patientId: 'MRN-100200',
  modality: 'CT',
  studyDate: '20260227',
  accessionNumber: 'ACC7788123',
  studyDescription: 'CT PELVIS W/O CONTRAST',
  seriesDescription: 'Bone 0.625mm',
  sliceThickness: '0.625',
  studyInstanceUid: '1.2.826.0.1.3680043.10.543.1',
  seriesInstanceUid: '1.2.826.0.1.3680043.10.543.1.2',
};

const PATIENT = { patientName: 'Łukasz Żółć', mrn: 'MRN-100200' };

function header(bytes: Uint8Array, size?: number): DicomHeader {
  const r = parseDicomHeader(bytes, size);
  if (!r.ok) throw new Error(`not parsed: ${JSON.stringify(r)}`);
  return r.header;
}

/** A sequence of undefined length, a defined-length sequence and a private OB: all skipped. */
const NOISE = [
  { tag: [0x0008, 0x1110] as const, vr: 'SQ' as const, items: [[{ tag: [0x0008, 0x1150] as const, vr: 'UI', value: '1.2.3' }, { tag: [0x0008, 0x1155] as const, vr: 'UI', value: '1.2.3.4' }]] },
  { tag: [0x0008, 0x1140] as const, vr: 'SQ' as const, defined: true, items: [[{ tag: [0x0008, 0x1150] as const, vr: 'UI', value: '9.8.7' }]] },
  { tag: [0x0009, 0x1001] as const, vr: 'OB' as const, bytes: new Uint8Array(300).fill(7) },
];

describe('parseDicomHeader', () => {
  it.each([
    ['explicit VR little endian', EXPLICIT],
    ['implicit VR little endian', IMPLICIT],
    ['a JPEG transfer syntax (header in explicit VR)', '1.2.840.10008.1.2.4.70'],
  ])('reads every field from %s, past sequences and private data', (_name, ts) => {
    const h = header(dicomFile(STUDY, { transferSyntax: ts, extra: NOISE }));
    expect(h).toEqual({
      transferSyntaxUid: ts,
      modality: 'CT',
      studyDate: '20260227',
      accessionNumber: 'ACC7788123',
      studyDescription: 'CT PELVIS W/O CONTRAST',
      seriesDescription: 'Bone 0.625mm',
      sliceThickness: '0.625',
      studyInstanceUid: '1.2.826.0.1.3680043.10.543.1',
      seriesInstanceUid: '1.2.826.0.1.3680043.10.543.1.2',
      patientId: 'MRN-100200',
      patientName: 'ZOLC^LUKASZ',
      hasPixelData: true,
    });
  });

  it('removes padding (odd-length values are padded with a space or, for UIDs, a NUL)', () => {
    const h = header(dicomFile({ ...STUDY, accessionNumber: 'A12', studyInstanceUid: '1.2.3' }));
    expect(h.accessionNumber).toBe('A12');
    expect(h.studyInstanceUid).toBe('1.2.3');
  });

  it('gives null for attributes the file does not have', () => {
    const h = header(dicomFile({ modality: 'MR' }));
    expect(h.modality).toBe('MR');
    expect(h.patientId).toBeNull();
    expect(h.studyDate).toBeNull();
    expect(h.sliceThickness).toBeNull();
  });

  it('decodes names in the declared character set (UTF-8 and Latin-1)', () => {
    expect(header(dicomFile({ ...STUDY, charset: 'ISO_IR 192', patientName: 'Żółć^Łukasz' })).patientName).toBe('Żółć^Łukasz');
    expect(header(dicomFile({ ...STUDY, charset: 'ISO_IR 100', patientName: 'Müller^Jürgen' })).patientName).toBe('Müller^Jürgen');
  });

  it('keeps only the alphabetic group of a person name', () => {
    expect(header(dicomFile({ ...STUDY, charset: 'ISO_IR 192', patientName: 'Yamada^Tarou=山田^太郎=やまだ^たろう' })).patientName).toBe('Yamada^Tarou');
  });

  it('never reads the pixel data: the file’s bytes up to the pixel data element are enough', () => {
    const pixelBytes = 4096;
    const file = dicomFile(STUDY, { pixelBytes });
    const headerOnly = file.subarray(0, pixelValueOffset(file, pixelBytes));
    const r = parseDicomHeader(headerOnly, file.length);
    expect(r.ok).toBe(true);
    expect(r.ok && r.header.hasPixelData).toBe(true);
    // Nothing in the result carries pixel values.
    expect(JSON.stringify(r).length).toBeLessThan(600);
  });

  it('asks for more of the file when the header goes on past the bytes given', () => {
    const file = dicomFile(STUDY, { extra: NOISE });
    const r = parseDicomHeader(file.subarray(0, 200), file.length);
    expect(r).toEqual({ ok: false, problem: 'need-more', bytes: expect.any(Number) });
    const more = r.ok === false && r.problem === 'need-more' ? r.bytes : 0;
    expect(more).toBeGreaterThan(200);
    expect(more).toBeLessThanOrEqual(file.length);
  });

  it.each([
    ['inside the pixel data', (f: Uint8Array) => f.subarray(0, f.length - 100)],
    ['inside a header element', (f: Uint8Array) => f.subarray(0, 300)],
    ['inside the file meta information', (f: Uint8Array) => f.subarray(0, 200)],
    ['right after the file meta information', (f: Uint8Array) => f.subarray(0, 132 + 12 + new DataView(f.buffer).getUint32(140, true))],
  ])('says a file cut short %s is truncated', (_where, cut) => {
    const file = dicomFile(STUDY);
    const short = cut(file);
    const r = parseDicomHeader(short);
    expect(r).toMatchObject({ ok: false, problem: 'truncated' });
    expect(r.ok === false && 'message' in r && r.message).toMatch(/cut short/);
  });

  it.each([
    ['a PNG', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(0)])],
    ['a text file', new TextEncoder().encode('Patient: Łukasz Żółć\n'.repeat(20))],
    ['an empty file', new Uint8Array(0)],
    ['a file with DICM but no meta group', (() => { const b = new Uint8Array(200); b.set([68, 73, 67, 77], 128); b.set([8, 0, 0x20, 0], 132); return b; })()],
  ])('says %s is not DICOM', (_name, bytes) => {
    const r = parseDicomHeader(bytes);
    expect(r).toMatchObject({ ok: false, problem: 'not-dicom' });
    expect(r.ok === false && 'message' in r && r.message).toMatch(/DICOM/);
  });

  it('says an unknown transfer syntax is not supported', () => {
    expect(parseDicomHeader(dicomFile(STUDY, { transferSyntax: '1.2.3.4.5' }))).toMatchObject({ ok: false, problem: 'unsupported', message: expect.stringMatching(/transfer syntax 1\.2\.3\.4\.5/) });
  });

  it('asks for a deflated data set to be inflated, then reads it; a damaged one gets a sentence', () => {
    const plain = dicomFile(STUDY, { transferSyntax: '1.2.840.10008.1.2.1.99' });
    const asked = parseDicomHeader(plain);
    if (asked.ok || asked.problem !== 'inflate') throw new Error(`expected 'inflate', got ${JSON.stringify(asked)}`);
    // The writer here does not deflate: its data set is what the inflated bytes would be.
    const dataSet = plain.subarray(asked.dataSetAt);
    expect(parseDicomHeader(plain, plain.length, { bytes: dataSet, complete: true })).toMatchObject({ ok: true, header: { accessionNumber: 'ACC7788123', transferSyntaxUid: '1.2.840.10008.1.2.1.99' } });
    expect(parseDicomHeader(plain, plain.length, { bytes: dataSet.subarray(0, 40), complete: false })).toEqual({ ok: false, problem: 'need-more', bytes: expect.any(Number) });
    expect(parseDicomHeader(plain, plain.length, { bytes: dataSet.subarray(0, 40), complete: true })).toMatchObject({ ok: false, problem: 'truncated' });
  });

  it('reads a file without pixel data (e.g. a header-only export) to its end', () => {
    const h = header(dicomFile(STUDY, { pixelBytes: 0 }));
    expect(h.hasPixelData).toBe(false);
    expect(h.accessionNumber).toBe('ACC7788123');
  });
});

describe('wrong-patient check', () => {
  it('matches the case when the ID and the name agree, ignoring case, accents, order and separators', () => {
    expect(checkPatient({ patientId: 'mrn100200', patientName: 'ZOLC^LUKASZ' }, PATIENT)).toEqual({ matches: true, problems: [] });
    expect(checkPatient({ patientId: 'MRN-100200', patientName: 'Żółć^Łukasz^^^' }, PATIENT).matches).toBe(true);
  });

  it.each([
    ['another patient ID', { patientId: 'MRN-999999', patientName: 'ZOLC^LUKASZ' }, /patient ID is MRN-999999; this case’s MRN is MRN-100200/],
    ['another name', { patientId: 'MRN-100200', patientName: 'DOE^JANE' }, /patient name is JANE DOE; this case’s patient is Łukasz Żółć/],
    ['no patient ID', { patientId: null, patientName: 'ZOLC^LUKASZ' }, /no patient ID/],
    ['no name', { patientId: 'MRN-100200', patientName: null }, /no patient name/],
  ])('warns for %s', (_name, h, message) => {
    const r = checkPatient(h, PATIENT);
    expect(r.matches).toBe(false);
    expect(r.problems.join(' ')).toMatch(message);
  });

  it.each([
    ['NGUYEN^THI LAN', 'Nguyễn Thị Lan', true],
    ['OBRIEN^SIOBHAN', "Siobhán O'Brien", false], // O'Brien is two tokens: o, brien
    ["O'BRIEN^SIOBHAN", "Siobhán O'Brien", true],
    ['GARCIA^MARIA^ELENA', 'Maria Garcia', true], // middle name in the file only
    ['GARCIA^MARIA', 'Maria Elena Garcia', false], // a name part the file does not have
    ['GARCIA LOPEZ^MARIA', 'Maria Garcia', false],
    ['SMITH^JAMES^^DR^JR', 'James Smith', true],
    ['SMITH^JANE', 'James Smith', false],
    ['^', 'James Smith', false],
  ])('namesMatch(%s, %s) is %s', (pn, name, expected) => {
    expect(namesMatch(pn, name)).toBe(expected);
  });

  it('shows a DICOM name the way people write it', () => {
    expect(formatPersonName('SMITH^JAMES^^DR^JR')).toBe('DR JAMES SMITH JR');
    expect(formatPersonName('DOE')).toBe('DOE');
  });
});

describe('to the imaging stage', () => {
  const base = header(dicomFile(STUDY));

  it('maps modality, date, slice thickness and the texts', () => {
    expect(imagingValuesFrom(base)).toEqual({
      values: {
        modality: 'CT',
        studyDate: '2026-02-27',
        sliceThicknessMm: 0.625,
        accessionNumber: 'ACC7788123',
        studyDescription: 'CT PELVIS W/O CONTRAST',
        seriesDescription: 'Bone 0.625mm',
        studyInstanceUid: '1.2.826.0.1.3680043.10.543.1',
      },
      skipped: [],
    });
  });

  it.each([['CT', 'CT'], ['MR', 'MR'], ['US', 'other'], ['XA', 'other'], ['PT', 'other']])('modality %s → %s', (dicom, field) => {
    expect(imagingValuesFrom({ ...base, modality: dicom }).values.modality).toBe(field);
  });

  it('fills only what the file has', () => {
    expect(imagingValuesFrom({ ...base, studyDate: null, sliceThickness: null, studyDescription: null }).values).not.toHaveProperty('studyDate');
  });

  it('skips, and says so, values the form would refuse', () => {
    const r = imagingValuesFrom({ ...base, studyDate: '20260231', sliceThickness: '25' });
    expect(r.values).not.toHaveProperty('studyDate');
    expect(r.values).not.toHaveProperty('sliceThicknessMm');
    expect(r.skipped).toEqual(['Study date “20260231” is not a valid date', 'Slice thickness 25 mm is outside 0.1–10 mm']);
  });

  it.each([['20260227', '2026-02-27'], ['2026.02.27', '2026-02-27'], ['2026022', null], ['20261301', null], ['', null]])('dicomDate(%s) = %s', (da, iso) => {
    expect(dicomDate(da)).toBe(iso);
  });

  it('takes the first value of a multi-valued slice thickness', () => {
    expect(imagingValuesFrom({ ...base, sliceThickness: '1.25\\1.25' }).values.sliceThicknessMm).toBe(1.25);
  });
});

describe('several files', () => {
  const a = header(dicomFile(STUDY));
  it('uses the first of files from one study', () => {
    expect(combineHeaders([a, { ...a }])).toEqual({ ok: true, header: a, notes: [] });
  });
  it('notes several series', () => {
    const r = combineHeaders([a, { ...a, seriesInstanceUid: '9.9' }]);
    expect(r.ok && r.notes).toEqual(['The files are from 2 series; the first file’s series is used.']);
  });
  it('refuses files of different patients or studies', () => {
    expect(combineHeaders([a, { ...a, patientId: 'X' }])).toEqual({ ok: false, message: 'These files are from different patients. Pick files of one study only.' });
    expect(combineHeaders([a, { ...a, studyInstanceUid: '1.2' }])).toMatchObject({ ok: false, message: /different studies/ });
  });
});
