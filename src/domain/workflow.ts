// Workflow rules: what a stage needs before it is complete, what a signature
// covers, and the case status. Pure: reads a case, returns facts.
import type { Actor, Case, ChangeRequest, Deliverable, FieldValue, Signature, StageId } from './case';
import { canonicalJson, sha256Hex } from './canonical';
import { shownName } from './demo-people';
import { filesOf, signedFiles } from './model-file-refs';
import { partQaBlockers } from './part-qa';
import { EFFORT, STAGES, fieldDef, stageDef, type FieldDef, type StageCheck, type StageDef } from './stages';
import { entersSterileField, sterilizationBlockers } from './sterilization';

/** Guides, and models marked as entering the sterile field: the case's sterilization fields apply. */
export const hasSterileParts = (c: Pick<Case, 'deliverables'>) => c.deliverables.some(entersSterileField);

/** A digital model is delivered as a file; everything else is printed. */
export const isPrinted = (d: Deliverable) => !(d.kind === 'model' && d.digital);

/** What a stage that is not needed says, on screen and in the PDF. */
export const NOT_NEEDED = 'Not needed: every model is a digital model, delivered as a file and not printed';

/** A stage for prints only (printing) is not needed once the case has deliverables and every one is a digital model. */
export const stageNotNeeded = (def: StageDef, c: Pick<Case, 'deliverables'>) => Boolean(def.onlyWithPrints) && c.deliverables.length > 0 && !c.deliverables.some(isPrinted);

/** A stage's legacy fields (stages.ts) apply only to a case that recorded one of them, unless `withLegacy`. */
export function applicableFields(def: StageDef, c: Pick<Case, 'deliverables' | 'stages'>, { withLegacy = false } = {}): FieldDef[] {
  const legacy = withLegacy || def.fields.some((f) => f.legacy && !isBlank(c.stages[def.id]?.values[f.key]));
  return def.fields.filter((f) => (!f.onlyWithGuides || hasSterileParts(c)) && (!f.legacy || legacy));
}

export function applicableChecklist(def: StageDef, c: Pick<Case, 'deliverables'>) {
  return def.checklist.filter((i) => !i.onlyWithGuides || hasSterileParts(c));
}

/** "Print time" → "print time", but "QA: deviation" keeps its acronym. */
const inSentence = (label: string) => (/^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label);

export const isBlank = (v: FieldValue | undefined) => v === null || v === undefined || v === '';

/**
 * Versions of the signed content. A signature records the version it was made under and
 * is checked under it, so signatures made before a version existed keep verifying.
 *   1: the stage's declared fields and checklist, the case id, per-deliverable values,
 *      and the deliverables where the stage covers them (signatures with no `contentVersion`).
 *   2: 1, marked with its version, plus every model and guide file (name, size, SHA-256,
 *      deliverable) where the stage covers the deliverables (segmenting).
 */
export type SignedContentVersion = 1 | 2;
export const SIGNED_CONTENT_VERSION = 2 as const;

/** Exactly what a stage's signature covers, as the stage table declares it, under a content version. */
export function signedContent(c: Case, stage: StageId, version: SignedContentVersion = SIGNED_CONTENT_VERSION) {
  const def = stageDef(stage);
  const rec = c.stages[stage];
  const v1 = {
    caseId: c.id,
    stage,
    values: Object.fromEntries(
      applicableFields(def, c, { withLegacy: true })
        .filter((f) => !f.unsigned && !(f.signedOnceRecorded && isBlank(rec.values[f.key])))
        .map((f) => [f.key, rec.values[f.key] ?? null]),
    ),
    checklist: Object.fromEntries(applicableChecklist(def, c).map((i) => [i.key, rec.checklist[i.key]?.done ?? false])),
    // Only stages that record something per deliverable cover it; otherwise adding a
    // model or guide would void a signature (e.g. imaging) that says nothing about them.
    perDeliverable: def.deliverableFields.length === 0
      ? undefined
      : Object.fromEntries(
          c.deliverables.map((d) => [
            d.id,
            Object.fromEntries(
              def.deliverableFields
                .filter((f) => !f.unsigned && !(f.signedOnceRecorded && isBlank(rec.perDeliverable[d.id]?.[f.key])))
                .map((f) => [f.key, rec.perDeliverable[d.id]?.[f.key] ?? null]),
            ),
          ]),
        ),
    deliverables: def.signatureCoversDeliverables ? c.deliverables : undefined,
  };
  if (version === 1) return v1;
  return { ...v1, contentVersion: 2, files: def.signatureCoversDeliverables ? signedFiles(c) : undefined };
}

