// The case record. Everything that may identify the patient, and every free
// text that may hold PHI, lives under `phi` so that it can be encrypted and
// kept out of indexes as one part.
import type { CaseId, DeliverableId, EventId, UserId } from './ids';
import type { CptSuggestion } from './cpt';
import type { ModelFileRef } from './model-file-refs';
import type { PartQaCheck } from './part-qa';
import type { PartPrint } from './traceability';

export type Role = 'technician' | 'radiologist' | 'admin';
export const ROLE_LABELS: Record<Role, string> = {
  technician: 'Lab technician',
  radiologist: 'Radiologist',
  admin: 'Lab admin',
};

/** Who acts; passed into every rule together with the time. `demo`: one of the demo people, who may sign demo cases only. */
export type Actor = { id: UserId; name: string; roles: readonly Role[]; demo?: boolean };

export type Sex = 'female' | 'male' | 'other' | 'unknown';
export type Priority = 'routine' | 'urgent' | 'emergent';
export type UseInCare = 'yes' | 'no' | 'unknown';
export type Encounter = 'hospital-outpatient' | 'inpatient' | 'other';
/** "7 of 9 (RSNA SIG criteria, 2018)", or null when not recorded. */
export const appropriatenessText = (o: Pick<Order, 'appropriatenessRating' | 'criteriaYear'>): string | null =>
  o.appropriatenessRating === undefined ? null : `${o.appropriatenessRating} of 9 (RSNA 3D Printing SIG criteria, ${o.criteriaYear ?? 'year not recorded'})`;

export const ENCOUNTER_LABELS: Record<Encounter, string> = {
  'hospital-outpatient': 'Hospital outpatient',
  inpatient: 'Inpatient',
  other: 'Other (e.g. physician office)',
};

export type PatientPhi = {
  patientName: string;
  mrn: string;
  dateOfBirth: string; // YYYY-MM-DD
  sex: Sex;
  indication: string;
  notes: string;
  /** The clinical scenario the appropriateness rating is for, in the criteria's words (free text, so sealed like the rest). */
  scenario?: string;
};

export type Order = {
  orderingPhysician: string;
  physicianContact: string;
  icd10: string;
  anatomicRegion: string;
  structures: string[];
  dateNeeded: string; // YYYY-MM-DD
  priority: Priority;
  /** The payer's (plan's) name, not a member id: absent when none was recorded. */
  payer?: string;
  /** Where the patient is seen, for the codes that apply to one setting only (C8001: hospital outpatient); absent when not recorded. */
  encounter?: Encounter;
  /** The RSNA 3D Printing SIG appropriateness rating of the scenario (1–9) as the lab records it, and the criteria's year: both or neither. */
  appropriatenessRating?: number;
  criteriaYear?: number;
};

export type ModelComponent = {
  id: DeliverableId;
  structure: string;
  colour: string;
  material: string;
};

export type AnatomicModel = {
  id: DeliverableId;
  kind: 'model';
  name: string;
  copies: number;
  components: ModelComponent[];
  /** A digital model: the surface mesh delivered as a file, never printed. Absent on printed models (and on every model made before it existed, so their signatures keep verifying). */
  digital?: true;
  /** A printed model that enters the sterile field (sterilized for the OR): it needs a sterilization record like a guide. Absent otherwise. */
  sterile?: true;
};

export type GuideType = 'cutting' | 'drilling';
export type AnatomicGuide = {
  id: DeliverableId;
  kind: 'guide';
  name: string;
  guideType: GuideType;
  material: string;
};

export type Deliverable = AnatomicModel | AnatomicGuide;

export type FieldValue = string | number | boolean | null;

export type ChecklistTick = { done: boolean; by: UserId; byName: string; at: string };

