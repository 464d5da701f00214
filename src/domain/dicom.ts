// DICOM Part 10 header reading for the imaging stage: the few study and patient
// attributes the lab records, read from the file's bytes up to the pixel data and
// never past it (the pixel data is neither read nor kept). Supports explicit VR
// little endian (also under compressed transfer syntaxes, whose headers use it),
// implicit VR little endian, explicit VR big endian (retired, still in archives) and
// deflated explicit VR little endian (the caller inflates the data set: see 'inflate').
// Also: the wrong-patient check and the mapping to
// the imaging stage's fields. Pure: the bytes and the case are passed in.
import type { FieldValue, PatientPhi } from './case';
import { fieldDef } from './stages';

export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
const DEFLATED_EXPLICIT_VR_LE = '1.2.840.10008.1.2.1.99';
const EXPLICIT_VR_BE = '1.2.840.10008.1.2.2';

/** The attributes read, as they are in the file (trailing padding removed); null when absent or empty. */
export type DicomHeader = {
  transferSyntaxUid: string;
  modality: string | null;
  studyDate: string | null;
  accessionNumber: string | null;
  studyDescription: string | null;
  seriesDescription: string | null;
  sliceThickness: string | null;
  studyInstanceUid: string | null;
  seriesInstanceUid: string | null;
  patientId: string | null;
  /** DICOM PN: family^given^middle^prefix^suffix (alphabetic group only). */
  patientName: string | null;
  /** The file has a pixel data element (its value was skipped, not read). */
  hasPixelData: boolean;
};

export type DicomProblem = 'not-dicom' | 'truncated' | 'unsupported';

export type DicomParse =
  | { ok: true; header: DicomHeader }
  | { ok: false; problem: DicomProblem; message: string }
  /** The header goes on past the bytes given: read the file up to `bytes` and parse again. */
  | { ok: false; problem: 'need-more'; bytes: number }
  /**
   * A deflated file: its data set, from byte `dataSetAt` of the file on, is raw deflate. Inflate
   * it and parse again with the inflated bytes; 'need-more' then counts inflated bytes.
   */
  | { ok: false; problem: 'inflate'; dataSetAt: number };

/** The inflated data set of a deflated file, or its start (`complete` false). */
export type InflatedDataSet = { bytes: Uint8Array; complete: boolean };

export const INFLATE_FAILED: DicomParse = {
  ok: false,
  problem: 'truncated',
  message: 'The file’s compressed DICOM data is damaged or cut short. Copy it again from PACS.',
};

type Wanted = Exclude<keyof DicomHeader, 'transferSyntaxUid' | 'hasPixelData'> | 'charset';

const tagKey = (group: number, element: number) => group * 0x10000 + element;

const WANTED = new Map<number, Wanted>([
  [tagKey(0x0008, 0x0005), 'charset'],
  [tagKey(0x0008, 0x0020), 'studyDate'],
  [tagKey(0x0008, 0x0050), 'accessionNumber'],
  [tagKey(0x0008, 0x0060), 'modality'],
  [tagKey(0x0008, 0x1030), 'studyDescription'],
  [tagKey(0x0008, 0x103e), 'seriesDescription'],
  [tagKey(0x0010, 0x0010), 'patientName'],
  [tagKey(0x0010, 0x0020), 'patientId'],
  [tagKey(0x0018, 0x0050), 'sliceThickness'],
  [tagKey(0x0020, 0x000d), 'studyInstanceUid'],
  [tagKey(0x0020, 0x000e), 'seriesInstanceUid'],
]);
/** Values in the specific character set; the others are plain ASCII by their VR. */
const TEXT: ReadonlySet<Wanted> = new Set(['studyDescription', 'seriesDescription', 'patientName', 'patientId', 'accessionNumber']);

