// The four stages as data: their fields, checklist items, sign-off and what a
// signature covers. The forms, the workflow rules, the PDF and the signature
// hash all read this one table.
//
// Effort (EFFORT below), as the ACR–RSNA 3D Printing Registry asks for it:
// consultation, segmentation, CAD and preparation/post-processing, each split into
// clinician and non-clinician time. Each category is a pair of number fields in
// its stage: the total minutes everyone spent on it (person-minutes), and the part
// of it spent by clinicians (physicians: radiologist, surgeon). Non-clinician time
// is the difference; a blank clinician part means the split is unknown (the
// registry's "unknown"). Fields added for effort are `unsigned`: lab bookkeeping
// outside the sign-off, so recording them after a radiologist signed voids nothing
// (and signatures made before they existed still match).
import type { Role, StageId } from './case';

type FieldBase = {
  key: string;
  label: string;
  required: boolean;
  /** Only asked when the case has a part that enters the sterile field: a guide, or a model marked so (e.g. sterilization). */
  onlyWithGuides?: boolean;
  /** Free text that may hold PHI: encrypted with the patient part later. */
  phi?: boolean;
  hint?: string;
  /**
   * Added after signatures were made: left out of the signed content while blank, so
   * signatures made before the field existed still verify. Once recorded, it is signed.
   */
  signedOnceRecorded?: boolean;
  /** Lab bookkeeping the sign-off does not attest to (effort split, see the header): never in the signed content. */
  unsigned?: boolean;
  /** Offered as a choice from the lab's list (kept under Lab settings); free text while the list is empty. */
  choices?: 'printers';
  /**
   * Replaced by a newer record (the single QA figure, by per-part QA in part-qa.ts): shown and
   * required only on cases that recorded one of the stage's legacy fields; still accepted when
   * saved, so changes made by older versions of the app apply.
   */
  legacy?: true;
  /** A per-deliverable field asked only of a part that enters the sterile field (sterilization.ts). */
  sterileFieldOnly?: boolean;
};

export type FieldDef =
  | (FieldBase & { type: 'text' | 'textarea' | 'date' | 'datetime' })
  | (FieldBase & { type: 'number'; unit: string; min: number; max: number; step?: number })
  | (FieldBase & { type: 'select'; options: readonly { value: string; label: string }[] });

export type ChecklistItemDef = { key: string; label: string; required: boolean; onlyWithGuides?: boolean };

/** Named checks (on deliverables or across fields) that a stage needs before it can complete. */
export type StageCheck = 'hasDeliverables' | 'componentsSegmented' | 'materialPerPart' | 'useInCareRecorded' | 'qaWithinTolerance' | 'effortSplitWithinTotal' | 'partsQaPassed' | 'sterilizationRecorded';

export type StageDef = {
  id: StageId;
  title: string;
  summary: string;
  fields: readonly FieldDef[];
  /** Recorded once per deliverable (model or guide). */
  deliverableFields: readonly FieldDef[];
  checklist: readonly ChecklistItemDef[];
  checks: readonly StageCheck[];
  signoff: { role: Role; meaning: string } | null;
  /** The deliverables (models, components, guides) are part of the signed content. */
  signatureCoversDeliverables: boolean;
  /** Only a case with something to print goes through it: not needed when every model is digital. */
  onlyWithPrints?: boolean;
};

const yesNoUnknown = [
  { value: 'unknown', label: 'Not yet known' },
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
] as const;

/** How a case recorded before per-part QA shows its one figure. */
export const LEGACY_QA_HINT = 'Single QA figure for the case, recorded before per-part QA';

const CLINICIAN_HINT = 'The part of that time spent by physicians; the rest counts as non-clinician time';

