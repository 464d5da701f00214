// @vitest-environment node
// The Encapsulated PDF and STL files read back by toolkits we did not write: dcmtk
// (dcmftest, dcmdump, dcm2pdf), dicom3tools' IOD checker dciodvfy, and pydicom
// (tests/support/dicom-toolkits.ts; without them this test fails with a sentence saying so).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseSummary } from '../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../src/domain/cpt';
import { encapsulatedPdf, encapsulatedStl, ENCAPSULATED_PDF_STORAGE, ENCAPSULATED_STL_STORAGE, type DicomExport } from '../../src/domain/dicom-export';
import { renderCasePdf, type PdfFonts } from '../../src/features/report/case-pdf';
import { caseWithStl, CT_STUDY_UID, exportContext } from '../support/dicom-export-cases';
import { dciodvfy, dcmdump, DICOMDIR_STUDY_TIME_AND_ID, isPart10, pydicomRead, runTool, sha256 } from '../support/dicom-toolkits';
import { verifiedTrust } from '../support/trust';
import { asciiStl, sphere } from '../support/stl-generator';

const dir = mkdtempSync(join(tmpdir(), 'printpath-dicom-export-'));

function save(name: string, r: DicomExport): string {
  if (!r.ok) throw new Error(r.reason);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(r.chunks));
  return path;
}

const fontDir = resolve(process.cwd(), 'node_modules/@expo-google-fonts/noto-sans');
const fonts: PdfFonts = { regular: readFileSync(resolve(fontDir, '400Regular/NotoSans_400Regular.ttf')), bold: readFileSync(resolve(fontDir, '700Bold/NotoSans_700Bold.ttf')) };

type Written = { path: string; document: Uint8Array; sopClass: string; mime: string; modality: string; studyUid: 'imaging' | 'case' };

async function writeAll(): Promise<Written[]> {
  // With the CT study recorded at imaging: the real case summary PDF, and an ASCII STL of odd length.
  const withStudy = caseWithStl({ imaging: { studyInstanceUid: CT_STUDY_UID, studyDescription: 'CT PELVIS' }, name: 'pelvis.stl', stl: oddAscii() });
  const pdf = await renderCasePdf(caseSummary(withStudy.c, [], { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(withStudy.c), generatedAt: '2026-12-06T21:45:00.000Z' }), { loadFonts: async () => fonts });
  // Without one: the files' own study; a PDF of odd length and a binary STL.
  const own = caseWithStl();
  const oddPdf = new TextEncoder().encode('%PDF-1.7\n%%EOF\n');
  return [
    { path: save('summary-imaging-study.dcm', encapsulatedPdf(withStudy.c, pdf, exportContext())), document: pdf, sopClass: 'EncapsulatedPDFStorage', mime: 'application/pdf', modality: 'DOC', studyUid: 'imaging' },
    { path: save('model-imaging-study.dcm', encapsulatedStl(withStudy.c, withStudy.ref, withStudy.stl, exportContext())), document: withStudy.stl, sopClass: 'EncapsulatedSTLStorage', mime: 'model/stl', modality: 'M3D', studyUid: 'imaging' },
    { path: save('summary-own-study.dcm', encapsulatedPdf(own.c, oddPdf, exportContext())), document: oddPdf, sopClass: 'EncapsulatedPDFStorage', mime: 'application/pdf', modality: 'DOC', studyUid: 'case' },
    { path: save('model-own-study.dcm', encapsulatedStl(own.c, own.ref, own.stl, exportContext())), document: own.stl, sopClass: 'EncapsulatedSTLStorage', mime: 'model/stl', modality: 'M3D', studyUid: 'case' },
  ];
}

function oddAscii(): Uint8Array {
  const text = asciiStl([sphere('Pelvis', 30, 12, 6), sphere('Sacrum', 10, 8, 4)]);
  return new TextEncoder().encode(text.length % 2 ? text : `${text}\n`);
}


describe('Encapsulated PDF and STL as other toolkits read them', { timeout: 60_000 }, async () => {
  const written = await writeAll();

  it.each(written.map((w) => [w.path.split('/').at(-1)!, w]))('%s: dcmtk reads it as DICOM Part 10 with no warning, with its SOP class, MIME type and document length', (_name, w) => {
    expect(isPart10(w.path)).toBe(true);
    const dump = dcmdump(w.path);
    expect(dump.status).toBe(0);
    expect(dump.warnings).toBe('');
    expect(dump.line('0002,0002')).toMatch(new RegExp(`UI =${w.sopClass} `));
    expect(dump.line('0008,0016')).toMatch(new RegExp(`UI =${w.sopClass} `));
    expect(dump.line('0002,0010')).toMatch(/UI =LittleEndianExplicit /);
    expect(dump.line('0008,0060')).toContain(`CS [${w.modality}]`);
    expect(dump.line('0042,0012')).toContain(`LO [${w.mime}]`);
    expect(dump.line('0042,0015')).toMatch(new RegExp(`UL ${w.document.length} `));
    // The document itself, padded to even length.
    expect(dump.line('0042,0011')).toMatch(new RegExp(`# +${w.document.length + (w.document.length % 2)}, 1 EncapsulatedDocument$`));
    expect(dump.line('0020,000d')).toMatch(w.studyUid === 'imaging' ? `UI [${CT_STUDY_UID}]` : /UI \[2\.25\.\d+\]/);
    expect(dump.line('0010,0010')).toContain('PN [Żółć^Łukasz]');
  });

  it.each(written.map((w) => [w.path.split('/').at(-1)!, w]))('%s: dciodvfy finds no error in the IOD, and no warning but the DICOMDIR note', (_name, w) => {
    const r = dciodvfy(w.path);
    expect(r.iod).toBe(w.sopClass === 'EncapsulatedPDFStorage' ? 'EncapsulatedPDF' : 'EncapsulatedSTL');
    expect(r.remarks).toEqual(w.studyUid === 'imaging' ? DICOMDIR_STUDY_TIME_AND_ID : []);
    expect(r.status).toBe(0);
  });

  it('dcmtk’s dcm2pdf takes out each PDF exactly as it went in', () => {
    for (const w of written.filter((x) => x.mime === 'application/pdf')) {
      const out = `${w.path}.pdf`;
      expect(runTool('dcm2pdf', [w.path, out], 'dcmtk').status).toBe(0);
      expect(Buffer.compare(readFileSync(out), Buffer.from(w.document))).toBe(0);
    }
  });

  it('pydicom reads every file strictly, and its document up to the length given is the original, byte for byte', () => {
    const { readings, stderr } = pydicomRead(written.map((w) => w.path));
    expect(stderr).toBe('');
    for (const w of written) {
      expect(readings[w.path]).toEqual({
        sop: w.sopClass === 'EncapsulatedPDFStorage' ? ENCAPSULATED_PDF_STORAGE : ENCAPSULATED_STL_STORAGE,
        mime: w.mime,
        stored: w.document.length + (w.document.length % 2),
        sha: sha256(w.document),
      });
    }
  });

  it('the documents were of odd and even lengths, so the padding was tried both ways', () => {
    expect(new Set(written.map((w) => w.document.length % 2))).toEqual(new Set([0, 1]));
  });
});
