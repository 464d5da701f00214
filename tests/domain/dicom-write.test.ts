import { describe, expect, it } from 'vitest';
import { EXPLICIT_VR_LE, parseDicomHeader } from '../../src/domain/dicom';
import { isDicomUid, part10Bytes, part10Chunks, uidFromUuid, type DicomElement } from '../../src/domain/dicom-write';

const META = { sopClassUid: '1.2.840.10008.5.1.4.1.1.104.1', sopInstanceUid: '2.25.1', implementationClassUid: '2.25.2', implementationVersionName: 'TEST_1' };
const ascii = (b: Uint8Array, from: number, n: number) => String.fromCharCode(...b.subarray(from, from + n));
const u16 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint16(at, true);
const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);

/** Walks the top level of an explicit VR little endian data set: tag, VR, length, value offset. */
function walk(b: Uint8Array, from: number): { tag: string; vr: string; length: number; at: number }[] {
  const out = [];
  let at = from;
  while (at < b.length) {
    const tag = `${u16(b, at).toString(16).padStart(4, '0')},${u16(b, at + 2).toString(16).padStart(4, '0')}`;
    const vr = ascii(b, at + 4, 2);
    const long = ['OB', 'SQ', 'UT', 'UN', 'UC', 'UR'].includes(vr);
    const length = long ? u32(b, at + 8) : u16(b, at + 6);
    const valueAt = at + (long ? 12 : 8);
    out.push({ tag, vr, length, at: valueAt });
    at = valueAt + length;
  }
  return out;
}