export const STAGES: readonly StageDef[] = [
  {
    id: 'imaging',
    title: 'Imaging',
    summary: 'Is the study segmentable?',
    fields: [
      {
        key: 'modality',
        label: 'Modality',
        type: 'select',
        required: true,
        options: [
          { value: 'CT', label: 'CT' },
          { value: 'MR', label: 'MR' },
          { value: 'CBCT', label: 'Cone-beam CT' },
          { value: 'US', label: 'Ultrasound (3D)' },
          { value: 'other', label: 'Other' },
        ],
      },
      { key: 'studyDate', label: 'Study date', type: 'date', required: true },
      { key: 'accessionNumber', label: 'Accession number', type: 'text', required: true, phi: true },
      { key: 'sliceThicknessMm', label: 'Slice thickness', type: 'number', unit: 'mm', min: 0.1, max: 10, step: 0.1, required: true, hint: '1 mm or thinner segments best' },
      {
        key: 'contrastPhase',
        label: 'Contrast phase',
        type: 'select',
        required: false,
        options: [
          { value: 'none', label: 'Non-contrast' },
          { value: 'arterial', label: 'Arterial' },
          { value: 'venous', label: 'Portal venous' },
          { value: 'delayed', label: 'Delayed' },
          { value: 'other', label: 'Other' },
        ],
      },
      // Filled from a DICOM file's header (or typed). Descriptions are free text and a study UID
      // leads back to the patient in PACS: all three are sealed with the patient part.
      { key: 'studyDescription', label: 'Study description', type: 'text', required: false, phi: true, signedOnceRecorded: true },
      { key: 'seriesDescription', label: 'Series description', type: 'text', required: false, phi: true, signedOnceRecorded: true },
      { key: 'studyInstanceUid', label: 'Study instance UID', type: 'text', required: false, phi: true, signedOnceRecorded: true },
      { key: 'consultationMinutes', label: 'Consultation time', type: 'number', unit: 'min', min: 0, max: 6000, step: 1, required: false, unsigned: true, hint: 'Planning with the requesting team: everyone’s minutes added up' },
      { key: 'consultationClinicianMinutes', label: 'Consultation time by clinicians', type: 'number', unit: 'min', min: 0, max: 6000, step: 1, required: false, unsigned: true, hint: CLINICIAN_HINT },
      { key: 'imagingNotes', label: 'Imaging notes', type: 'textarea', required: false, phi: true },
    ],
    deliverableFields: [],
    checklist: [
      { key: 'studyRetrieved', label: 'Study retrieved from PACS', required: true },
      { key: 'qualityAdequate', label: 'Image quality adequate for segmentation (coverage, slice thickness, artefacts)', required: true },
    ],
    checks: ['effortSplitWithinTotal'],
    signoff: { role: 'radiologist', meaning: 'Imaging adequate for segmentation' },
    signatureCoversDeliverables: false,
  },
  {
    id: 'segmenting',
    title: 'Segmenting',
    summary: 'Structures segmented, designed and checked over the source images',
    fields: [
      { key: 'software', label: 'Segmentation software', type: 'text', required: true, hint: 'e.g. Materialise Mimics, 3D Slicer' },
      { key: 'softwareVersion', label: 'Software version', type: 'text', required: true },
      { key: 'cadSoftware', label: 'CAD / design software', type: 'text', required: false },
      { key: 'segmentationMinutes', label: 'Segmentation time', type: 'number', unit: 'min', min: 1, max: 6000, step: 1, required: true },
      { key: 'segmentationClinicianMinutes', label: 'Segmentation time by clinicians', type: 'number', unit: 'min', min: 0, max: 6000, step: 1, required: false, unsigned: true, hint: CLINICIAN_HINT },
      { key: 'cadMinutes', label: 'CAD design time', type: 'number', unit: 'min', min: 0, max: 6000, step: 1, required: false },
      { key: 'cadClinicianMinutes', label: 'CAD design time by clinicians', type: 'number', unit: 'min', min: 0, max: 6000, step: 1, required: false, unsigned: true, hint: CLINICIAN_HINT },
      { key: 'segmentationNotes', label: 'Segmentation notes', type: 'textarea', required: false, phi: true },
    ],
    deliverableFields: [],
    checklist: [
      { key: 'structuresSegmented', label: 'Every listed structure segmented as its own component', required: true },
      { key: 'stlOverlaid', label: 'Model (STL) overlaid on the source images and verified', required: true },
      { key: 'meshRepaired', label: 'Mesh checked and repaired (watertight, no inverted normals)', required: true },
    ],
    checks: ['hasDeliverables', 'componentsSegmented', 'effortSplitWithinTotal'],
    signoff: { role: 'radiologist', meaning: 'Segmentation verified against source images' },
    signatureCoversDeliverables: true,
  },
  {
    id: 'printing',
    title: 'Printing',
    summary: 'Print, post-process and measure against the images',
    fields: [
      { key: 'printer', label: 'Printer', type: 'text', required: true, choices: 'printers', hint: 'From the lab’s printer list (a lab admin keeps it under Lab settings)' },
      {
        key: 'technology',
        label: 'Technology',
        type: 'select',
        required: true,
        options: [
          { value: 'material-jetting', label: 'Material jetting (PolyJet)' },
          { value: 'vat-photopolymerization', label: 'Vat photopolymerization (SLA/DLP)' },
          { value: 'powder-bed-fusion', label: 'Powder bed fusion (SLS)' },
          { value: 'material-extrusion', label: 'Material extrusion (FDM)' },
          { value: 'binder-jetting', label: 'Binder jetting' },
        ],
      },
      { key: 'scalePercent', label: 'Scale', type: 'number', unit: '%', min: 1, max: 500, step: 1, required: true },
      { key: 'printHours', label: 'Print time', type: 'number', unit: 'h', min: 0.1, max: 500, step: 0.1, required: true },
      { key: 'postProcessing', label: 'Post-processing', type: 'text', required: true, hint: 'e.g. support removal, UV cure, sanding' },
      { key: 'postProcessingMinutes', label: 'Preparation / post-processing time', type: 'number', unit: 'min', min: 0, max: 6000, step: 1, required: false },
      { key: 'postProcessingClinicianMinutes', label: 'Preparation / post-processing time by clinicians', type: 'number', unit: 'min', min: 0, max: 6000, step: 1, required: false, unsigned: true, hint: CLINICIAN_HINT },
      { key: 'qaMeasuredErrorMm', label: 'QA: largest measured deviation', type: 'number', unit: 'mm', min: 0, max: 50, step: 0.01, required: true, legacy: true, hint: LEGACY_QA_HINT },
      { key: 'qaToleranceMm', label: 'QA: accepted tolerance', type: 'number', unit: 'mm', min: 0.01, max: 10, step: 0.01, required: true, legacy: true, hint: LEGACY_QA_HINT },
    ],
    deliverableFields: [],
    checklist: [
      { key: 'printedAndCleaned', label: 'Printed, supports removed, cured', required: true },
      { key: 'qaMeasured', label: 'QA measurement taken against a reference on the images', required: true },
      { key: 'labelled', label: 'Labelled with case number (no patient name on the part)', required: true },
    ],
    checks: ['materialPerPart', 'qaWithinTolerance', 'effortSplitWithinTotal', 'partsQaPassed'],
    signoff: null,
    signatureCoversDeliverables: false,
    onlyWithPrints: true,
  },
  {
    id: 'delivery',
    title: 'Delivery',
    summary: 'Sterilize guides, hand over, record use in care',
    fields: [
      {
        key: 'sterilizationMethod',
        label: 'Sterilization method',
        type: 'select',
        required: true,
        onlyWithGuides: true,
        options: [
          { value: 'steam', label: 'Steam autoclave' },
          { value: 'eto', label: 'Ethylene oxide' },
          { value: 'h2o2-plasma', label: 'Hydrogen peroxide plasma' },
          { value: 'other', label: 'Other' },
        ],
      },
      { key: 'sterilizationLot', label: 'Sterilization lot', type: 'text', required: true, onlyWithGuides: true },
      { key: 'deliveredTo', label: 'Delivered to', type: 'text', required: true },
      { key: 'deliveredAt', label: 'Delivered at', type: 'datetime', required: true },
      { key: 'feedback', label: 'Clinician feedback', type: 'textarea', required: false, phi: true },
      // Clinical impact, as the ACR–RSNA 3D Printing Registry asks for it: answered when known, after the procedure.
      { key: 'procedurePerformed', label: 'Impact: procedure performed', type: 'select', required: false, options: yesNoUnknown },
      { key: 'planChanged', label: 'Impact: the model or guide changed the surgical plan', type: 'select', required: false, options: yesNoUnknown },
      { key: 'surgeonRating', label: 'Impact: surgeon’s rating of its value', type: 'number', unit: 'of 5', min: 1, max: 5, step: 1, required: false, hint: '1 = no value, 5 = essential' },
      { key: 'minutesSaved', label: 'Impact: operating time saved', type: 'number', unit: 'min', min: 0, max: 1440, step: 1, required: false, hint: 'Only if the surgeon estimated it' },
    ],
    deliverableFields: [
      { key: 'usedInCare', label: "Used in this patient's care", type: 'select', required: true, options: yesNoUnknown },
      // The sterilization record, per guide rather than per case: each guide is its own deliverable,
      // guides of one case can go through different loads on different days, and each one's fit
      // is re-checked on its own (heat can distort one and not another). The method and lot above
      // stay per case, as before. Blank ones are left out of the signed content (signedOnceRecorded),
      // so cases from before the record existed keep their content.
      { key: 'cleaning', label: 'Cleaning before sterilization', type: 'text', required: true, sterileFieldOnly: true, signedOnceRecorded: true, hint: 'What was done, e.g. enzymatic detergent wash, rinse, dried' },
      { key: 'sterilizationCycle', label: 'Sterilization cycle or load id', type: 'text', required: true, sterileFieldOnly: true, signedOnceRecorded: true },
      { key: 'sterilizedOn', label: 'Sterilized on', type: 'date', required: true, sterileFieldOnly: true, signedOnceRecorded: true },
      { key: 'sterilizedBy', label: 'Sterilized by', type: 'text', required: true, sterileFieldOnly: true, signedOnceRecorded: true, hint: 'The person who ran the cycle' },
      {
        key: 'recheckResult',
        label: 'Re-check after sterilization',
        type: 'select',
        required: true,
        sterileFieldOnly: true,
        signedOnceRecorded: true,
        hint: 'Fit or dimensions checked again after sterilization, before delivery: heat can distort a printed guide',
        options: [
          { value: 'pass', label: 'Pass' },
          { value: 'fail', label: 'Fail' },
        ],
      },
      { key: 'recheckWhat', label: 'What was re-checked', type: 'text', required: true, sterileFieldOnly: true, signedOnceRecorded: true, hint: 'e.g. fit on the printed bone model, slot width 1.2 mm' },
    ],
    checklist: [
      { key: 'sterilized', label: 'Guides sterilized and packed for the OR', required: true, onlyWithGuides: true },
      { key: 'handedOver', label: 'Handed over and receipt confirmed', required: true },
    ],
    checks: ['useInCareRecorded', 'sterilizationRecorded'],
    signoff: null,
    signatureCoversDeliverables: false,
  },
];

