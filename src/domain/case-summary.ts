// The case summary as a print-neutral model: every value already formatted as
// words (units, option labels, UTC times), in reading order. The PDF (and any
// later printout or export) only lays this out; no rule or label lives there.
// Pure: the generation time is passed in.
import { traceSummary, type Combination, type TraceSummary } from './traceability';
import type { Case, CaseEvent, ChecklistTick, Deliverable, FieldValue, Priority, Sex, Signature, StageId, VoidedSignature } from './case';
import { appropriatenessText, ENCOUNTER_LABELS, ROLE_LABELS } from './case';
import {
  DOES_NOT_VERIFY_BANNER,
  doesNotVerifyDetail,
  labRootText,
  notCountedText,
  signatureCheck,
  trustFailed,
  trustPending,
  uncountedStages,
  verificationRows,
  verifiedCodes,
  verifiedStatus,
  type CaseTrust,
  type TrustCheck,
  type VerificationRow,
  type VerifiedStatus,
} from './case-trust';
import { billingState, type BillingState, type BillingStateCode } from './billing-state';
import { CPT_DISCLAIMER, type CodeTable, type CptSuggestion } from './cpt';
import { mueText, payerPosition } from './cpt-notes';
import type { StageClock } from './stage-dates';
import { STAGES, type FieldDef } from './stages';
import { partQaSummary, type PartQaSummary } from './part-qa';
import { deliveredBeforeRecord, entersSterileField, OLD_DELIVERY_TEXT, RECHECK_FAILED_TEXT, STERILIZATION_FIELDS } from './sterilization';
import { designVersion, fileVersionText, partMark, signedFileVersions, signedVersionsText } from './design-versions';
import { applicableChecklist, applicableFields, isBlank, NOT_NEEDED, signatureMatches, stageStates, type Distrusted } from './workflow';

/** Printed in the footer of every page. */
export const SUMMARY_FOOTER_NOTE = 'Suggested codes — verify with your coder';
/** Across the top of every page of a demo case's summary. */
export const DEMO_CASE_BANNER = 'DEMO CASE — not a real patient';
/** Shown for a field that has no recorded value. */
export const NOT_RECORDED = '—';

export type LabelledValue = { label: string; value: string; recorded: boolean };

export type ChecklistLine = { label: string; done: boolean; required: boolean; by: string | null; at: string | null; text: string };

/** A signature as recorded: the name and role are what the record says, not proof of who signed. */
type RecordedSignature = {
  printedName: string;
  role: string;
  signedAt: string;
  meaning: string;
  contentHash: string;
  /** "v2 of liver.stl": the file versions it covered, or null where it covered no file. */
  covers: string | null;
};

export type SignatureLine = RecordedSignature & {
  /** Verifies and still matches the recorded content: only then is it printed as "Signed by". */
  counts: boolean;
  /** The check of the signature, in words (for a signature that counts, how it verified). */
  check: TrustCheck;
  /** For a signature that does not count, what to print in its place, e.g. "SIGNATURE DOES NOT VERIFY — not counted: …". */
  notCounted: string | null;
};

export type VoidedSignatureLine = RecordedSignature & { voidedBy: string; voidedAt: string; reason: string };


/** What verifies, printed near the top of every case summary. */
export type VerificationSummary = {
  /** Some check failed: the banner goes on page 1 and in every footer. */
  failed: boolean;
  /** "THIS RECORD DOES NOT VERIFY" and what does not, when a check failed. */
  banner: { title: string; detail: string } | null;
  rows: VerificationRow[];
  /** "1a2b 3c4d 5e6f 7081", or "not recorded". */
  labRoot: string;
};

export type StageSummary = {
  id: StageId;
  title: string;
  complete: boolean;
  /** A stage for prints only, in a case of digital models only (workflow.ts stageNotNeeded). */
  notNeeded: boolean;
  /** "Complete", or what still blocks the stage, in words. */
  statusText: string;
  /** The earlier stage that must complete first (its title), if any. */
  waitingFor: string | null;
  blockers: string[];
  fields: LabelledValue[];
  checklist: ChecklistLine[];
  perDeliverable: { deliverable: string; values: LabelledValue[] }[];
  /** Each part that enters the sterile field, with its sterilization record (delivery only; else empty). */
  sterilization: SterilizationSummary[];
  lastUpdated: string | null;
  /** Who must sign and what the signature means; null when the stage is not signed off. */
  signoff: { role: string; meaning: string } | null;
  signature: SignatureLine | null;
  voidedSignatures: VoidedSignatureLine[];
};

