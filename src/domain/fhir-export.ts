// A case as a FHIR R4 Bundle (type "collection": a set of resources handed over
// together, not a signed clinical document, which would need a Composition):
//   Patient            who the case is for (name, MRN, birth date, sex)
//   ServiceRequest     the order: indication (ICD-10-CM), requester, date needed, priority
//   Procedure          the lab's work: status, period, body site, each stage's record
//   Provenance         one per valid stage sign-off: who, when and what it means
//   ChargeItem         one per suggested CPT line, with units; "planned" while provisional
//   DocumentReference  the case summary PDF, when it is included
// Entries have urn:uuid full URLs and refer to each other only. The Bundle holds PHI.
// Pure: the time, the uuid source and the PDF bytes are passed in.
import type { Case, Priority, Sex } from './case';
import { ROLE_LABELS } from './case';
import { formatFieldValue } from './case-summary';
import type { CptSuggestion } from './cpt';
import { mueText } from './cpt-notes';
import { describeDeliverables } from './deliverables';
import { STAGES } from './stages';
import { applicableFields, deriveStatus, isBlank, signatureIsValid, type Distrusted } from './workflow';

export const ICD10_CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const CPT = 'http://www.ama-assn.org/go/cpt';
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const PARTICIPANT_TYPE = 'http://terminology.hl7.org/CodeSystem/provenance-participant-type';
const SIGNATURE_TYPE = 'urn:iso-astm:E1762-95:2013';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
export const CHARGE_NOTE = 'Suggested — verify with your coder';
/** A demo case's tag, on the Bundle and on every resource (a receiver may split them): HL7's code for test data. */
export const DEMO_TAG: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST', display: 'test health data' };

// The parts of R4 used here, typed so that a misspelt element does not compile.
export type Coding = { system: string; code: string; display?: string };
export type CodeableConcept = { coding?: Coding[]; text?: string };
export type Reference = { reference?: string; display?: string; identifier?: Identifier };
export type Identifier = { use?: 'usual' | 'official' | 'secondary'; type?: CodeableConcept; system?: string; value: string };
type Annotation = { text: string; time?: string };
type Period = { start?: string; end?: string };

export type Patient = { resourceType: 'Patient'; identifier: Identifier[]; name: { text: string }[]; gender: Sex; birthDate?: string };
export type ServiceRequest = {
  resourceType: 'ServiceRequest';
  identifier: Identifier[];
  status: 'active' | 'revoked' | 'completed';
  intent: 'order';
  priority: 'routine' | 'urgent' | 'asap' | 'stat';
  code: CodeableConcept;
  subject: Reference;
  occurrenceDateTime: string;
  authoredOn: string;
  requester: Reference;
  reasonCode: CodeableConcept[];
  bodySite: CodeableConcept[];
  note?: Annotation[];
};
export type Procedure = {
  resourceType: 'Procedure';
  identifier: Identifier[];
  basedOn: Reference[];
  status: 'preparation' | 'in-progress' | 'not-done' | 'stopped' | 'completed';
  statusReason?: CodeableConcept;
  code: CodeableConcept;
  subject: Reference;
  performedPeriod: Period;
  performer?: { actor: Reference }[];
  reasonCode: CodeableConcept[];
  bodySite: CodeableConcept[];
  note?: Annotation[];
};
export type Provenance = {
  resourceType: 'Provenance';
  target: Reference[];
  occurredDateTime: string;
  recorded: string;
  activity: CodeableConcept;
  agent: { type: CodeableConcept; role: CodeableConcept[]; who: Reference }[];
  entity: { role: 'source'; what: Reference }[];
  signature: { type: Coding[]; when: string; who: Reference }[];
};
export type ChargeItem = {
  resourceType: 'ChargeItem';
  status: 'planned' | 'billable';
  code: CodeableConcept;
  subject: Reference;
  occurrenceDateTime?: string;
  quantity: { value: number };
  service: Reference[];
  enteredDate: string;
  note: Annotation[];
};
export type DocumentReference = {
  resourceType: 'DocumentReference';
  status: 'current';
  docStatus: 'final';
  type: CodeableConcept;
  subject: Reference;
  date: string;
  description: string;
  content: { attachment: { contentType: 'application/pdf'; data: string; title: string; size: number; creation: string } }[];
  context: { related: Reference[] };
};
export type FhirResource = (Patient | ServiceRequest | Procedure | Provenance | ChargeItem | DocumentReference) & { meta?: { tag: Coding[] } };
export type BundleEntry = { fullUrl: string; resource: FhirResource };
export type FhirBundle = {
  resourceType: 'Bundle';
  meta: { security: Coding[]; tag?: Coding[] };
  identifier: Identifier;
  type: 'collection';
  timestamp: string;
  entry: BundleEntry[];
};

