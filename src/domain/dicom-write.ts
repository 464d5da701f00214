// A small DICOM Part 10 writer: the 128-byte preamble, "DICM", the file meta information
// (group 0002, with its group length) and a data set, all in explicit VR little endian
// (transfer syntax 1.2.840.10008.1.2.1), sequences and items with explicit lengths.
// Enough for the encapsulated documents Printpath exports (dicom-export.ts); the reader
// is dicom.ts. Pure: no clock, no randomness (UIDs are passed in).
import { EXPLICIT_VR_LE } from './dicom';

/** (gggg,eeee) as one number: 0x00420011 is (0042,0011). */
export type Tag = number;

/** VRs whose value is text in the specific character set (PS3.5 6.1.2.3). */
const CHARSET_VRS = ['SH', 'LO', 'ST', 'LT', 'UT', 'PN', 'UC'] as const;
/** VRs whose value is plain ASCII whatever the character set. */
type AsciiVr = 'AE' | 'AS' | 'CS' | 'DA' | 'DS' | 'DT' | 'IS' | 'TM' | 'UI' | 'UR';
export type TextVr = (typeof CHARSET_VRS)[number] | AsciiVr;

export type DicomElement =
  /** Several values are joined with a backslash (VM > 1). An empty string is a present, empty (type 2) value. */
  | { tag: Tag; vr: TextVr; value: string | readonly string[] }
  | { tag: Tag; vr: 'US' | 'UL'; value: number }
  | { tag: Tag; vr: 'OB'; value: Uint8Array }
  /** Each item is a list of elements; no items is a present, empty sequence. */
  | { tag: Tag; vr: 'SQ'; items: readonly (readonly DicomElement[])[] };

export type FileMeta = { sopClassUid: string; sopInstanceUid: string; implementationClassUid: string; implementationVersionName: string };

const SPECIFIC_CHARACTER_SET = 0x00080005;
/** ISO_IR 192 is UTF-8: written only when some text needs more than ASCII. */
const UTF8 = 'ISO_IR 192';
/** Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const MAX_SHORT = 0xffff;
const MAX_LONG = 0xfffffffe;

const UID = /^(0|[1-9]\d*)(\.(0|[1-9]\d*))+$/;
/** A valid DICOM UID (PS3.5 9.1): digits and dots, no leading zeros in a component, at most 64 characters. */
export const isDicomUid = (s: string) => s.length <= 64 && UID.test(s);

/** A UUID as a UID under the 2.25 root (ISO/IEC 9834-8, PS3.5 B.2): the UUID's 128 bits as one decimal number. */
export function uidFromUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`Not a UUID: ${uuid}`);
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

const utf8 = new TextEncoder();
const isAscii = (s: string) => /^[\x20-\x7e\n\r\f\t\x1b]*$/.test(s);

/** The element's value as bytes, padded to even length (UI and OB with NUL, text with a space). */
function valueBytes(e: DicomElement): Uint8Array[] {
  switch (e.vr) {
    case 'SQ':
      return e.items.flatMap((item) => {
        const body = encodeElements(item);
        return [itemHeader(length(body)), ...body];
      });
    case 'OB':
      return e.value.length % 2 ? [e.value, new Uint8Array(1)] : [e.value];
    case 'US': {
      const b = new Uint8Array(2);
      new DataView(b.buffer).setUint16(0, e.value, true);
      return [b];
    }
    case 'UL': {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, e.value, true);
      return [b];
    }
    default: {
      const text = typeof e.value === 'string' ? e.value : e.value.join('\\');
      if (!(CHARSET_VRS as readonly string[]).includes(e.vr) && !isAscii(text)) throw new Error(`A ${e.vr} value must be ASCII: ${text}`);
      const b = utf8.encode(text);
      if (b.length % 2 === 0) return [b];
      const padded = new Uint8Array(b.length + 1);
      padded.set(b);
      padded[b.length] = e.vr === 'UI' ? 0 : 0x20;
      return [padded];
    }
  }
}