export type Signature = {
  signerId: UserId;
  signerName: string;
  role: Role;
  meaning: string;
  signedAt: string; // ISO UTC
  contentHash: string; // SHA-256 hex of the canonical signed content
  /** The signed content's version (workflow.ts); absent on signatures made under version 1. */
  contentVersion?: 2;
  /** Which of the signer's keys made `value` (a public-key fingerprint); '' when none did. */
  keyFingerprint: string;
  /** ECDSA P-256 signature (base64) over signatureText(): the manifestation and the content hash. */
  value: string;
  /**
   * Which version of each file the signature covered (design-versions.ts), recorded beside it when signed;
   * absent where it covered no file (and on signatures from before versions). The content hash covers the files' bytes.
   */
  fileVersions?: { deliverableId: string; name: string; version: number }[];
};

export type SignatureProof = Pick<Signature, 'keyFingerprint' | 'value'>;

export type VoidedSignature = Signature & {
  voidedAt: string;
  voidedBy: UserId;
  voidedByName: string;
  reason: string;
};

/**
 * A signer sent the stage back: "not yet, because…". The reason itself is free text that may
 * hold PHI, so it is kept on the (sealed) audit trail, not here. It stands only while the stage
 * is exactly as it was sent back (`contentHash`, `stageUpdatedAt`): any change to the stage, by
 * any version of the app, answers it. Absent, not null, when there is none: a stored case from
 * before send-back must keep its hash.
 */
export type ChangeRequest = {
  at: string;
  by: UserId;
  byName: string;
  role: Role;
  /** The stage's signed content hash when it was sent back. */
  contentHash: string;
  /** The stage's updatedAt when it was sent back. */
  stageUpdatedAt: string | null;
};

export type StageRecord = {
  values: Record<string, FieldValue>;
  perDeliverable: Record<string, Record<string, FieldValue>>;
  checklist: Record<string, ChecklistTick>;
  signature: Signature | null;
  voidedSignatures: VoidedSignature[];
  updatedAt: string | null;
  updatedBy: string | null; // printed name
  changesRequested?: ChangeRequest;
};

export type StageId = 'imaging' | 'segmenting' | 'printing' | 'delivery';

export type Cancellation = { at: string; by: UserId; byName: string; reason: string };
export type Closure = { at: string; by: UserId; byName: string; billing: CptSuggestion };

export type Case = {
  id: CaseId;
  caseNumber: string;
  createdAt: string;
  createdBy: UserId;
  createdByName: string;
  updatedAt: string;
  revision: number;
  phi: PatientPhi;
  order: Order;
  deliverables: Deliverable[];
  /** Model and guide files attached to the deliverables; absent while there are none. */
  files?: ModelFileRef[];
  /** Dimensional QA checks of the printed parts, in the order recorded (part-qa.ts); absent while there are none. */
  partQa?: PartQaCheck[];
  /** How each printed part (a model's component or a guide, by id) was made: printer, software, material lot, print date. Absent while none is recorded. */
  printedParts?: Record<string, PartPrint>;
  stages: Record<StageId, StageRecord>;
  cancelled: Cancellation | null;
  closed: Closure | null;
  /** Made up by "Load demo cases": not a real patient. Shown on screen and in every export. */
  demo: boolean;
};

export type FieldChange = { field: string; before: FieldValue | string[]; after: FieldValue | string[] };

/** What one command did to one case; the audit trail is built from these. */
export type CaseEvent = {
  id: EventId;
  caseId: CaseId;
  at: string;
  actorId: UserId;
  actorName: string;
  type: EventType;
  summary: string;
  changes: FieldChange[];
};

/** Events that are not commands: a case replaced by its copy from a backup, by an admin's choice. */
export type EventType = CommandType | 'restore';

export type CommandType =
  | 'create'
  | 'editOrder'
  | 'setDeliverables'
  | 'saveStage'
  | 'tick'
  | 'attachFile'
  | 'removeFile'
  | 'recordPartQa'
  | 'acceptPartQa'
  | 'sign'
  | 'sendBack'
  | 'cancel'
  | 'close'
  | 'recordPartPrint';

export const emptyStage = (): StageRecord => ({
  values: {},
  perDeliverable: {},
  checklist: {},
  signature: null,
  voidedSignatures: [],
  updatedAt: null,
  updatedBy: null,
});