export type FhirExportOptions = {
  suggestion: CptSuggestion;
  /** When the export is made (ISO instant). */
  generatedAt: string;
  /** A random UUID (crypto.randomUUID in the app). */
  newUuid: () => string;
  /** Stages whose signature failed cryptographic verification: not exported as Provenance. */
  distrusted?: Distrusted;
  pdf?: { bytes: Uint8Array; fileName: string } | null;
};

const PRIORITY: Record<Priority, ServiceRequest['priority']> = { routine: 'routine', urgent: 'urgent', emergent: 'stat' };

/** The file name: the case number only, no patient identifier (download lists and mail show it). */
export function fhirFileName(caseNumber: string): string {
  const safe = caseNumber.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `case-${safe || 'export'}.fhir.json`;
}

function procedureStatus(c: Case, distrusted?: Distrusted): Procedure['status'] {
  const started = Object.values(c.stages).some((s) => s.updatedAt !== null);
  const status = deriveStatus(c, distrusted).code;
  if (status === 'cancelled') return started ? 'stopped' : 'not-done';
  if (status === 'in-stage') return started ? 'in-progress' : 'preparation';
  return 'completed';
}

function requestStatus(c: Case): ServiceRequest['status'] {
  const status = deriveStatus(c).code;
  return status === 'cancelled' ? 'revoked' : status === 'in-stage' ? 'active' : 'completed';
}

/** deliveredAt is a local wall-clock time without a zone: FHIR needs a zone with a time, so only its date is used. */
function procedureEnd(c: Case, status: Procedure['status']): string | undefined {
  if (c.cancelled) return c.cancelled.at;
  const delivered = c.stages.delivery.values.deliveredAt;
  if (status !== 'completed' || typeof delivered !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(delivered)) return undefined;
  // A delivery date typed before the order would make an invalid period: leave the end out.
  return delivered.slice(0, 10) >= c.createdAt.slice(0, 10) ? delivered.slice(0, 10) : undefined;
}

function stageNotes(c: Case): Annotation[] {
  return STAGES.flatMap((def) => {
    const rec = c.stages[def.id];
    const parts = applicableFields(def, c)
      .filter((f) => !isBlank(rec.values[f.key]))
      .map((f) => `${f.label}: ${formatFieldValue(f, rec.values[f.key])}`);
    const use = def.deliverableFields.flatMap((f) =>
      c.deliverables.filter((d) => !isBlank(rec.perDeliverable[d.id]?.[f.key])).map((d) => `${d.name} — ${f.label}: ${formatFieldValue(f, rec.perDeliverable[d.id]?.[f.key])}`),
    );
    const all = [...parts, ...use];
    return all.length ? [{ text: `${def.title}: ${all.join('; ')}`, ...(rec.updatedAt ? { time: rec.updatedAt } : {}) }] : [];
  });
}

function performers(c: Case): { actor: Reference }[] {
  const names = new Set<string>();
  for (const s of Object.values(c.stages)) {
    if (s.updatedBy) names.add(s.updatedBy);
    for (const t of Object.values(s.checklist)) names.add(t.byName);
  }
  return [...names].map((display) => ({ actor: { display } }));
}