const length = (parts: readonly Uint8Array[]) => parts.reduce((n, p) => n + p.length, 0);

function itemHeader(len: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint16(0, 0xfffe, true);
  v.setUint16(2, 0xe000, true);
  v.setUint32(4, len, true);
  return b;
}

function elementHeader(tag: Tag, vr: string, len: number): Uint8Array {
  const long = LONG_VRS.has(vr);
  if (len > (long ? MAX_LONG : MAX_SHORT)) throw new Error(`(${hex(tag)}) ${vr} is too long for DICOM: ${len} bytes`);
  const b = new Uint8Array(long ? 12 : 8);
  const v = new DataView(b.buffer);
  v.setUint16(0, tag >>> 16, true);
  v.setUint16(2, tag & 0xffff, true);
  b[4] = vr.charCodeAt(0);
  b[5] = vr.charCodeAt(1);
  if (long) v.setUint32(8, len, true);
  else v.setUint16(6, len, true);
  return b;
}

const hex = (tag: Tag) => `${(tag >>> 16).toString(16).padStart(4, '0')},${(tag & 0xffff).toString(16).padStart(4, '0')}`;

/** Elements in ascending tag order, as PS3.5 7.1 requires; a tag given twice is a bug. */
function encodeElements(elements: readonly DicomElement[]): Uint8Array[] {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  sorted.forEach((e, i) => {
    if (i > 0 && sorted[i - 1]!.tag === e.tag) throw new Error(`(${hex(e.tag)}) is given twice`);
  });
  return sorted.flatMap((e) => {
    const value = valueBytes(e);
    return [elementHeader(e.tag, e.vr, length(value)), ...value];
  });
}

/** Any text in a character-set VR that ASCII cannot hold, in sequences too. */
function needsUtf8(elements: readonly DicomElement[]): boolean {
  return elements.some((e) => {
    if (e.vr === 'SQ') return e.items.some(needsUtf8);
    if (!(CHARSET_VRS as readonly string[]).includes(e.vr)) return false;
    const v = e.value as string | readonly string[];
    return !isAscii(typeof v === 'string' ? v : v.join('\\'));
  });
}

/**
 * The file as byte chunks (a 500 MB model is referenced, not copied: a Blob can be made of
 * the chunks). The data set's specific character set is set here: UTF-8 when any text needs
 * it, absent otherwise (the default repertoire).
 */
export function part10Chunks(meta: FileMeta, dataSet: readonly DicomElement[]): Uint8Array[] {
  for (const uid of [meta.sopClassUid, meta.sopInstanceUid, meta.implementationClassUid]) if (!isDicomUid(uid)) throw new Error(`Not a DICOM UID: ${uid}`);
  if (dataSet.some((e) => e.tag === SPECIFIC_CHARACTER_SET)) throw new Error('The specific character set is chosen by the writer');
  const elements: DicomElement[] = needsUtf8(dataSet) ? [{ tag: SPECIFIC_CHARACTER_SET, vr: 'CS', value: UTF8 }, ...dataSet] : [...dataSet];
  const metaBody = encodeElements([
    { tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
    { tag: 0x00020002, vr: 'UI', value: meta.sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: meta.sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LE },
    { tag: 0x00020012, vr: 'UI', value: meta.implementationClassUid },
    { tag: 0x00020013, vr: 'SH', value: meta.implementationVersionName },
  ]);
  const preamble = new Uint8Array(132);
  preamble.set(utf8.encode('DICM'), 128);
  const groupLength = encodeElements([{ tag: 0x00020000, vr: 'UL', value: length(metaBody) }]);
  return [preamble, ...groupLength, ...metaBody, ...encodeElements(elements)];
}

/** The whole file in one array (tests, small documents). */
export function part10Bytes(meta: FileMeta, dataSet: readonly DicomElement[]): Uint8Array<ArrayBuffer> {
  const chunks = part10Chunks(meta, dataSet);
  const out = new Uint8Array(length(chunks));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
