// @vitest-environment node
// The DICOM header reader against files real scanners and toolkits wrote (pydicom's test
// and character-set files, as Debian ships them) and files dcmtk writes in every transfer
// syntax, with pydicom's reading of each as the oracle. Every file either gives the same
// study attributes pydicom reads, or a sentence saying why not, for a reason the oracles
// confirm (not Part 10, no transfer syntax, cut short). Nothing throws.
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imagingValuesFrom, INFLATE_FAILED, parseDicomHeader, type DicomHeader, type DicomParse } from '../../src/domain/dicom';
import { readDicomFiles } from '../../src/features/dicom-import/read-dicom';
import { CT_STUDY_DUMP, dcmFilesUnder, dcmtk, dcmtkFromDump, oracle, pydicomDataDir, type OracleReading } from '../support/dicom-oracle';

const DATA = pydicomDataDir();
const CORPUS = [...dcmFilesUnder(join(DATA, 'test_files')), ...dcmFilesUnder(join(DATA, 'charset_files'))];
const READ_BY_PYDICOM = oracle(CORPUS);
const DEFLATED = '1.2.840.10008.1.2.1.99';

const FIELDS = ['transferSyntaxUid', 'modality', 'studyDate', 'accessionNumber', 'studyDescription', 'seriesDescription', 'sliceThickness', 'studyInstanceUid', 'seriesInstanceUid', 'patientId', 'patientName'] as const;
const fieldsOf = (h: DicomHeader | OracleReading) => Object.fromEntries(FIELDS.map((k) => [k, h[k] ?? null]));

/** Why the reader may refuse a file, as the oracles see it; 'read' when it must read it. */
function expected(want: OracleReading): 'read' | 'not-dicom' | 'truncated' {
  if (!want.part10 || !want.transferSyntaxUid) return 'not-dicom';
  if (!want.complete) return 'truncated';
  return 'read';
}

/** The whole file at once; a deflated data set inflated with Node's zlib (the import streams it through the browser's DecompressionStream). */
function parse(bytes: Uint8Array): DicomParse {
  const r = parseDicomHeader(bytes);
  if (r.ok || r.problem !== 'inflate') return r;
  let inflated: Uint8Array;
  try {
    inflated = inflateRawSync(bytes.subarray(r.dataSetAt));
  } catch {
    return INFLATE_FAILED;
  }
  return parseDicomHeader(bytes, bytes.length, { bytes: inflated, complete: true });
}

const A_SENTENCE = /^[A-Z][^\n]*[.)]$/;

function expectReadLikePydicom(r: DicomParse, want: OracleReading): void {
  const reason = expected(want);
  if (r.ok) {
    expect(fieldsOf(r.header)).toEqual(fieldsOf(want));
    return;
  }
  expect(r.problem, `refused, but pydicom and dcmtk read it: ${JSON.stringify(r)}`).toBe(reason);
  expect('message' in r && r.message).toMatch(A_SENTENCE);
}

describe('pydicom’s test files: the same study attributes as pydicom reads, or a sentence', () => {
  it('the corpus is there and large', () => {
    expect(CORPUS.length).toBeGreaterThan(80);
    // Every transfer syntax the reader supports is in it, and the ones it refuses.
    const syntaxes = new Set(Object.values(READ_BY_PYDICOM).map((w) => w.transferSyntaxUid));
    for (const ts of ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', DEFLATED, '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.70', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91', '1.2.840.10008.1.2.5']) {
      expect(syntaxes, ts).toContain(ts);
    }
  });

  it.each(CORPUS.map((path) => [relative(DATA, path), path]))('%s', (_name, path) => {
    expectReadLikePydicom(parse(new Uint8Array(readFileSync(path))), READ_BY_PYDICOM[path]!);
  });

  it('reads all but the files the oracles also find wanting', () => {
    const refused = CORPUS.filter((path) => !parse(new Uint8Array(readFileSync(path))).ok).map((path) => `${basename(path)}: ${expected(READ_BY_PYDICOM[path]!)}`);
    // Four files without the Part 10 header (a bare data set), one without a transfer
    // syntax, two cut short: each refused with a sentence (above).
    expect(refused.length).toBeLessThanOrEqual(7);
    expect(refused.filter((r) => r.endsWith(': read'))).toEqual([]);
  });

  it('through the import (files read a piece at a time): the same header, or a sentence', async () => {
    const patient = { mrn: 'MRN-1', patientName: 'Nobody Known' };
    let read = 0;
    for (const path of CORPUS) {
      const bytes = new Uint8Array(readFileSync(path));
      const direct = parse(bytes);
      const imported = await readDicomFiles([new File([bytes], basename(path))], patient);
      // A header with something to fill must come through the import as it reads whole (deflated ones too).
      if (direct.ok && Object.keys(imagingValuesFrom(direct.header).values).length > 0) expect(imported.ok && imported.reading.header, path).toEqual(direct.header);
      else expect(!imported.ok && imported.message, path).toMatch(A_SENTENCE);
      if (imported.ok) read++;
    }
    expect(read).toBeGreaterThan(70);
  });

  it('a file cut anywhere or with a byte changed anywhere gives an answer, never a crash', () => {
    let seed = 20261206;
    const next = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    let answers = 0;
    for (const path of CORPUS) {
      const bytes = new Uint8Array(readFileSync(path));
      for (let i = 0; i < 12; i++) {
        const damaged = i % 2 === 0 ? bytes.slice(0, Math.floor(next() * bytes.length)) : bytes.slice();
        if (i % 2 === 1) damaged[Math.floor(next() * Math.min(damaged.length, 4096))] = Math.floor(next() * 256);
        const r = parse(damaged);
        if (!r.ok) {
          expect(r.problem, path).not.toBe('need-more');
          expect('message' in r && r.message, path).toMatch(A_SENTENCE);
        }
        answers++;
      }
    }
    expect(answers).toBe(CORPUS.length * 12);
  });
});

