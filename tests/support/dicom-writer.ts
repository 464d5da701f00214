// Writes small DICOM Part 10 files for tests: a preamble, "DICM", the file meta
// group (explicit VR little endian), then a data set in explicit or implicit VR
// little endian, ending with a fake pixel data element. Self-contained (no imports)
// so that the unit tests and the end-to-end specs can both use it.

export const EXPLICIT = '1.2.840.10008.1.2.1';
export const IMPLICIT = '1.2.840.10008.1.2';
const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

export type Tag = readonly [group: number, element: number];
export type DicomElement =
  | { tag: Tag; vr: string; value: string }
  | { tag: Tag; vr: 'OB' | 'OW' | 'UN'; bytes: Uint8Array }
  /** A sequence of items, each a list of elements; undefined lengths unless `defined`. */
  | { tag: Tag; vr: 'SQ'; items: DicomElement[][]; defined?: boolean };

export type StudyAttributes = {
  patientName?: string;
  patientId?: string;
  modality?: string;
  studyDate?: string;
  accessionNumber?: string;
  studyDescription?: string;
  seriesDescription?: string;
  sliceThickness?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  charset?: string;
};

export type DicomFileOptions = {
  transferSyntax?: string;
  /** Bytes of fake pixel data (a recognisable pattern); 0 for none. */
  pixelBytes?: number;
  /** Encode text values as UTF-8 (declare ISO_IR 192 in `charset`) or Latin-1. */
  encoding?: 'utf-8' | 'latin1';
  /** Extra elements (a sequence, a private tag…), sorted in with the rest. */
  extra?: DicomElement[];
};

/** Filled into the fake pixel data: a test can check it never shows up anywhere. */
export const PIXEL_PATTERN = [0xde, 0xad, 0xbe, 0xef];

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

class Out {
  private chunks: number[] = [];
  u8(...xs: number[]) { this.chunks.push(...xs); }
  u16(x: number) { this.u8(x & 0xff, (x >> 8) & 0xff); }
  u32(x: number) { this.u16(x & 0xffff); this.u16((x >>> 16) & 0xffff); }
  raw(b: Uint8Array | number[]) { for (const x of b) this.chunks.push(x); }
  get length() { return this.chunks.length; }
  bytes() { return Uint8Array.from(this.chunks); }
}

function encodeText(s: string, vr: string, encoding: 'utf-8' | 'latin1'): Uint8Array {
  const bytes = encoding === 'utf-8' ? new TextEncoder().encode(s) : Uint8Array.from([...s].map((ch) => ch.charCodeAt(0) & 0xff));
  if (bytes.length % 2 === 0) return bytes;
  const padded = new Uint8Array(bytes.length + 1);
  padded.set(bytes);
  padded[bytes.length] = vr === 'UI' ? 0 : 0x20;
  return padded;
}

function writeElement(out: Out, el: DicomElement, explicit: boolean, encoding: 'utf-8' | 'latin1') {
  out.u16(el.tag[0]);
  out.u16(el.tag[1]);
  let value: Uint8Array | null = null;
  if ('value' in el) value = encodeText(el.value, el.vr, encoding);
  if ('bytes' in el) value = el.bytes;
  let body: Uint8Array;
  let undefinedLength = false;
  if ('items' in el) {
    const seq = new Out();
    for (const item of el.items) {
      const inner = new Out();
      for (const child of item) writeElement(inner, child, explicit, encoding);
      seq.u16(0xfffe); seq.u16(0xe000);
      if (el.defined) { seq.u32(inner.length); seq.raw(inner.bytes()); }
      else { seq.u32(0xffffffff); seq.raw(inner.bytes()); seq.u16(0xfffe); seq.u16(0xe00d); seq.u32(0); }
    }
    if (!el.defined) { seq.u16(0xfffe); seq.u16(0xe0dd); seq.u32(0); undefinedLength = true; }
    body = seq.bytes();
  } else {
    body = value!;
  }
  const length = undefinedLength ? 0xffffffff : body.length;
  if (explicit) {
    out.u8(el.vr.charCodeAt(0), el.vr.charCodeAt(1));
    if (LONG.has(el.vr)) { out.u16(0); out.u32(length); }
    else out.u16(length);
  } else {
    out.u32(length);
  }
  out.raw(body);
}