describe('DICOM Part 10 writer', () => {
  const bytes = part10Bytes(META, [
    { tag: 0x00100020, vr: 'LO', value: 'MRN1' },
    { tag: 0x00080060, vr: 'CS', value: 'DOC' },
    { tag: 0x00100010, vr: 'PN', value: 'Doe^Jane' },
    { tag: 0x00420011, vr: 'OB', value: Uint8Array.of(1, 2, 3) },
  ]);

  it('starts with a 128-byte zero preamble and DICM', () => {
    expect([...bytes.subarray(0, 128)].every((x) => x === 0)).toBe(true);
    expect(ascii(bytes, 128, 4)).toBe('DICM');
  });

  it('writes the file meta group with the group length of exactly the elements after it, in explicit VR little endian', () => {
    const elements = walk(bytes, 132);
    const meta = elements.filter((e) => e.tag.startsWith('0002'));
    expect(meta.map((e) => `${e.tag} ${e.vr}`)).toEqual(['0002,0000 UL', '0002,0001 OB', '0002,0002 UI', '0002,0003 UI', '0002,0010 UI', '0002,0012 UI', '0002,0013 SH']);
    const groupLength = u32(bytes, meta[0]!.at);
    const firstAfter = elements.find((e) => !e.tag.startsWith('0002'))!;
    // The group length counts from the element after (0002,0000) to the first data set element.
    expect(groupLength).toBe(firstAfter.at - 8 - (meta[1]!.at - 12));
    expect([...bytes.subarray(meta[1]!.at, meta[1]!.at + 2)]).toEqual([0, 1]);
    expect(ascii(bytes, meta[4]!.at, meta[4]!.length)).toBe(`${EXPLICIT_VR_LE}\0`);
  });

  it('sorts the data set by tag and pads every value to even length (UI and OB with NUL, text with a space)', () => {
    const data = walk(bytes, 132).filter((e) => !e.tag.startsWith('0002'));
    expect(data.map((e) => e.tag)).toEqual(['0008,0060', '0010,0010', '0010,0020', '0042,0011']);
    for (const e of walk(bytes, 132)) expect(e.length % 2, e.tag).toBe(0);
    expect(ascii(bytes, data[0]!.at, data[0]!.length)).toBe('DOC ');
    expect([...bytes.subarray(data[3]!.at, data[3]!.at + 4)]).toEqual([1, 2, 3, 0]);
  });

  it('reads back with the app’s own DICOM reader', () => {
    const r = parseDicomHeader(bytes);
    expect(r).toMatchObject({ ok: true, header: { transferSyntaxUid: EXPLICIT_VR_LE, modality: 'DOC', patientId: 'MRN1', patientName: 'Doe^Jane' } });
  });

  it('sets the specific character set to UTF-8 only when some text needs it, in sequences too', () => {
    const plain = part10Bytes(META, [{ tag: 0x00100010, vr: 'PN', value: 'Zolc^Lukasz' }]);
    expect(walk(plain, 132).map((e) => e.tag)).not.toContain('0008,0005');
    const nested: DicomElement = { tag: 0x0040a043, vr: 'SQ', items: [[{ tag: 0x00080104, vr: 'LO', value: 'Żółć' }]] };
    for (const data of [[{ tag: 0x00100010, vr: 'PN', value: 'Żółć^Łukasz' } as const], [nested]]) {
      const b = part10Bytes(META, data);
      const cs = walk(b, 132).find((e) => e.tag === '0008,0005')!;
      expect(ascii(b, cs.at, cs.length)).toBe('ISO_IR 192');
    }
    const r = parseDicomHeader(part10Bytes(META, [{ tag: 0x00100010, vr: 'PN', value: 'Żółć^Łukasz' }]));
    expect(r.ok && r.header.patientName).toBe('Żółć^Łukasz');
  });

  it('writes sequences and items with explicit lengths', () => {
    const b = part10Bytes(META, [{ tag: 0x004008ea, vr: 'SQ', items: [[{ tag: 0x00080100, vr: 'SH', value: 'mm' }, { tag: 0x00080102, vr: 'SH', value: 'UCUM' }]] }, { tag: 0x0040a043, vr: 'SQ', items: [] }]);
    const [empty, units] = walk(b, 132).filter((e) => !e.tag.startsWith('0002')).sort((x, y) => (x.tag < y.tag ? 1 : -1));
    expect(empty).toMatchObject({ tag: '0040,a043', vr: 'SQ', length: 0 });
    expect(units).toMatchObject({ tag: '0040,08ea', vr: 'SQ', length: 8 + 10 + 12 });
    expect([u16(b, units!.at), u16(b, units!.at + 2), u32(b, units!.at + 4)]).toEqual([0xfffe, 0xe000, 22]);
    expect(walk(b.subarray(units!.at + 8, units!.at + 30), 0).map((e) => e.tag)).toEqual(['0008,0100', '0008,0102']);
  });

  it('hands a large value over as it is, not copied', () => {
    const doc = new Uint8Array(1000);
    expect(part10Chunks(META, [{ tag: 0x00420011, vr: 'OB', value: doc }])).toContain(doc);
  });

  it('refuses what would make an invalid file: a tag twice, a bad UID, a value too long, non-ASCII in an ASCII VR', () => {
    expect(() => part10Bytes(META, [{ tag: 0x00080060, vr: 'CS', value: 'DOC' }, { tag: 0x00080060, vr: 'CS', value: 'M3D' }])).toThrow('(0008,0060) is given twice');
    expect(() => part10Bytes({ ...META, sopInstanceUid: '1.02.3' }, [])).toThrow('Not a DICOM UID');
    expect(() => part10Bytes(META, [{ tag: 0x00420010, vr: 'ST', value: 'x'.repeat(70_000) }])).toThrow('too long');
    expect(() => part10Bytes(META, [{ tag: 0x00080060, vr: 'CS', value: 'DÖC' }])).toThrow('must be ASCII');
    expect(() => part10Bytes(META, [{ tag: 0x00080005, vr: 'CS', value: 'ISO_IR 100' }])).toThrow('chosen by the writer');
  });
});

describe('UIDs', () => {
  it.each([
    ['00000000-0000-0000-0000-000000000000', '2.25.0'],
    // The example in PS3.5 B.2.
    ['f81d4fae-7dec-11d0-a765-00a0c91e6bf6', '2.25.329800735698586629295641978511506172918'],
    ['ffffffff-ffff-ffff-ffff-ffffffffffff', '2.25.340282366920938463463374607431768211455'],
  ])('%s → %s, a valid UID of at most 64 characters', (uuid, uid) => {
    expect(uidFromUuid(uuid)).toBe(uid);
    expect(isDicomUid(uid)).toBe(true);
  });

  it.each([['1.2.840.10008.1.2.1', true], ['2.25.0', true], ['1.02', false], ['1..2', false], ['1.2.', false], ['1', false], ['1.2a', false], [`1.${'9'.repeat(63)}`, false]])('%s is a DICOM UID: %s', (uid, ok) => {
    expect(isDicomUid(uid)).toBe(ok);
  });

  it('refuses what is not a UUID', () => {
    expect(() => uidFromUuid('not-a-uuid')).toThrow('Not a UUID');
  });
});
