// Real DICOM files and what toolkits we did not write read in them: the test files that
// Debian's python3-pydicom ships (written by scanners, PACS and toolkits: GE, Siemens,
// dcmtk, GDCM…), files dcmtk (Debian's dcmtk) writes in each transfer syntax, and
// pydicom's reading of any of them (tests/support/pydicom-oracle.py) as the oracle.
// .ci/run installs both packages; without them these tests fail with a sentence saying so.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's python, where python3-pydicom is installed (a pyenv python on PATH may not have it). */
const PYTHON = '/usr/bin/python3';
const ORACLE = join(import.meta.dirname, 'pydicom-oracle.py');

export type OracleReading = {
  part10: boolean;
  /** dcmtk read the whole file as DICOM Part 10. */
  complete: boolean;
  error?: string;
  transferSyntaxUid?: string | null;
  modality?: string | null;
  studyDate?: string | null;
  accessionNumber?: string | null;
  studyDescription?: string | null;
  seriesDescription?: string | null;
  sliceThickness?: string | null;
  studyInstanceUid?: string | null;
  seriesInstanceUid?: string | null;
  patientId?: string | null;
  patientName?: string | null;
};

function run(command: string, args: string[], what: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${what} failed (${command} ${args.slice(0, 3).join(' ')}…): is ${command.includes('python') ? 'python3-pydicom' : 'dcmtk'} installed? .ci/run installs it with apt.\n${String(e)}`);
  }
}

/** Where pydicom keeps its data files (test_files, charset_files). */
export function pydicomDataDir(): string {
  return run(PYTHON, ['-c', 'import os, pydicom.data; print(os.path.dirname(pydicom.data.__file__))'], 'Finding pydicom').trim();
}

/** Every .dcm file under a folder, sorted. */
export function dcmFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.toLowerCase().endsWith('.dcm'))
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

/** pydicom's (and dcmdump's) reading of each file. */
export function oracle(paths: readonly string[]): Record<string, OracleReading> {
  return JSON.parse(run(PYTHON, [ORACLE, ...paths], 'pydicom')) as Record<string, OracleReading>;
}

/** Runs a dcmtk tool (dcmconv, dcmcrle, dcmcjpeg, dump2dcm…) and returns the file it wrote. */
export function dcmtk(tool: string, args: readonly string[], input: string, outputName: string, dir = scratchDir()): string {
  const out = join(dir, outputName);
  run(tool, [...args, input, out], tool);
  return out;
}

/** A CT study as a PACS would send it, in UTF-8, written by dcmtk from text. */
export const CT_STUDY_DUMP = [
  '(0008,0005) CS [ISO_IR 192]',
  '(0008,0016) UI =CTImageStorage',
  '(0008,0018) UI [1.2.826.0.1.3680043.10.543.77.1.1]',
  '(0008,0020) DA [20261120]',
  '(0008,0050) SH [ACC-55821]',
  '(0008,0060) CS [CT]',
  '(0008,1030) LO [CT PELVIS]',
  '(0010,0010) PN [Żółć^Łukasz]',
  '(0010,0020) LO [MRN123456]',
  '(0018,0050) DS [0.6]',
  '(0020,000d) UI [1.2.826.0.1.3680043.10.543.77]',
  '(0020,000e) UI [1.2.826.0.1.3680043.10.543.77.1]',
].join('\n');

/** dcmtk's dump2dcm: a file from a dcmdump-style text (a tag, VR and value a line); file meta added by dcmtk. */
export function dcmtkFromDump(dump: string, outputName: string, args: readonly string[] = ['+te']): string {
  const text = join(scratchDir(), `${outputName}.dump`);
  writeFileSync(text, dump);
  return dcmtk('dump2dcm', args, text, outputName);
}

let scratch: string | undefined;
export function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'printpath-dicom-'));
  return scratch;
}