// Cases are immutable values: a hash is worked out once per case object, stage and version. The
// status, stepper, stage panel and codes all ask for it on every render of a case page.
const hashes = new WeakMap<Case, Map<string, string>>();
export function signedContentHash(c: Case, stage: StageId, version: SignedContentVersion = SIGNED_CONTENT_VERSION): string {
  let known = hashes.get(c);
  if (!known) hashes.set(c, (known = new Map()));
  const key = `${stage}/${version}`;
  let hash = known.get(key);
  if (hash === undefined) known.set(key, (hash = sha256Hex(canonicalJson(signedContent(c, stage, version)))));
  return hash;
}

/**
 * Whether a stored signature still covers the case as it is, under the content version it
 * was made with. A version-1 signature says nothing about files, so on a stage that covers
 * them it stops matching once the case has any: a file attached later was never signed.
 */
export function signatureMatches(c: Case, stage: StageId, sig: Pick<Signature, 'contentHash' | 'contentVersion'>): boolean {
  const version = sig.contentVersion ?? 1;
  if (version === 1) return sig.contentHash === signedContentHash(c, stage, 1) && !(stageDef(stage).signatureCoversDeliverables && filesOf(c).length > 0);
  if (version === 2) return sig.contentHash === signedContentHash(c, stage, 2);
  return false;
}

/** What a signer attests to, before the cryptographic proof is attached (21 CFR 11.50). */
export function signatureManifest(c: Case, stage: StageId, actor: Actor, now: string): Omit<Signature, 'keyFingerprint' | 'value'> {
  const signoff = stageDef(stage).signoff;
  if (!signoff) throw new Error(`${stage} has no sign-off`);
  return {
    signerId: actor.id,
    signerName: shownName(actor),
    role: signoff.role,
    meaning: signoff.meaning,
    signedAt: now,
    contentHash: signedContentHash(c, stage, SIGNED_CONTENT_VERSION),
    contentVersion: SIGNED_CONTENT_VERSION,
  };
}

/** The exact text the signer's private key signs: manifestation + content hash, bound to the case and stage (21 CFR 11.70). */
export function signatureText(caseId: string, stage: StageId, s: Omit<Signature, 'keyFingerprint' | 'value'>): string {
  const { signerId, signerName, role, meaning, signedAt, contentHash, contentVersion } = s;
  // contentVersion is absent from version-1 signatures, so their text is as it was signed.
  return canonicalJson({ caseId, stage, signerId, signerName, role, meaning, signedAt, contentHash, contentVersion });
}

/**
 * Stages whose signature failed cryptographic verification (checked outside the
 * domain, with the signers' public keys): their signature does not count.
 */
export type Distrusted = ReadonlySet<StageId>;
export const NONE: Distrusted = new Set();

export function signatureIsValid(c: Case, stage: StageId, distrusted: Distrusted = NONE): boolean {
  const sig = c.stages[stage].signature;
  return sig !== null && !distrusted.has(stage) && signatureMatches(c, stage, sig);
}

/**
 * The request for changes a signer made on this stage, while it stands: the stage is as it was
 * sent back (nothing recorded since, by any version of the app) and not validly signed since.
 */