const PIXEL_GROUP = 0x7fe0;
const ITEM = tagKey(0xfffe, 0xe000);
const ITEM_END = tagKey(0xfffe, 0xe00d);
const SEQUENCE_END = tagKey(0xfffe, 0xe0dd);
const UNDEFINED = 0xffffffff;
const KNOWN_VRS = new Set(['AE', 'AS', 'AT', 'CS', 'DA', 'DS', 'DT', 'FD', 'FL', 'IS', 'LO', 'LT', 'OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'PN', 'SH', 'SL', 'SQ', 'SS', 'ST', 'SV', 'TM', 'UC', 'UI', 'UL', 'UN', 'UR', 'US', 'UT', 'UV']);
/** Explicit VRs with a 2-byte reserved field and a 4-byte length. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

class Stop extends Error {
  constructor(readonly result: DicomParse) {
    super('stop');
  }
}

const fail = (problem: DicomProblem, message: string) => new Stop({ ok: false, problem, message });
const TRUNCATED = 'The file is cut short (truncated): it ends in the middle of its DICOM data. Copy it again from PACS.';

type Element = { tag: number; group: number; vr: string | null; length: number; valueAt: number };

class Reader {
  offset = 0;
  /** The file meta information is always little endian; the data set follows its transfer syntax. */
  littleEndian = true;
  private readonly view: DataView;
  /** `fileSize` is Infinity for an inflated data set not yet inflated to its end. */
  constructor(private readonly bytes: Uint8Array, readonly fileSize: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Makes sure [offset, end) can be read: more of the file is needed, or the file is too short. */
  need(end: number): void {
    if (end > this.fileSize) throw fail('truncated', TRUNCATED);
    if (end > this.bytes.length) throw new Stop({ ok: false, problem: 'need-more', bytes: end });
  }

  atEnd = () => this.offset >= this.fileSize;
  u16 = (at: number) => (this.need(at + 2), this.view.getUint16(at, this.littleEndian));
  u32 = (at: number) => (this.need(at + 4), this.view.getUint32(at, this.littleEndian));
  ascii(at: number, length: number): string {
    this.need(at + length);
    let s = '';
    for (let i = 0; i < length; i++) s += String.fromCharCode(this.bytes[at + i]!);
    return s;
  }
  slice(at: number, length: number): Uint8Array {
    this.need(at + length);
    return this.bytes.subarray(at, at + length);
  }

  /** Moves past a value without reading it; only the file size is checked. */
  skip(length: number): void {
    if (this.offset + length > this.fileSize) throw fail('truncated', TRUNCATED);
    this.offset += length;
  }

  /** Reads an element's tag, VR and length (not its value); leaves offset at the value. */
  element(explicit: boolean): Element {
    const group = this.u16(this.offset);
    const tag = tagKey(group, this.u16(this.offset + 2));
    if (group === 0xfffe) {
      // Items and delimiters have no VR, in either encoding.
      const length = this.u32(this.offset + 4);
      this.offset += 8;
      return { tag, group, vr: null, length, valueAt: this.offset };
    }
    if (!explicit) {
      const length = this.u32(this.offset + 4);
      this.offset += 8;
      return { tag, group, vr: null, length, valueAt: this.offset };
    }
    const vr = this.ascii(this.offset + 4, 2);
    if (!/^[A-Z]{2}$/.test(vr)) throw fail('not-dicom', 'The file’s DICOM data is damaged (an element has no valid value representation).');
    if (LONG_VRS.has(vr)) {
      const length = this.u32(this.offset + 8);
      this.offset += 12;
      return { tag, group, vr, length, valueAt: this.offset };
    }
    const length = this.u16(this.offset + 6);
    this.offset += 8;
    return { tag, group, vr, length, valueAt: this.offset };
  }

  /** Skips a sequence (or UN) of undefined length: items until the sequence delimiter. */
  skipUndefined(explicit: boolean): void {
    for (;;) {
      const el = this.element(explicit);
      if (el.tag === SEQUENCE_END) return;
      if (el.tag !== ITEM) throw fail('not-dicom', 'The file’s DICOM data is damaged (a sequence is not closed properly).');
      if (el.length !== UNDEFINED) this.skip(el.length);
      else this.skipItem(explicit);
    }
  }

  private skipItem(explicit: boolean): void {
    for (;;) {
      const el = this.element(explicit);
      if (el.tag === ITEM_END) return;
      this.skipValue(el, explicit);
    }
  }

  skipValue(el: Element, explicit: boolean): void {
    if (el.length !== UNDEFINED) return this.skip(el.length);
    // A UN of undefined length holds an implicit VR sequence (PS3.5 §6.2.2).
    this.skipUndefined(explicit && el.vr !== 'UN');
  }
}

/**
 * Reads the header of a DICOM Part 10 file. `bytes` may be the start of the file
 * only (its size is `fileSize`): the answer is then 'need-more' when the header goes
 * on past them. Parsing stops at the pixel data, whose value is never read.
 */
export function parseDicomHeader(bytes: Uint8Array, fileSize: number = bytes.length, inflated?: InflatedDataSet): DicomParse {
  try {
    return { ok: true, header: parse(new Reader(bytes, fileSize), fileSize, inflated) };
  } catch (e) {
    if (e instanceof Stop) return e.result;
    throw e;
  }
}

function parse(file: Reader, fileSize: number, inflated: InflatedDataSet | undefined): DicomHeader {
  let r = file;
  if (fileSize < 132) throw fail('not-dicom', 'This is not a DICOM file: it is too short to have the DICOM file header.');
  if (r.ascii(128, 4) !== 'DICM') throw fail('not-dicom', 'This is not a DICOM Part 10 file (no “DICM” marker after the 128-byte preamble).');
  r.offset = 132;

  // File meta information: always explicit VR little endian.
  let transferSyntaxUid = '';
  let metaElements = 0;
  while (!r.atEnd() && r.u16(r.offset) === 0x0002) {
    const el = r.element(true);
    if (el.length === UNDEFINED) throw fail('not-dicom', 'The file’s DICOM header is damaged.');
    if (el.tag === tagKey(0x0002, 0x0010)) transferSyntaxUid = trimValue(r.ascii(el.valueAt, el.length));
    r.skip(el.length);
    metaElements++;
  }
  if (metaElements === 0) throw fail('not-dicom', 'The file has the “DICM” marker but no DICOM file meta information.');
  if (!transferSyntaxUid) throw fail('not-dicom', 'The file’s DICOM header does not say how its data is encoded (no transfer syntax).');
  const encoding = encodingFor(transferSyntaxUid);
  if (transferSyntaxUid === DEFLATED_EXPLICIT_VR_LE) {
    if (!inflated) throw new Stop({ ok: false, problem: 'inflate', dataSetAt: r.offset });
    r = new Reader(inflated.bytes, inflated.complete ? inflated.bytes.length : Infinity);
  }
  r.littleEndian = encoding.littleEndian;
  // Some writers say one VR encoding in the meta information and use the other in the
  // data set; like pydicom and dcmtk, the first element decides (a VR is two capitals).
  const explicit = r.atEnd() || r.offset + 6 > r.fileSize ? encoding.explicit : KNOWN_VRS.has(r.ascii(r.offset + 4, 2));

  const raw: Partial<Record<Wanted, Uint8Array>> = {};
  let hasPixelData = false;
  let elements = 0;
  while (!r.atEnd()) {
    const el = r.element(explicit);
    elements++;
    if (el.group === PIXEL_GROUP) {
      // Stop here. Only the declared length is checked against the file size, to catch a cut-short file.
      hasPixelData = true;
      if (el.length !== UNDEFINED) r.skip(el.length);
      break;
    }
    if (el.group === 0xfffe) throw fail('not-dicom', 'The file’s DICOM data is damaged (an item outside a sequence).');
    const wanted = WANTED.get(el.tag);
    if (wanted && el.length !== UNDEFINED) raw[wanted] = r.slice(el.valueAt, el.length);
    r.skipValue(el, explicit);
  }
  if (elements === 0) throw fail('truncated', 'The file has a DICOM header but no data after it: it may be cut short.');

  const decode = textDecoder(raw.charset ? ascii(raw.charset) : '');
  const value = (key: Exclude<Wanted, 'charset'>): string | null => {
    const b = raw[key];
    if (!b) return null;
    const s = trimValue(TEXT.has(key) ? decode(b) : ascii(b));
    return s === '' ? null : s;
  };
  return {
    transferSyntaxUid,
    modality: value('modality'),
    studyDate: value('studyDate'),
    accessionNumber: value('accessionNumber'),
    studyDescription: value('studyDescription'),
    seriesDescription: value('seriesDescription'),
    sliceThickness: value('sliceThickness'),
    studyInstanceUid: value('studyInstanceUid'),
    seriesInstanceUid: value('seriesInstanceUid'),
    patientId: value('patientId'),
    patientName: firstGroup(value('patientName')),
    hasPixelData,
  };
}

function encodingFor(ts: string): { explicit: boolean; littleEndian: boolean } {
  if (ts === IMPLICIT_VR_LE) return { explicit: false, littleEndian: true };
  if (ts === EXPLICIT_VR_BE) return { explicit: true, littleEndian: false };
  // Explicit VR little endian, deflated or not, and the compressed (JPEG, JPEG 2000, RLE…) syntaxes, whose headers are encoded the same way.
  if (ts === EXPLICIT_VR_LE || ts === DEFLATED_EXPLICIT_VR_LE || ts.startsWith('1.2.840.10008.1.2.4.') || ts === '1.2.840.10008.1.2.5') return { explicit: true, littleEndian: true };
  throw fail('unsupported', `This DICOM file uses an encoding Printpath does not know (transfer syntax ${ts}).`);
}

function ascii(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return s;
}

/** Strips the padding DICOM adds (trailing spaces and NULs; leading spaces of most VRs). */
const trimValue = (s: string) => s.replace(/[\0 ]+$/, '').replace(/^ +/, '');

/** PN may hold alphabetic=ideographic=phonetic groups; the alphabetic one is compared. */
const firstGroup = (pn: string | null) => (pn === null ? null : pn.split('=')[0]!.trim() || null);

const CHARSETS: Record<string, string> = {
  'ISO_IR 192': 'utf-8',
  'ISO_IR 100': 'windows-1252',
  'ISO_IR 101': 'iso-8859-2',
  'ISO_IR 109': 'iso-8859-3',
  'ISO_IR 110': 'iso-8859-4',
  'ISO_IR 144': 'iso-8859-5',
  'ISO_IR 127': 'iso-8859-6',
  'ISO_IR 126': 'iso-8859-7',
  'ISO_IR 138': 'iso-8859-8',
  'ISO_IR 148': 'iso-8859-9',
  'ISO_IR 13': 'shift_jis',
  'ISO_IR 166': 'windows-874',
  GB18030: 'gb18030',
  GBK: 'gbk',
};

const decoderFor = (label: string): TextDecoder => {
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('windows-1252');
  }
};

/** The decoder for (0008,0005); unknown or absent character sets read as Latin-1 (a superset of the default ASCII). */
function textDecoder(charset: string): (b: Uint8Array) => string {
  const terms = trimValue(charset).split('\\').map((t) => t.trim());
  if (terms.some((t) => t.startsWith('ISO 2022'))) return iso2022Decoder(terms[0] ?? '');
  const label = terms.map((t) => CHARSETS[t]).find(Boolean) ?? 'windows-1252';
  const decoder = decoderFor(label);
  return (b) => decoder.decode(b);
}

// ISO 2022 code extensions (PS3.3 C.12.1.1.2, PS3.5 6.1.2.5): escape sequences switch the
// character set within a value, as Japanese (JIS X 0208/0212) and Korean (KS X 1001) files do.
// G0 is the 7-bit half, G1 the half with the high bit set.
type Sets = { g0: 'ascii' | 'jisx0208' | 'jisx0212'; g1: string };
const G1_OF_TERM: Record<string, string> = {
  'ISO 2022 IR 13': 'shift_jis',
  'ISO 2022 IR 100': 'windows-1252',
  'ISO 2022 IR 101': 'iso-8859-2',
  'ISO 2022 IR 109': 'iso-8859-3',
  'ISO 2022 IR 110': 'iso-8859-4',
  'ISO 2022 IR 144': 'iso-8859-5',
  'ISO 2022 IR 127': 'iso-8859-6',
  'ISO 2022 IR 126': 'iso-8859-7',
  'ISO 2022 IR 138': 'iso-8859-8',
  'ISO 2022 IR 148': 'iso-8859-9',
  'ISO 2022 IR 166': 'windows-874',
};
const ESCAPES: Record<string, Partial<Sets>> = {
  '(B': { g0: 'ascii' }, // ISO-IR 6
  '(J': { g0: 'ascii' }, // ISO-IR 14, JIS X 0201 romaji: ASCII but for two symbols
  ')I': { g1: 'shift_jis' }, // ISO-IR 13, JIS X 0201 katakana
  '$B': { g0: 'jisx0208' }, // ISO-IR 87
  '$(D': { g0: 'jisx0212' }, // ISO-IR 159
  '$)C': { g1: 'euc-kr' }, // ISO-IR 149, KS X 1001
  '$)A': { g1: 'gb18030' }, // ISO-IR 58, GB 2312
  '-A': { g1: 'windows-1252' },
  '-B': { g1: 'iso-8859-2' },
  '-C': { g1: 'iso-8859-3' },
  '-D': { g1: 'iso-8859-4' },
  '-L': { g1: 'iso-8859-5' },
  '-G': { g1: 'iso-8859-6' },
  '-F': { g1: 'iso-8859-7' },
  '-H': { g1: 'iso-8859-8' },
  '-M': { g1: 'iso-8859-9' },
  '-T': { g1: 'windows-874' },
};

function iso2022Decoder(first: string): (b: Uint8Array) => string {
  const initial: Sets = { g0: 'ascii', g1: G1_OF_TERM[first] ?? 'windows-1252' };
  const eucJp = decoderFor('euc-jp');
  const decodeRun = (run: number[], sets: Sets): string => {
    if (run.length === 0) return '';
    // JIS X 0208/0212 in G0 are EUC-JP's two-byte codes without the high bit (0212 behind 0x8F).
    if (sets.g0 === 'jisx0208') return eucJp.decode(Uint8Array.from(run, (x) => x | 0x80));
    if (sets.g0 === 'jisx0212') return eucJp.decode(Uint8Array.from(run.flatMap((x, i) => (i % 2 === 0 ? [0x8f, x | 0x80] : [x | 0x80]))));
    return decoderFor(sets.g1).decode(Uint8Array.from(run));
  };
  return (b) => {
    let sets = initial;
    let out = '';
    let run: number[] = [];
    for (let i = 0; i < b.length; i++) {
      if (b[i] !== 0x1b) {
        run.push(b[i]!);
        continue;
      }
      out += decodeRun(run, sets);
      run = [];
      // ESC, intermediate bytes (0x20–0x2F), one final byte.
      let j = i + 1;
      while (j < b.length && b[j]! >= 0x20 && b[j]! <= 0x2f) j++;
      const sequence = String.fromCharCode(...b.subarray(i + 1, j + 1));
      sets = { ...sets, ...ESCAPES[sequence] };
      i = j;
    }
    return out + decodeRun(run, sets);
  };
}

// ── Several files of one series ──────────────────────────────────────────────

export type CombinedHeaders = { ok: true; header: DicomHeader; notes: string[] } | { ok: false; message: string };

/** Files picked together must be of one patient and one study; the first file's values are used. */
export function combineHeaders(headers: readonly DicomHeader[]): CombinedHeaders {
  const [first, ...rest] = headers;
  if (!first) return { ok: false, message: 'No DICOM file was read.' };
  for (const [key, what] of [['patientId', 'patients'], ['patientName', 'patients'], ['studyInstanceUid', 'studies']] as const) {
    if (rest.some((h) => h[key] !== first[key])) return { ok: false, message: `These files are from different ${what}. Pick files of one study only.` };
  }
  const notes: string[] = [];
  const series = new Set(headers.map((h) => h.seriesInstanceUid ?? h.seriesDescription));
  if (series.size > 1) notes.push(`The files are from ${series.size} series; the first file’s series is used.`);
  else if (new Set(headers.map((h) => h.sliceThickness)).size > 1) notes.push('The files give different slice thicknesses; the first file’s is used.');
  return { ok: true, header: first, notes };
}

// ── Wrong-patient guard ──────────────────────────────────────────────────────

export type PatientCheck = { matches: boolean; problems: string[] };

/** Letters without accents, lower case: “Łukasz Żółć” and “LUKASZ^ZOLC” compare equal. */
export function nameTokens(s: string): string[] {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l').replace(/ø/g, 'o').replace(/đ/g, 'd').replace(/ß/g, 'ss').replace(/æ/g, 'ae').replace(/œ/g, 'oe').replace(/ı/g, 'i')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * Same person? The family and given names in the file must all be in the case's name,
 * and every part of the case's name must be in the file's (family, given or middle
 * names; prefixes and suffixes such as “Dr” or “Jr” are ignored).
 */
export function namesMatch(dicomPn: string, caseName: string): boolean {
  const parts = dicomPn.split('^');
  const core = [...nameTokens(parts[0] ?? ''), ...nameTokens(parts[1] ?? '')];
  const all = new Set([...core, ...nameTokens(parts[2] ?? '')]);
  const mine = nameTokens(caseName);
  if (core.length === 0 || mine.length === 0) return false;
  const mineSet = new Set(mine);
  return core.every((t) => mineSet.has(t)) && mine.every((t) => all.has(t));
}

/** IDs compare without case, spaces or punctuation: “mrn-100 200” is “MRN100200”. */
const idKey = (s: string) => s.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');

export function checkPatient(h: Pick<DicomHeader, 'patientId' | 'patientName'>, patient: Pick<PatientPhi, 'mrn' | 'patientName'>): PatientCheck {
  const problems: string[] = [];
  if (!h.patientId) problems.push(`The file has no patient ID, so it cannot be checked against this case’s MRN (${patient.mrn}).`);
  else if (idKey(h.patientId) !== idKey(patient.mrn)) problems.push(`The file’s patient ID is ${h.patientId}; this case’s MRN is ${patient.mrn}.`);
  if (!h.patientName) problems.push(`The file has no patient name, so it cannot be checked against ${patient.patientName}.`);
  else if (!namesMatch(h.patientName, patient.patientName)) problems.push(`The file’s patient name is ${formatPersonName(h.patientName)}; this case’s patient is ${patient.patientName}.`);
  return { matches: problems.length === 0, problems };
}

/** “ZOLC^LUKASZ” → “LUKASZ ZOLC” for people to read. */
export function formatPersonName(pn: string): string {
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = pn.split('^').map((p) => p.trim());
  return [prefix, given, middle, family, suffix].filter(Boolean).join(' ') || pn;
}

// ── To the imaging stage ─────────────────────────────────────────────────────

export type ImagingFill = {
  values: Record<string, FieldValue>;
  /** Attributes found but not usable, in words. */
  skipped: string[];
};

/** DA is YYYYMMDD (older files: YYYY.MM.DD); anything else, or a date that does not exist, is null. */
export function dicomDate(da: string): string | null {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(da.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const iso = `${y}-${mo}-${d}`;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  return new Date(t).toISOString().slice(0, 10) === iso ? iso : null;
}

const TEXT_MAX = 200;

/** The imaging stage values a header gives: only attributes present in the file. */
export function imagingValuesFrom(h: DicomHeader): ImagingFill {
  const values: Record<string, FieldValue> = {};
  const skipped: string[] = [];
  if (h.modality) values.modality = h.modality === 'CT' || h.modality === 'MR' ? h.modality : 'other';
  if (h.studyDate) {
    const d = dicomDate(h.studyDate);
    if (d) values.studyDate = d;
    else skipped.push(`Study date “${h.studyDate}” is not a valid date`);
  }
  if (h.sliceThickness) {
    const def = fieldDef('imaging', 'sliceThicknessMm');
    const mm = Number(h.sliceThickness.split('\\')[0]);
    if (!Number.isFinite(mm)) skipped.push(`Slice thickness “${h.sliceThickness}” is not a number`);
    else if (def?.type === 'number' && (mm < def.min || mm > def.max)) skipped.push(`Slice thickness ${mm} mm is outside ${def.min}–${def.max} mm`);
    else values.sliceThicknessMm = mm;
  }
  const text = (key: string, v: string | null, label: string) => {
    if (!v) return;
    if (v.length > TEXT_MAX) skipped.push(`${label} is longer than ${TEXT_MAX} characters`);
    else values[key] = v;
  };
  text('accessionNumber', h.accessionNumber, 'Accession number');
  text('studyDescription', h.studyDescription, 'Study description');
  text('seriesDescription', h.seriesDescription, 'Series description');
  text('studyInstanceUid', h.studyInstanceUid, 'Study instance UID');
  return { values, skipped };
}
