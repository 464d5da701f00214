// The case summary PDF and a model's STL file as DICOM objects for the hospital's PACS:
// Encapsulated PDF and Encapsulated STL (PS3.3 A.45.1 and A.85.1). Both file with the
// imaging study the lab recorded (its Study Instance UID), so they appear beside the CT or
// MR they came from; a case with no study UID recorded gets a study of its own, the same
// for every export of the case, so its PDF and models still file together.
// Pure: the time, new UUIDs and the software's version and device come in.
import type { Case, Deliverable, PatientPhi } from './case';
import { DEMO_CASE_BANNER } from './case-summary';
import { sha256Hex } from './canonical';
import { nameTokens } from './dicom';
import { isDicomUid, part10Chunks, uidFromUuid, type DicomElement } from './dicom-write';
import { filesOf, type ModelFileRef } from './model-file-refs';

export const ENCAPSULATED_PDF_STORAGE = '1.2.840.10008.5.1.4.1.1.104.1';
export const ENCAPSULATED_STL_STORAGE = '1.2.840.10008.5.1.4.1.1.104.3';
/** Printpath's implementation class UID (file meta), a UUID under 2.25 made once for it. */
export const IMPLEMENTATION_CLASS_UID = uidFromUuid('f1817d9b-fe28-4d68-bdae-99e47d42bdf0');
export const MANUFACTURER = 'Printpath';
/** Series numbers high enough not to meet the source study's own series (1, 2, 3…). */
const PDF_SERIES_NUMBER = '9901';
const MODEL_SERIES_NUMBER = '9902';

export type DicomExportContext = {
  /** ISO UTC: the instance's creation time (and the PDF's content time). */
  now: string;
  newUuid: () => string;
  /** The app's version, and which device made the file (the lab server's device id, or a word saying there is none). */
  equipment: { softwareVersion: string; deviceSerial: string };
};

/** How the file files in PACS: with the imaging study recorded at imaging, or in a study of the case's own. */
export type FiledWith = 'imaging-study' | 'case-study';

export type DicomExport =
  | { ok: true; chunks: Uint8Array[]; fileName: string; filedWith: FiledWith; studyInstanceUid: string; sopInstanceUid: string }
  | { ok: false; reason: string };

// ── Values ───────────────────────────────────────────────────────────────────

/** DICOM text: no backslash (the value separator) and no control characters. */
const clean = (s: string) => s.replace(/\\/g, '/').replace(/[\x00-\x1f\x7f]+/g, ' ').trim();
/** A description cut to the VR's length, visibly. */
const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

const da = (iso: string) => iso.slice(0, 10).replace(/-/g, '');
const tm = (iso: string) => iso.slice(11, 19).replace(/:/g, '');
const dateOnly = (s: unknown) => (typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) ? da(s) : '');

const SEX: Record<PatientPhi['sex'], string> = { female: 'F', male: 'M', other: 'O', unknown: '' };

/**
 * The patient's name as typed, as a DICOM person name (family^given): "Doe, Jane" and
 * "Jane Doe" both give "Doe^Jane"; several given names stay together ("Doe^Jane Mary").
 * The app keeps one free-text name, so a family name of several words written last
 * ("Maria de la Cruz") is read as its last word: the PACS matches on the patient ID.
 */
export function dicomPersonName(name: string): string {
  const text = clean(name).replace(/[\^=]/g, ' ');
  const comma = text.indexOf(',');
  if (comma >= 0) {
    const family = text.slice(0, comma).trim().replace(/\s+/g, ' ');
    const given = text.slice(comma + 1).replace(/,/g, ' ').trim().replace(/\s+/g, ' ');
    return given ? `${family}^${given}` : family;
  }
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length <= 1) return words[0] ?? '';
  return `${words.at(-1)}^${words.slice(0, -1).join(' ')}`;
}

/** A UUID made from the case id (SHA-256, as UUID version 8), so every export of the case gives the same study. */
function caseStudyUid(c: Pick<Case, 'id'>): string {
  const h = sha256Hex(`printpath/dicom-study\u0000${c.id}`).slice(0, 32).split('');
  h[12] = '8';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return uidFromUuid(h.join(''));
}