/** A model or guide file as a sign-off covers it: a replaced file (another SHA-256) voids the signature. */
export type FileSummary = { name: string; size: string; sha256: string; attached: string; /** "v2" (design-versions.ts). */ version: string };

/** A model's or guide's design version: delivered, or current while not delivered yet; and the text marked on the part. */
export type DesignSummary = {
  /** "Version delivered" once delivery is complete, else "Design version (not delivered yet)". */
  versionLabel: string;
  /** "v2", or "No file attached". */
  version: string;
  /** "MRN 123456 | Case 2026-0042 | v2" (patient data: the PDF only); null for a digital model, which is not a part. */
  mark: string | null;
};

export type ModelSummary = {
  name: string;
  /** Delivered as a surface mesh file, not printed. */
  digital: boolean;
  copies: number;
  components: { structure: string; colour: string; material: string }[];
  files: FileSummary[];
  design: DesignSummary;
};

export type GuideSummary = { name: string; guideType: string; material: string; files: FileSummary[]; design: DesignSummary };

const fileSize = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`);

function fileSummaries(c: Case, deliverableId: string): FileSummary[] {
  return (c.files ?? [])
    .filter((f) => f.deliverableId === deliverableId)
    .map((f) => ({ name: f.name, size: fileSize(f.size), sha256: f.sha256, attached: `${STAGES.find((st) => st.id === f.stage)?.title ?? f.stage}, ${f.attachedBy}, ${formatUtc(f.attachedAt)}`, version: fileVersionText(f) }));
}

function designSummary(c: Case, d: Deliverable, delivered: boolean): DesignSummary {
  return {
    versionLabel: delivered ? 'Version delivered' : 'Design version (not delivered yet)',
    version: designVersion(c, d) ?? 'No file attached',
    mark: d.kind === 'model' && d.digital ? null : partMark(c, d),
  };
}

export type CodeSummary = {
  state: CptSuggestion['state'];
  /** The billing state (billing-state.ts): the same name the case page shows. */
  billingState: BillingStateCode;
  stateLabel: string;
  /** "Nothing to bill: …" with the reason, when nothing is billed. */
  nothingToBill: string | null;
  lines: { code: string; units: number; unitsText: string; description: string; reason: string; serviceDate: string | null; mue: string | null; aboveMue: boolean }[];
  reasons: string[];
  warnings: string[];
  serviceDate: string | null;
  /** Every date of service, when more than one. */
  serviceDates: string[];
  /** The order's payer and the lab's note of its position on the codes. */
  payer: { payer: string; note: string | null } | null;
  codeTableVersion: string;
  /** Codes frozen when the case was closed. */
  frozenAt: string | null;
  disclaimer: string;
};

export type HistoryLine = { at: string; actor: string; summary: string };

export type CaseSummary = {
  title: string;
  caseId: string;
  caseNumber: string;
  generatedAt: string;
  /** The same instant as given (ISO), for document metadata. */
  generatedAtIso: string;
  /** From what verifies only (verifiedStatus, then billingState): the same label the case page shows. */
  status: string;
  statusCode: VerifiedStatus['code'];
  verification: VerificationSummary;
  opened: string;
  cancelled: { at: string; by: string; reason: string } | null;
  closed: { at: string; by: string } | null;
  patient: { name: string; mrn: string; dateOfBirth: string; sex: string };
  order: {
    orderingPhysician: string;
    physicianContact: string;
    indication: string;
    icd10: string;
    anatomicRegion: string;
    structures: string[];
    dateNeeded: string;
    priority: string;
    payer: string | null;
    /** The encounter setting's label, or null when not recorded. */
    encounter: string | null;
    scenario: string | null;
    /** The RSNA SIG rating with the criteria's year, or null when not recorded. */
    appropriateness: string | null;
    notes: string;
  };
  deliverables: { models: ModelSummary[]; guides: GuideSummary[] };
  /** Each printed model's label (Diagnostic / For reference only) and how each printed part was made. */
  traceability?: TraceSummary;
  stages: StageSummary[];
  /** Dimensional QA per printed part, or the single figure of a case recorded before it (part-qa.ts). */
  partQa: PartQaSummary;
  codes: CodeSummary;
  history: HistoryLine[];
  /** The audit chain as checked when the summary was made: a reader can compare the head with the tablet's. */
  audit: AuditSummary | null;
  footerNote: string;
  /** Printed at the top of every page of a demo case; null for a real one. */
  demoNotice: string | null;
};

export type AuditSummary = { verified: boolean; entries: number; head: string | null; problem: string | null };

const SEX_LABELS: Record<Sex, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };
const PRIORITY_LABELS: Record<Priority, string> = { routine: 'Routine', urgent: 'Urgent', emergent: 'Emergent' };
/** ISO instant → "2026-03-01 08:00 UTC"; anything unparseable is shown as given. */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)} UTC`;
}

