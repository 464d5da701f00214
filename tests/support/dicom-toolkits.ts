// What toolkits we did not write say of a DICOM file Printpath exported: dcmtk (dcmftest,
// dcmdump, dcm2pdf), dicom3tools' IOD checker dciodvfy, and pydicom. .ci/run installs them
// with apt; without them a test using these fails with a sentence saying so.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';

type Run = { status: number | null; stdout: string; stderr: string };

export function runTool(tool: string, args: string[], pkg: string): Run {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${tool} could not run (${r.error.message}): is ${pkg} installed? .ci/run installs it with apt.`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** dcmftest's verdict: is it a DICOM Part 10 file? */
export const isPart10 = (path: string) => runTool('dcmftest', [path], 'dcmtk').stdout.trim() === `yes: ${path}`;

/** dcmdump's listing (long values not loaded) and anything it warned about. */
export function dcmdump(path: string): { status: number | null; warnings: string; line: (tag: string) => string } {
  const r = runTool('dcmdump', ['-M', path], 'dcmtk');
  const lines = r.stdout.split('\n');
  return { status: r.status, warnings: r.stderr, line: (tag) => lines.find((l) => l.startsWith(`(${tag})`)) ?? `(${tag}) missing` };
}

/** dciodvfy: the IOD it checked the file against, its errors and warnings, and its exit status. */
export function dciodvfy(path: string): { iod: string | null; remarks: string[]; status: number | null } {
  const r = runTool('dciodvfy', [path], 'dicom3tools (dciodvfy)');
  const said = `${r.stdout}${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return { iod: said.find((l) => /^Encapsulated\w+$/.test(l)) ?? null, remarks: said.filter((l) => /^(Error|Warning)/.test(l)), status: r.status };
}

/**
 * What dciodvfy says of a file filed with the imaging study the lab recorded: that a DICOMDIR
 * (media, not PACS) would want the study's time and ID, which the lab does not record.
 */
export const DICOMDIR_STUDY_TIME_AND_ID = ['Warning - Missing attribute or value that would be needed to build DICOMDIR - Study Time', 'Warning - Missing attribute or value that would be needed to build DICOMDIR - Study ID'];

export type PydicomReading = { sop: string; mime: string; stored: number; sha: string };

/** pydicom in strict mode (every value checked): SOP class, MIME type, the stored document's length and the SHA-256 of it up to Encapsulated Document Length. */
export function pydicomRead(paths: string[]): { readings: Record<string, PydicomReading>; stderr: string } {
  const script = [
    'import hashlib, json, sys, pydicom, pydicom.config',
    'pydicom.config.settings.reading_validation_mode = pydicom.config.RAISE',
    'out = {}',
    'for p in sys.argv[1:]:',
    '    ds = pydicom.dcmread(p)',
    '    [e.value for e in ds.iterall()]',
    '    doc = ds.EncapsulatedDocument',
    '    out[p] = {"sop": ds.SOPClassUID, "mime": ds.MIMETypeOfEncapsulatedDocument, "stored": len(doc), "sha": hashlib.sha256(doc[:ds.EncapsulatedDocumentLength]).hexdigest()}',
    'print(json.dumps(out))',
  ].join('\n');
  // Debian's python, where python3-pydicom is installed (a pyenv python on PATH may not have it).
  const r = runTool('/usr/bin/python3', ['-c', script, ...paths], 'python3-pydicom');
  return { readings: JSON.parse(r.stdout || '{}') as Record<string, PydicomReading>, stderr: r.stderr };
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