const imagingText = (c: Case, key: string): string => {
  const v = c.stages.imaging.values[key];
  return typeof v === 'string' ? v.trim() : '';
};

/** Only the case number: a file name is seen in download lists and mail, so it carries no patient identifier. */
export function dicomFileName(caseNumber: string, what: 'summary' | { model: number }): string {
  const safe = caseNumber.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'case';
  return `case-${safe}-${what === 'summary' ? 'summary' : `model-${what.model}`}.dcm`;
}

// ── Modules shared by both objects ───────────────────────────────────────────

type Common = { elements: DicomElement[]; filedWith: FiledWith; studyInstanceUid: string };

/** Patient, General Study, SOP Common and the equipment everyone has; or why the case cannot be written as DICOM. */
function commonModules(c: Case, ctx: DicomExportContext): Common | string {
  const name = dicomPersonName(c.phi.patientName);
  if (name.length > 64) return 'The patient’s name is longer than a DICOM name may be (64 characters), so the case cannot be exported as DICOM.';
  const recordedUid = imagingText(c, 'studyInstanceUid');
  if (recordedUid && !isDicomUid(recordedUid)) return `The study instance UID recorded at imaging (${recordedUid}) is not a valid DICOM UID. Correct it at imaging, then export again.`;
  const accession = clean(imagingText(c, 'accessionNumber'));
  if (recordedUid && accession.length > 16) return `The accession number recorded at imaging (${accession}) is longer than DICOM allows (16 characters). Correct it at imaging, then export again.`;

  const patient: DicomElement[] = [
    { tag: 0x00100010, vr: 'PN', value: name },
    { tag: 0x00100020, vr: 'LO', value: clean(c.phi.mrn) },
    { tag: 0x00100030, vr: 'DA', value: dateOnly(c.phi.dateOfBirth) },
    { tag: 0x00100040, vr: 'CS', value: SEX[c.phi.sex] },
    ...(c.demo ? [{ tag: 0x00104000, vr: 'LT', value: `${DEMO_CASE_BANNER}.` } as const] : []),
  ];
  // With the imaging study: its UID, date, accession and description, as recorded; what the lab
  // did not record (the study's time and ID) is left empty rather than made up.
  const description = cut(clean(imagingText(c, 'studyDescription')), 64);
  const studyInstanceUid = recordedUid || caseStudyUid(c);
  const study: DicomElement[] = recordedUid
    ? [
        { tag: 0x0020000d, vr: 'UI', value: studyInstanceUid },
        { tag: 0x00080020, vr: 'DA', value: dateOnly(c.stages.imaging.values.studyDate) },
        { tag: 0x00080030, vr: 'TM', value: '' },
        { tag: 0x00080050, vr: 'SH', value: accession },
        { tag: 0x00200010, vr: 'SH', value: '' },
        ...(description ? [{ tag: 0x00081030, vr: 'LO', value: description } as const] : []),
      ]
    : [
        { tag: 0x0020000d, vr: 'UI', value: studyInstanceUid },
        { tag: 0x00080020, vr: 'DA', value: da(c.createdAt) },
        { tag: 0x00080030, vr: 'TM', value: tm(c.createdAt) },
        { tag: 0x00080050, vr: 'SH', value: '' },
        { tag: 0x00200010, vr: 'SH', value: cut(clean(c.caseNumber), 16) },
        { tag: 0x00081030, vr: 'LO', value: cut(`3D printing case ${clean(c.caseNumber)}`, 64) },
      ];
  const { softwareVersion, deviceSerial } = ctx.equipment;
  return {
    filedWith: recordedUid ? 'imaging-study' : 'case-study',
    studyInstanceUid,
    elements: [
      ...patient,
      ...study,
      { tag: 0x00080090, vr: 'PN', value: '' },
      // General Equipment (and Enhanced General Equipment, for the model).
      { tag: 0x00080070, vr: 'LO', value: MANUFACTURER },
      { tag: 0x00081090, vr: 'LO', value: MANUFACTURER },
      { tag: 0x00181000, vr: 'LO', value: cut(clean(deviceSerial), 64) || 'unknown' },
      { tag: 0x00181020, vr: 'LO', value: cut(clean(softwareVersion), 64) || 'unknown' },
      // SOP Common: the times in this file are UTC.
      { tag: 0x00080012, vr: 'DA', value: da(ctx.now) },
      { tag: 0x00080013, vr: 'TM', value: tm(ctx.now) },
      { tag: 0x00080201, vr: 'SH', value: '+0000' },
    ],
  };
}