/** A stage field's value in words: units for numbers, labels for options. */
export function formatFieldValue(f: FieldDef, v: FieldValue | undefined): string {
  if (v === undefined || isBlank(v)) return NOT_RECORDED;
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  switch (f.type) {
    case 'number':
      return f.unit === '%' ? `${v}%` : `${v} ${f.unit}`;
    case 'select':
      return f.options.find((o) => o.value === v)?.label ?? String(v);
    case 'datetime':
      // Entered as local wall-clock time (datetime-local): shown as entered.
      return String(v).replace('T', ' ');
    default:
      return String(v);
  }
}

const labelled = (f: FieldDef, v: FieldValue | undefined): LabelledValue => ({
  label: f.label,
  value: formatFieldValue(f, v),
  recorded: v !== undefined && !isBlank(v),
});

function checklistLine(label: string, required: boolean, tick: ChecklistTick | undefined): ChecklistLine {
  const done = tick?.done ?? false;
  const by = tick?.byName ?? null;
  const at = tick ? formatUtc(tick.at) : null;
  const text = tick
    ? `${done ? 'Done' : 'Not done (unticked)'} — ${tick.byName}, ${formatUtc(tick.at)}`
    : 'Not done';
  return { label, done, required, by, at, text };
}

const recorded = (s: Signature): RecordedSignature => ({
  printedName: s.signerName,
  role: ROLE_LABELS[s.role],
  signedAt: formatUtc(s.signedAt),
  meaning: s.meaning,
  contentHash: s.contentHash,
  covers: s.fileVersions?.length ? signedVersionsText(s.fileVersions) : null,
});

function signatureLine(c: Case, stage: StageId, s: Signature, check: TrustCheck): SignatureLine {
  const matches = signatureMatches(c, stage, s);
  const notCounted =
    check.state !== 'verified'
      ? notCountedText(check)
      : !matches
        ? `SIGNATURE DOES NOT MATCH THE RECORD — not counted: what it covers was changed after signing; a ${ROLE_LABELS[s.role].toLowerCase()} must sign again.`
        : null;
  const line = recorded(s);
  // A signature from before versions were recorded, still matching: it covers the files as they are.
  const current = line.covers === null && matches ? signedFileVersions(c, stage) : [];
  return { ...line, ...(current.length ? { covers: signedVersionsText(current) } : {}), counts: notCounted === null, check, notCounted };
}

const voidedLine = (s: VoidedSignature): VoidedSignatureLine => ({
  ...recorded(s),
  voidedBy: s.voidedByName,
  voidedAt: formatUtc(s.voidedAt),
  reason: s.reason,
});