export function openChangeRequest(c: Case, stage: StageId, distrusted: Distrusted = NONE): ChangeRequest | null {
  const rec = c.stages[stage];
  const req = rec.changesRequested;
  if (!req) return null;
  if (rec.updatedAt !== req.stageUpdatedAt || signedContentHash(c, stage) !== req.contentHash) return null;
  return signatureIsValid(c, stage, distrusted) ? null : req;
}

/** The blocker a change request adds, as the stage panel lists it. */
export const changeRequestBlocker = (req: ChangeRequest) => `Changes requested by ${req.byName}: change the stage as asked, then it is ready for sign-off again`;

const CHECK_MESSAGES: Record<StageCheck, (c: Case, stage: StageId) => string[]> = {
  hasDeliverables: (c) => (c.deliverables.length === 0 ? ['Add at least one anatomic model or guide'] : []),
  componentsSegmented: (c) =>
    c.deliverables.filter((d) => d.kind === 'model' && d.components.length === 0).map((d) => `${d.name} has no segmented components`),
  materialPerPart: (c) =>
    c.deliverables.filter(isPrinted).flatMap((d) =>
      d.kind === 'guide'
        ? d.material.trim() ? [] : [`${d.name}: choose a material`]
        : d.components.filter((p) => !p.material.trim()).map((p) => `${d.name} – ${p.structure}: choose a material`),
    ),
  useInCareRecorded: (c, stage) =>
    c.deliverables
      .filter((d) => isBlank(c.stages[stage].perDeliverable[d.id]?.usedInCare))
      .map((d) => `Record whether ${d.name} was used in this patient's care`),
  qaWithinTolerance: (c, stage) => {
    const v = c.stages[stage].values;
    const measured = v.qaMeasuredErrorMm, tolerance = v.qaToleranceMm;
    return typeof measured === 'number' && typeof tolerance === 'number' && measured > tolerance
      ? [`QA deviation ${measured} mm exceeds the ${tolerance} mm tolerance: reprint or re-measure`]
      : [];
  },
  partsQaPassed: (c) => partQaBlockers(c),
  sterilizationRecorded: (c) => sterilizationBlockers(c),
  effortSplitWithinTotal: (c, stage) => {
    const v = c.stages[stage].values;
    return EFFORT.filter((e) => e.stage === stage).flatMap((e) => {
      const total = v[e.totalKey], clinician = v[e.clinicianKey];
      if (typeof clinician !== 'number') return [];
      const totalDef = fieldDef(stage, e.totalKey)!, clinicianDef = fieldDef(stage, e.clinicianKey)!;
      if (typeof total !== 'number') return totalDef.required ? [] : [`Enter ${inSentence(totalDef.label)}: ${clinician} min of it by clinicians is recorded`];
      return clinician > total ? [`${clinicianDef.label} (${clinician} min) is more than the ${inSentence(totalDef.label)} (${total} min)`] : [];
    });
  },
};

/** What the stage itself still needs (ignoring earlier stages), in plain words. */
export function ownBlockers(c: Case, stage: StageId): string[] {
  const def = stageDef(stage);
  const rec = c.stages[stage];
  const out: string[] = [];
  for (const f of applicableFields(def, c)) if (f.required && isBlank(rec.values[f.key])) out.push(`Enter ${inSentence(f.label)}`);
  for (const i of applicableChecklist(def, c)) if (i.required && !rec.checklist[i.key]?.done) out.push(`Tick “${i.label}”`);
  for (const check of def.checks) out.push(...CHECK_MESSAGES[check](c, stage));
  return out;
}

export type StageState = {
  id: StageId;
  title: string;
  /** Earlier stages are not complete yet: this one cannot complete. */
  waitingFor: StageId | null;
  blockers: string[];
  /** A stage for prints only, in a case where every model is digital: complete without anything recorded. */
  notNeeded: boolean;
  needsSignature: boolean;
  signatureValid: boolean;
  complete: boolean;
};