const sortKey = (t: Tag) => t[0] * 0x10000 + t[1];

export function studyElements(a: StudyAttributes): DicomElement[] {
  const els: DicomElement[] = [];
  const add = (tag: Tag, vr: string, v: string | undefined) => { if (v !== undefined) els.push({ tag, vr, value: v }); };
  add([0x0008, 0x0005], 'CS', a.charset);
  add([0x0008, 0x0016], 'UI', CT_IMAGE_STORAGE);
  add([0x0008, 0x0018], 'UI', '1.2.826.0.1.3680043.10.1.1.1');
  add([0x0008, 0x0020], 'DA', a.studyDate);
  add([0x0008, 0x0050], 'SH', a.accessionNumber);
  add([0x0008, 0x0060], 'CS', a.modality);
  add([0x0008, 0x1030], 'LO', a.studyDescription);
  add([0x0008, 0x103e], 'LO', a.seriesDescription);
  add([0x0010, 0x0010], 'PN', a.patientName);
  add([0x0010, 0x0020], 'LO', a.patientId);
  add([0x0018, 0x0050], 'DS', a.sliceThickness);
  add([0x0020, 0x000d], 'UI', a.studyInstanceUid);
  add([0x0020, 0x000e], 'UI', a.seriesInstanceUid);
  return els;
}

/** A whole DICOM Part 10 file. */
export function dicomFile(attrs: StudyAttributes, o: DicomFileOptions = {}): Uint8Array {
  const ts = o.transferSyntax ?? EXPLICIT;
  const explicit = ts !== IMPLICIT;
  const encoding = o.encoding ?? (attrs.charset === 'ISO_IR 192' ? 'utf-8' : 'latin1');

  const meta = new Out();
  for (const el of [
    { tag: [0x0002, 0x0001], vr: 'OB', bytes: Uint8Array.from([0, 1]) },
    { tag: [0x0002, 0x0002], vr: 'UI', value: CT_IMAGE_STORAGE },
    { tag: [0x0002, 0x0003], vr: 'UI', value: '1.2.826.0.1.3680043.10.1.1.1' },
    { tag: [0x0002, 0x0010], vr: 'UI', value: ts },
    { tag: [0x0002, 0x0012], vr: 'UI', value: '1.2.826.0.1.3680043.10.1' },
  ] as DicomElement[]) writeElement(meta, el, true, 'latin1');

  const out = new Out();
  out.raw(new Uint8Array(128));
  out.raw([...'DICM'].map((c) => c.charCodeAt(0)));
  out.u16(0x0002); out.u16(0x0000); out.u8(0x55, 0x4c); out.u16(4); out.u32(meta.length);
  out.raw(meta.bytes());

  const elements = [...studyElements(attrs), ...(o.extra ?? [])].sort((a, b) => sortKey(a.tag) - sortKey(b.tag));
  for (const el of elements) writeElement(out, el, explicit, encoding);

  const pixels = o.pixelBytes ?? 512;
  if (pixels > 0) {
    const data = new Uint8Array(pixels);
    for (let i = 0; i < pixels; i++) data[i] = PIXEL_PATTERN[i % PIXEL_PATTERN.length]!;
    writeElement(out, { tag: [0x7fe0, 0x0010], vr: 'OW', bytes: data }, explicit, encoding);
  }
  return out.bytes();
}

/** Where the pixel data element's value starts in a file made by dicomFile (it is the last element). */
export const pixelValueOffset = (file: Uint8Array, pixelBytes: number) => file.length - pixelBytes;