function stageSummaries(c: Case, trust: CaseTrust, uncounted: Distrusted): StageSummary[] {
  const states = stageStates(c, uncounted);
  return STAGES.map((def, i) => {
    const rec = c.stages[def.id];
    const state = states[i]!;
    const check = signatureCheck(c, trust, def.id);
    const waiting = state.waitingFor && state.waitingFor !== def.id ? STAGES.find((s) => s.id === state.waitingFor)!.title : null;
    // The workflow says a distrusted signature "does not verify"; the check says why (or that it is not checked yet).
    const own = state.blockers.map((b) => (check && uncounted.has(def.id) && b.startsWith('The signature does not verify') ? `The ${def.signoff!.role} sign-off does not count: ${check.text}` : b));
    const blockers = [...(waiting ? [`Waiting for ${waiting.toLowerCase()} to complete`] : []), ...own];
    return {
      id: def.id,
      title: def.title,
      complete: state.complete,
      notNeeded: state.notNeeded,
      statusText: state.notNeeded ? NOT_NEEDED : state.complete ? 'Complete' : `Not complete: ${blockers.join('; ')}`,
      waitingFor: waiting,
      blockers,
      fields: applicableFields(def, c).map((f) => labelled(f, rec.values[f.key])),
      checklist: applicableChecklist(def, c).map((item) => checklistLine(item.label, item.required, rec.checklist[item.key])),
      perDeliverable: def.deliverableFields.length
        ? c.deliverables.map((d) => ({ deliverable: d.name, values: def.deliverableFields.filter((f) => !f.sterileFieldOnly).map((f) => labelled(f, rec.perDeliverable[d.id]?.[f.key])) }))
        : [],
      sterilization: def.id === 'delivery' ? sterilizationSummary(c) : [],
      lastUpdated: rec.updatedAt ? `${rec.updatedBy ?? 'Unknown'}, ${formatUtc(rec.updatedAt)}` : null,
      signoff: def.signoff ? { role: ROLE_LABELS[def.signoff.role], meaning: def.signoff.meaning } : null,
      signature: rec.signature && check ? signatureLine(c, def.id, rec.signature, check) : null,
      voidedSignatures: rec.voidedSignatures.map(voidedLine),
    };
  });
}

export type SterilizationSummary = {
  deliverable: string;
  values: LabelledValue[];
  /** Said instead of the values, for a case handed over before the record existed. */
  note: string | null;
  /** Its re-check after sterilization failed: said in words, as a warning. */
  failed: string | null;
};

/** The sterilization record of each guide; a case handed over before the record existed says so instead of showing blanks. */
function sterilizationSummary(c: Case): SterilizationSummary[] {
  const old = deliveredBeforeRecord(c);
  return c.deliverables.filter(entersSterileField).map((d) => ({
    deliverable: d.name,
    values: old ? [] : STERILIZATION_FIELDS.map((f) => labelled(f, c.stages.delivery.perDeliverable[d.id]?.[f.key])),
    note: old ? OLD_DELIVERY_TEXT : null,
    failed: c.stages.delivery.perDeliverable[d.id]?.recheckResult === 'fail' ? RECHECK_FAILED_TEXT : null,
  }));
}

function codeSummary(c: Case, s: CptSuggestion, status: VerifiedStatus, billing: BillingState, table: CodeTable): CodeSummary {
  return {
    state: s.state,
    billingState: billing.code,
    stateLabel: billing.label,
    nothingToBill: billing.nothingToBill,
    lines: s.lines.map((l) => ({
      code: l.code,
      units: l.units,
      description: l.description,
      reason: l.reason,
      unitsText: `${l.units} ${l.units === 1 ? 'unit' : 'units'}`,
      serviceDate: l.serviceDate ?? null,
      // Suggestions frozen before MUEs were checked carry none: nothing is said rather than a guess.
      mue: l.mue === undefined ? null : mueText(l),
      aboveMue: (l.mue?.over ?? 0) > 0,
    })),
    reasons: [...s.reasons],
    warnings: [...billing.warnings],
    serviceDate: s.serviceDate,
    serviceDates: (s.serviceDates ?? []).length > 1 ? [...s.serviceDates!] : [],
    payer: payerPosition(c.order.payer, table),
    codeTableVersion: s.codeTableVersion,
    frozenAt: c.closed && status.code !== 'not-verified' ? formatUtc(c.closed.at) : null,
    disclaimer: CPT_DISCLAIMER,
  };
}

function verificationSummary(c: Case, trust: CaseTrust): VerificationSummary {
  const failed = trustFailed(c, trust);
  return {
    failed,
    banner: failed ? { title: DOES_NOT_VERIFY_BANNER, detail: doesNotVerifyDetail(c, trust) } : null,
    rows: verificationRows(c, trust),
    labRoot: labRootText(trust),
  };
}