describe('files dcmtk writes, in each transfer syntax', () => {
  const test = (name: string) => join(DATA, 'test_files', name);
  const study = dcmtkFromDump(CT_STUDY_DUMP, 'study.dcm');
  const written: [string, string, string][] = [
    ['implicit VR little endian (dcmconv +ti)', dcmtk('dcmconv', ['+ti'], test('CT_small.dcm'), 'ct-implicit.dcm'), '1.2.840.10008.1.2'],
    ['explicit VR little endian (dcmconv +te)', dcmtk('dcmconv', ['+te'], test('MR_small_implicit.dcm'), 'mr-explicit.dcm'), '1.2.840.10008.1.2.1'],
    ['explicit VR big endian (dcmconv +tb)', dcmtk('dcmconv', ['+tb'], test('CT_small.dcm'), 'ct-big-endian.dcm'), '1.2.840.10008.1.2.2'],
    ['deflated explicit VR little endian (dcmconv +td)', dcmtk('dcmconv', ['+td'], test('CT_small.dcm'), 'ct-deflated.dcm'), DEFLATED],
    ['RLE lossless (dcmcrle)', dcmtk('dcmcrle', [], test('CT_small.dcm'), 'ct-rle.dcm'), '1.2.840.10008.1.2.5'],
    ['JPEG lossless (dcmcjpeg)', dcmtk('dcmcjpeg', [], test('CT_small.dcm'), 'ct-jpeg-lossless.dcm'), '1.2.840.10008.1.2.4.70'],
    ['JPEG baseline (dcmcjpeg +eb)', dcmtk('dcmcjpeg', ['+eb'], test('SC_rgb_small_odd.dcm'), 'sc-jpeg-baseline.dcm'), '1.2.840.10008.1.2.4.50'],
    ['JPEG-LS lossless (dcmcjpls)', dcmtk('dcmcjpls', [], test('MR_small.dcm'), 'mr-jpeg-ls.dcm'), '1.2.840.10008.1.2.4.80'],
    ['a study in UTF-8 from text (dump2dcm)', study, '1.2.840.10008.1.2.1'],
    ['the same study, big endian (dump2dcm, dcmconv +tb)', dcmtk('dcmconv', ['+tb'], study, 'study-big-endian.dcm'), '1.2.840.10008.1.2.2'],
    ['the same study, implicit VR (dump2dcm, dcmconv +ti)', dcmtk('dcmconv', ['+ti'], study, 'study-implicit.dcm'), '1.2.840.10008.1.2'],
  ];
  const readings = oracle(written.map(([, path]) => path));

  it.each(written)('%s', (_name, path, transferSyntax) => {
    const want = readings[path]!;
    expect(want.transferSyntaxUid).toBe(transferSyntax);
    const r = parse(new Uint8Array(readFileSync(path)));
    expectReadLikePydicom(r, want);
    expect(r.ok && r.header.studyInstanceUid).toBe(want.studyInstanceUid);
  });

  it('the UTF-8 study reads the same in every encoding, down to the patient’s name', () => {
    const headers = written.filter(([name]) => name.includes('the same study') || name.includes('UTF-8')).map(([, path]) => parse(new Uint8Array(readFileSync(path))));
    expect(headers).toHaveLength(3);
    for (const r of headers) expect(r).toMatchObject({ ok: true, header: { patientName: 'Żółć^Łukasz', patientId: 'MRN123456', modality: 'CT', studyDate: '20261120', sliceThickness: '0.6' } });
  });
});
