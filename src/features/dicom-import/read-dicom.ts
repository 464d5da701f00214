// Reads DICOM headers from picked files: only the start of each file, more only when
// the header goes on (a CT slice's pixel data is never read into memory as a whole).
import type { PatientPhi } from '../../domain/case';
import { checkPatient, combineHeaders, imagingValuesFrom, INFLATE_FAILED, parseDicomHeader, type DicomHeader, type DicomParse, type ImagingFill, type PatientCheck } from '../../domain/dicom';

const FIRST_READ = 64 * 1024;

export type DicomReading = { files: number; header: DicomHeader; fill: ImagingFill; notes: string[]; patient: PatientCheck };

async function readHeader(file: File): Promise<DicomParse> {
  let size = Math.min(file.size, FIRST_READ);
  for (;;) {
    const bytes = new Uint8Array(await file.slice(0, size).arrayBuffer());
    const r = parseDicomHeader(bytes, file.size);
    if (!r.ok && r.problem === 'inflate') return readDeflated(file, bytes, r.dataSetAt);
    if (r.ok || r.problem !== 'need-more') return r;
    size = Math.min(file.size, Math.max(r.bytes + FIRST_READ, size * 2));
  }
}

const NO_INFLATE: DicomParse = {
  ok: false,
  problem: 'unsupported',
  message: 'This DICOM file is deflate-compressed, which this browser cannot open. Export it from PACS uncompressed, or use a current browser.',
};

/** A deflated file: its data set is inflated as it streams in, only as far as the header goes. */
async function readDeflated(file: File, head: Uint8Array, dataSetAt: number): Promise<DicomParse> {
  if (typeof DecompressionStream !== 'function' || typeof file.stream !== 'function') return NO_INFLATE;
  const chunks: Uint8Array[] = [];
  let length = 0;
  let complete = false;
  let wanted = FIRST_READ;
  const stream = file.slice(dataSetAt).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  try {
    for (;;) {
      while (!complete && length < wanted) {
        const next = await stream.read();
        if (next.done) {
          complete = true;
        } else {
          chunks.push(next.value);
          length += next.value.length;
        }
      }
      const inflated = new Uint8Array(length);
      chunks.reduce((at, chunk) => (inflated.set(chunk, at), at + chunk.length), 0);
      const r = parseDicomHeader(head, file.size, { bytes: inflated, complete });
      if (r.ok || r.problem !== 'need-more') return r;
      wanted = Math.max(r.bytes + FIRST_READ, wanted * 2);
    }
  } catch {
    return INFLATE_FAILED;
  } finally {
    void stream.cancel().catch(() => undefined);
  }
}

export async function readDicomFiles(files: readonly File[], patient: Pick<PatientPhi, 'mrn' | 'patientName'>): Promise<{ ok: true; reading: DicomReading } | { ok: false; message: string }> {
  const headers: DicomHeader[] = [];
  for (const file of files) {
    const r = await readHeader(file);
    if (!r.ok) return { ok: false, message: files.length > 1 ? `${file.name}: ${'message' in r ? r.message : 'could not be read.'}` : 'message' in r ? r.message : 'The file could not be read.' };
    headers.push(r.header);
  }
  const combined = combineHeaders(headers);
  if (!combined.ok) return { ok: false, message: combined.message };
  const fill = imagingValuesFrom(combined.header);
  if (Object.keys(fill.values).length === 0) return { ok: false, message: 'The DICOM file has none of the imaging details (modality, study date, accession number, slice thickness…).' };
  return { ok: true, reading: { files: files.length, header: combined.header, fill, notes: combined.notes, patient: checkPatient(combined.header, patient) } };
}