function encapsulatedDocument(o: { mime: string; title: string; bytes: Uint8Array; contentAt: string; burnedIn: boolean }): DicomElement[] {
  return [
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x00080023, vr: 'DA', value: da(o.contentAt) },
    { tag: 0x00080033, vr: 'TM', value: tm(o.contentAt) },
    { tag: 0x0008002a, vr: 'DT', value: '' },
    { tag: 0x00280301, vr: 'CS', value: o.burnedIn ? 'YES' : 'NO' },
    { tag: 0x00420010, vr: 'ST', value: cut(clean(o.title), 1024) },
    { tag: 0x0040a043, vr: 'SQ', items: [] },
    { tag: 0x00420012, vr: 'LO', value: o.mime },
    // Padded to even length by the writer; the length says where the document ends.
    { tag: 0x00420011, vr: 'OB', value: o.bytes },
    { tag: 0x00420015, vr: 'UL', value: o.bytes.length },
  ];
}

function file(sopClassUid: string, common: Common, elements: DicomElement[], ctx: DicomExportContext, sopInstanceUid: string, fileName: string): DicomExport {
  const chunks = part10Chunks(
    { sopClassUid, sopInstanceUid, implementationClassUid: IMPLEMENTATION_CLASS_UID, implementationVersionName: cut(`PRINTPATH_${clean(ctx.equipment.softwareVersion)}`, 16) },
    [...common.elements, { tag: 0x00080016, vr: 'UI', value: sopClassUid }, { tag: 0x00080018, vr: 'UI', value: sopInstanceUid }, ...elements],
  );
  return { ok: true, chunks, fileName, filedWith: common.filedWith, studyInstanceUid: common.studyInstanceUid, sopInstanceUid };
}

const demoTitle = (c: Case, title: string) => (c.demo ? `DEMO — ${title}` : title);

// ── Encapsulated PDF ─────────────────────────────────────────────────────────

/** The case summary PDF as an Encapsulated PDF: a new series (modality DOC) in the case's study. */
export function encapsulatedPdf(c: Case, pdf: Uint8Array, ctx: DicomExportContext): DicomExport {
  if (!startsWith(pdf, '%PDF-')) return { ok: false, reason: 'The case summary was not made as a PDF, so there is nothing to export as DICOM.' };
  const common = commonModules(c, ctx);
  if (typeof common === 'string') return { ok: false, reason: common };
  const sopInstanceUid = uidFromUuid(ctx.newUuid());
  return file(ENCAPSULATED_PDF_STORAGE, common, [
    // Encapsulated Document Series
    { tag: 0x00080060, vr: 'CS', value: 'DOC' },
    { tag: 0x0020000e, vr: 'UI', value: uidFromUuid(ctx.newUuid()) },
    { tag: 0x00200011, vr: 'IS', value: PDF_SERIES_NUMBER },
    { tag: 0x0008103e, vr: 'LO', value: demoTitle(c, '3D printing case summary') },
    // SC Equipment: made on a workstation.
    { tag: 0x00080064, vr: 'CS', value: 'WSD' },
    // The PDF prints the patient's name, MRN and date of birth on every page.
    ...encapsulatedDocument({ mime: 'application/pdf', title: demoTitle(c, `3D printing case summary, case ${c.caseNumber}`), bytes: pdf, contentAt: ctx.now, burnedIn: true }),
  ], ctx, sopInstanceUid, dicomFileName(c.caseNumber, 'summary'));
}

// ── Encapsulated STL ─────────────────────────────────────────────────────────

const kindOf = (d: Deliverable) => (d.kind === 'model' ? 'anatomic model' : `${d.guideType} guide`);

/**
 * One of the case's STL files as an Encapsulated STL: a new series (modality M3D) with a
 * frame of reference of its own (the mesh's coordinates are not claimed to be the scan's),
 * in millimetres (UCUM "mm"), the unit the app reads meshes in.
 */