export function stageStates(c: Case, distrusted: Distrusted = NONE): StageState[] {
  let waitingFor: StageId | null = null;
  return STAGES.map((def) => {
    if (stageNotNeeded(def, c)) return { id: def.id, title: def.title, waitingFor, blockers: [], notNeeded: true, needsSignature: false, signatureValid: false, complete: waitingFor === null };
    const rec = c.stages[def.id];
    const blockers = ownBlockers(c, def.id);
    const needsSignature = def.signoff !== null;
    const valid = needsSignature ? signatureIsValid(c, def.id, distrusted) : false;
    if (needsSignature && !valid) {
      const request = openChangeRequest(c, def.id, distrusted);
      if (request) blockers.push(changeRequestBlocker(request));
      blockers.push(
        !rec.signature
          ? `Needs ${def.signoff!.role} sign-off: “${def.signoff!.meaning}”`
          : distrusted.has(def.id)
            ? `The signature does not verify with the signer’s key: a ${def.signoff!.role} must sign again`
            : `Signature no longer matches the record: a ${def.signoff!.role} must sign again`,
      );
    }
    const complete = waitingFor === null && blockers.length === 0;
    const state: StageState = { id: def.id, title: def.title, waitingFor, blockers, notNeeded: false, needsSignature, signatureValid: valid, complete };
    if (!complete && waitingFor === null) waitingFor = def.id;
    return state;
  });
}

export type CaseStatus =
  | { code: 'cancelled'; label: string }
  | { code: 'closed'; label: string }
  | { code: 'in-stage'; stage: StageId; label: string }
  | { code: 'awaiting-use'; label: string }
  | { code: 'ready-for-billing'; label: string };

export type CaseStatusCode = CaseStatus['code'];

export const deliverableUse = (c: Case, d: Deliverable) => c.stages.delivery.perDeliverable[d.id]?.usedInCare ?? null;

/** The one place a case's status comes from; any stored copy is written from this. */
export function deriveStatus(c: Case, distrusted: Distrusted = NONE): CaseStatus {
  if (c.cancelled) return { code: 'cancelled', label: 'Cancelled' };
  if (c.closed) return { code: 'closed', label: 'Closed' };
  const open = stageStates(c, distrusted).find((s) => !s.complete);
  if (open) return { code: 'in-stage', stage: open.id, label: `In ${open.title.toLowerCase()}` };
  if (c.deliverables.some((d) => deliverableUse(c, d) === 'unknown')) return { code: 'awaiting-use', label: 'Delivered — use in care not yet known' };
  // Complete: what it means for billing (ready, check first, or nothing to bill) is billing-state.ts's to say.
  return { code: 'ready-for-billing', label: 'Ready to close' };
}

/** Index key for the list filter: the open stage, or the status code. */
export function statusKey(s: CaseStatus): string {
  return s.code === 'in-stage' ? s.stage : s.code;
}

const STATUS_LABELS: Record<string, string> = {
  cancelled: 'Cancelled',
  closed: 'Closed',
  'awaiting-use': 'Delivered — use in care not yet known',
  'ready-for-billing': 'Ready to close',
  ...Object.fromEntries(STAGES.map((s) => [s.id, `In ${s.title.toLowerCase()}`])),
};

/** The label of a stored status key (see statusKey), for lists read from the index. */
export const statusKeyLabel = (key: string) => STATUS_LABELS[key] ?? key;

/** Still in a stage after the date it was needed. */
export function isOverdue(dateNeeded: string, key: string, today: string): boolean {
  return STAGES.some((s) => s.id === key) && dateNeeded < today;
}

/** A later stage can be recorded once the one before it is complete; data already recorded stays editable. */
export function recordingBlockedBy(c: Case, stage: StageId): string | null {
  if (stageNotNeeded(stageDef(stage), c)) return NOT_NEEDED;
  const index = STAGES.findIndex((s) => s.id === stage);
  if (index <= 0) return null;
  const hasData = c.stages[stage].updatedAt !== null;
  const prev = stageStates(c)[index - 1]!;
  return hasData || prev.complete ? null : `Complete ${prev.title.toLowerCase()} before recording ${stageDef(stage).title.toLowerCase()}`;
}