export type CaseSummaryOptions = {
  codeTable: CodeTable;
  /** What verifies: the status, the stages and the codes count only that. */
  trust: CaseTrust;
  /** ISO instant the summary is made. */
  generatedAt: string;
  /** The audit chain's head and length, for a reader to compare with the tablet's. */
  audit?: AuditSummary | null;
  /** The tablet's local clock and the local day the case was opened, for the stage-date checks; UTC from `generatedAt` and the case when absent. */
  clock?: StageClock;
  /** The lab's validated combinations (withdrawn ones too); none known: every printed model is for reference only. */
  combinations?: readonly Combination[];
};

/** Thrown while a check is still running: a summary is made only from finished checks. */
export class TrustPendingError extends Error {
  constructor() {
    super('The case is still being verified: the summary can be made once every check has finished.');
    this.name = 'TrustPendingError';
  }
}

export function caseSummary(c: Case, events: CaseEvent[], { codeTable, trust, generatedAt, audit = null, clock, combinations = [] }: CaseSummaryOptions): CaseSummary {
  if (trustPending(c, trust)) throw new TrustPendingError();
  const status = verifiedStatus(c, trust);
  const codes = verifiedCodes(c, codeTable, trust);
  const billing = billingState(c, status, codes, clock ?? { now: generatedAt.slice(0, 16), openedOn: c.createdAt.slice(0, 10) });
  const uncounted = uncountedStages(c, trust);
  const delivered = stageStates(c, uncounted).find((s) => s.id === 'delivery')?.complete ?? false;
  const history = events
    .filter((e) => e.caseId === c.id)
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i))
    .map(({ e }) => ({ at: formatUtc(e.at), actor: e.actorName, summary: e.summary }));
  return {
    title: `Case summary ${c.caseNumber}`,
    caseId: c.id,
    caseNumber: c.caseNumber,
    generatedAt: formatUtc(generatedAt),
    generatedAtIso: generatedAt,
    status: billing.statusLabel,
    statusCode: status.code,
    verification: verificationSummary(c, trust),
    opened: `${c.createdByName}, ${formatUtc(c.createdAt)}`,
    cancelled: c.cancelled ? { at: formatUtc(c.cancelled.at), by: c.cancelled.byName, reason: c.cancelled.reason } : null,
    closed: c.closed ? { at: formatUtc(c.closed.at), by: c.closed.byName } : null,
    patient: { name: c.phi.patientName, mrn: c.phi.mrn, dateOfBirth: c.phi.dateOfBirth, sex: SEX_LABELS[c.phi.sex] },
    order: {
      orderingPhysician: c.order.orderingPhysician,
      physicianContact: c.order.physicianContact,
      indication: c.phi.indication,
      icd10: c.order.icd10,
      anatomicRegion: c.order.anatomicRegion,
      structures: [...c.order.structures],
      dateNeeded: c.order.dateNeeded,
      priority: PRIORITY_LABELS[c.order.priority],
      payer: c.order.payer ?? null,
      encounter: c.order.encounter ? ENCOUNTER_LABELS[c.order.encounter] : null,
      scenario: c.phi.scenario ?? null,
      appropriateness: appropriatenessText(c.order),
      notes: c.phi.notes,
    },
    deliverables: {
      models: c.deliverables.flatMap((d) =>
        d.kind === 'model' ? [{ name: d.name, digital: Boolean(d.digital), copies: d.copies, components: d.components.map(({ structure, colour, material }) => ({ structure, colour, material })), files: fileSummaries(c, d.id), design: designSummary(c, d, delivered) }] : [],
      ),
      guides: c.deliverables.flatMap((d) =>
        d.kind === 'guide' ? [{ name: d.name, guideType: d.guideType === 'cutting' ? 'Cutting guide' : 'Drilling guide', material: d.material, files: fileSummaries(c, d.id), design: designSummary(c, d, delivered) }] : [],
      ),
    },
    traceability: traceSummary(c, combinations),
    stages: stageSummaries(c, trust, uncounted),
    partQa: partQaSummary(c),
    codes: codeSummary(c, codes, status, billing, codeTable),
    history,
    audit,
    footerNote: SUMMARY_FOOTER_NOTE,
    demoNotice: c.demo ? DEMO_CASE_BANNER : null,
  };
}