export function caseFhirBundle(c: Case, o: FhirExportOptions): FhirBundle {
  const url = () => `urn:uuid:${o.newUuid()}`;
  const patientUrl = url(), requestUrl = url(), procedureUrl = url();
  const subject: Reference = { reference: patientUrl, display: c.phi.patientName };
  const caseId: Identifier = { type: { text: 'Printpath case number' }, value: c.caseNumber };
  const reason: CodeableConcept[] = [{ coding: [{ system: ICD10_CM, code: c.order.icd10 }], ...(c.phi.indication ? { text: c.phi.indication } : {}) }];
  const bodySite: CodeableConcept[] = [{ text: c.order.anatomicRegion }];
  const work = describeDeliverables(c.deliverables);

  const patient: Patient = {
    resourceType: 'Patient',
    identifier: [{ use: 'usual', type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }] }, value: c.phi.mrn }],
    name: [{ text: c.phi.patientName }],
    gender: c.phi.sex,
    ...(/^\d{4}-\d{2}-\d{2}$/.test(c.phi.dateOfBirth) ? { birthDate: c.phi.dateOfBirth } : {}),
  };

  const orderNotes: Annotation[] = [
    { text: `Structures to include: ${c.order.structures.join('; ')}` },
    { text: `Requester contact: ${c.order.physicianContact}` },
    ...(c.phi.notes.trim() ? [{ text: c.phi.notes }] : []),
  ];
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    identifier: [caseId],
    status: requestStatus(c),
    intent: 'order',
    priority: PRIORITY[c.order.priority],
    code: { text: '3D-printed anatomic model or guide from image data' },
    subject,
    occurrenceDateTime: c.order.dateNeeded,
    authoredOn: c.createdAt,
    requester: { display: c.order.orderingPhysician },
    reasonCode: reason,
    bodySite,
    note: orderNotes,
  };

  const status = procedureStatus(c, o.distrusted);
  const end = procedureEnd(c, status);
  const who = performers(c);
  const notes = [{ text: `Models and guides: ${work}` }, ...stageNotes(c)];
  const procedure: Procedure = {
    resourceType: 'Procedure',
    identifier: [caseId],
    basedOn: [{ reference: requestUrl }],
    status,
    ...(c.cancelled ? { statusReason: { text: c.cancelled.reason } } : {}),
    code: { text: `Point-of-care 3D printing: ${work}` },
    subject,
    performedPeriod: { start: c.createdAt, ...(end ? { end } : {}) },
    ...(who.length ? { performer: who } : {}),
    reasonCode: reason,
    bodySite,
    note: notes,
  };

  const provenance: Provenance[] = STAGES.flatMap((def): Provenance[] => {
    const sig = c.stages[def.id].signature;
    if (!sig || !signatureIsValid(c, def.id, o.distrusted)) return [];
    const signer: Reference = { display: sig.signerName };
    return [{
      resourceType: 'Provenance',
      target: [{ reference: procedureUrl, display: `${def.title} stage of case ${c.caseNumber}` }],
      occurredDateTime: sig.signedAt,
      recorded: sig.signedAt,
      activity: { text: sig.meaning },
      agent: [{ type: { coding: [{ system: PARTICIPANT_TYPE, code: 'verifier', display: 'Verifier' }] }, role: [{ text: ROLE_LABELS[sig.role] }], who: signer }],
      entity: [{ role: 'source', what: { identifier: { type: { text: 'SHA-256 of the canonical signed content' }, value: sig.contentHash }, display: `${def.title} record as signed` } }],
      signature: [{ type: [{ system: SIGNATURE_TYPE, code: '1.2.840.10065.1.12.1.5', display: 'Verification Signature' }], when: sig.signedAt, who: signer }],
    }];
  });

  const charges: ChargeItem[] =
    o.suggestion.state === 'none'
      ? []
      : o.suggestion.lines.map((line): ChargeItem => {
          const date = line.serviceDate ?? o.suggestion.serviceDate;
          return {
            resourceType: 'ChargeItem',
            status: o.suggestion.state === 'final' ? 'billable' : 'planned',
            code: { coding: [{ system: CPT, code: line.code }], text: line.description },
            subject,
            ...(date ? { occurrenceDateTime: date } : {}),
            // The full units, also above the MUE: the MUE note says what happens to such a claim.
            quantity: { value: line.units },
            service: [{ reference: procedureUrl }],
            enteredDate: o.generatedAt,
            note: [{ text: CHARGE_NOTE }, { text: line.reason }, ...(line.mue ? [{ text: `MUE: ${mueText(line)}` }] : []), ...o.suggestion.warnings.map((text) => ({ text }))],
          };
        });

  const documents: DocumentReference[] = o.pdf
    ? [{
        resourceType: 'DocumentReference',
        status: 'current',
        docStatus: 'final',
        type: { text: 'Printpath case summary' },
        subject,
        date: o.generatedAt,
        description: `Case summary of ${c.caseNumber}: the order, every stage, the sign-offs and the suggested codes`,
        content: [{ attachment: { contentType: 'application/pdf', data: base64(o.pdf.bytes), title: o.pdf.fileName, size: o.pdf.bytes.length, creation: o.generatedAt } }],
        context: { related: [{ reference: procedureUrl }] },
      }]
    : [];

  const tagged = (resource: FhirResource): FhirResource => (c.demo ? { ...resource, meta: { tag: [DEMO_TAG] } } : resource);
  const entry: BundleEntry[] = [
    { fullUrl: patientUrl, resource: tagged(patient) },
    { fullUrl: requestUrl, resource: tagged(request) },
    { fullUrl: procedureUrl, resource: tagged(procedure) },
    ...[...provenance, ...charges, ...documents].map((resource) => ({ fullUrl: url(), resource: tagged(resource) })),
  ];
  return {
    resourceType: 'Bundle',
    meta: { security: [{ system: CONFIDENTIALITY, code: 'R', display: 'restricted' }], ...(c.demo ? { tag: [DEMO_TAG] } : {}) },
    identifier: { system: 'urn:ietf:rfc:3986', value: url() },
    type: 'collection',
    timestamp: o.generatedAt,
    entry,
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard padded base64 (FHIR base64Binary), without btoa's string round trip. */
export function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!, b = bytes[i + 1], c = bytes[i + 2];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (b === undefined ? '=' : B64[(n >> 6) & 63]!) + (c === undefined ? '=' : B64[n & 63]!);
  }
  return out;
}