export function encapsulatedStl(c: Case, ref: ModelFileRef, stl: Uint8Array, ctx: DicomExportContext): DicomExport {
  const index = filesOf(c).findIndex((f) => f.id === ref.id);
  if (index < 0) return { ok: false, reason: `${ref.name} is not one of this case’s files.` };
  if (ref.format !== 'stl') return { ok: false, reason: `${ref.name} is an ${ref.format.toUpperCase()} file: only STL files can be exported as DICOM (Encapsulated STL).` };
  if (stl.length !== ref.size) return { ok: false, reason: `The bytes read for ${ref.name} are not the file attached (${stl.length} bytes, not ${ref.size}).` };
  const common = commonModules(c, ctx);
  if (typeof common === 'string') return { ok: false, reason: common };
  const deliverable = c.deliverables.find((d) => d.id === ref.deliverableId);
  const what = deliverable ? `${deliverable.name} (${kindOf(deliverable)})` : 'Model';
  const sopInstanceUid = uidFromUuid(ctx.newUuid());
  return file(ENCAPSULATED_STL_STORAGE, common, [
    // Encapsulated Document Series
    { tag: 0x00080060, vr: 'CS', value: 'M3D' },
    { tag: 0x0020000e, vr: 'UI', value: uidFromUuid(ctx.newUuid()) },
    { tag: 0x00200011, vr: 'IS', value: MODEL_SERIES_NUMBER },
    { tag: 0x0008103e, vr: 'LO', value: cut(clean(demoTitle(c, `3D model: ${what}`)), 64) },
    // Frame of Reference
    { tag: 0x00200052, vr: 'UI', value: uidFromUuid(ctx.newUuid()) },
    { tag: 0x00201040, vr: 'LO', value: '' },
    // Manufacturing 3D Model
    { tag: 0x004008ea, vr: 'SQ', items: [[
      { tag: 0x00080100, vr: 'SH', value: 'mm' },
      { tag: 0x00080102, vr: 'SH', value: 'UCUM' },
      { tag: 0x00080104, vr: 'LO', value: 'millimeter' },
    ]] },
    ...encapsulatedDocument({ mime: 'model/stl', title: demoTitle(c, `${what}: ${ref.name}`), bytes: stl, contentAt: ref.attachedAt, burnedIn: stlNamesPatient(stl, c.phi) }),
  ], ctx, sopInstanceUid, dicomFileName(c.caseNumber, { model: index + 1 }));
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  return text.split('').every((ch, i) => bytes[i] === ch.charCodeAt(0));
}

const words = (s: string) => nameTokens(s).filter((w) => w.length >= 2);

/**
 * Burned In Annotation for a mesh: does the text an STL carries (a binary file's 80-byte
 * header, an ASCII file's solid names) name the patient or hold the MRN? A de-identifying
 * PACS export takes YES as "clean or remove this object".
 */
export function stlNamesPatient(stl: Uint8Array, patient: Pick<PatientPhi, 'patientName' | 'mrn'>): boolean {
  const text = stlText(stl);
  const found = new Set(words(text));
  const mrn = nameTokens(patient.mrn).join('');
  if (mrn.length >= 3 && nameTokens(text).join('').includes(mrn)) return true;
  return words(patient.patientName).some((w) => found.has(w));
}

const SOLID = [0x73, 0x6f, 0x6c, 0x69, 0x64]; // "solid"

/** The header, and for an ASCII STL every line that names a solid ("solid …", "endsolid …"). */
function stlText(stl: Uint8Array): string {
  const latin1 = (from: number, to: number) => String.fromCharCode(...stl.subarray(from, to));
  const lines = [latin1(0, Math.min(80, stl.length))];
  if (!startsWith(stl, 'solid')) return lines[0]!;
  for (let i = 0; i < stl.length; i++) {
    if (stl[i] !== 0x73 || !SOLID.every((b, k) => stl[i + k] === b)) continue;
    let end = i;
    while (end < stl.length && stl[end] !== 0x0a && stl[end] !== 0x0d && end - i < 256) end++;
    lines.push(latin1(i, end));
    i = end;
  }
  return lines.join('\n');
}