export const STAGE_IDS: readonly StageId[] = STAGES.map((s) => s.id);

export function stageDef(id: StageId): StageDef {
  const def = STAGES.find((s) => s.id === id);
  if (!def) throw new Error(`Unknown stage ${id}`);
  return def;
}

export function fieldDef(stage: StageId, key: string): FieldDef | undefined {
  const def = stageDef(stage);
  return def.fields.find((f) => f.key === key) ?? def.deliverableFields.find((f) => f.key === key);
}

export type EffortCategory = 'consultation' | 'segmentation' | 'cad' | 'postProcessing';

/** One registry effort category: the stage and the pair of fields that record it (see the header). */
export type EffortDef = { id: EffortCategory; label: string; stage: StageId; totalKey: string; clinicianKey: string };

export const EFFORT: readonly EffortDef[] = [
  { id: 'consultation', label: 'Consultation', stage: 'imaging', totalKey: 'consultationMinutes', clinicianKey: 'consultationClinicianMinutes' },
  { id: 'segmentation', label: 'Segmentation', stage: 'segmenting', totalKey: 'segmentationMinutes', clinicianKey: 'segmentationClinicianMinutes' },
  { id: 'cad', label: 'CAD design', stage: 'segmenting', totalKey: 'cadMinutes', clinicianKey: 'cadClinicianMinutes' },
  { id: 'postProcessing', label: 'Preparation / post-processing', stage: 'printing', totalKey: 'postProcessingMinutes', clinicianKey: 'postProcessingClinicianMinutes' },
];

/** The roles that sign some stage off, in stage order. */
export const signerRoles = (): Role[] => [...new Set(STAGES.flatMap((s) => (s.signoff ? [s.signoff.role] : [])))];

/** The role whose sign-off queue a person works: the first of theirs that signs a stage, or null. */
export const queueRoleOf = (person: { roles: readonly Role[] } | null): Role | null => (person && signerRoles().find((r) => person.roles.includes(r))) ?? null;
