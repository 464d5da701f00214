// The one write path: a command applied to a case by an actor at a time gives
// the new case and the event that describes the change, or a reason why not.
// Signatures whose content changed are voided here, whatever the command.
import type { Actor, Case, CaseEvent, CommandType, Deliverable, FieldChange, FieldValue, SignatureProof, StageId } from './case';
import { emptyStage } from './case';
import type { CaseId, EventId } from './ids';
import { deliverablesSchema, newCaseSchema, orderSchema, stageValuesSchema, type NewCaseInput, type OrderInput } from './case-input';
import { suggestCodes, type CodeTable } from './cpt';
import { STAGES, stageDef } from './stages';
import { awaitingSignoff } from './signoff-wait';
import { applicableFields, deriveStatus, openChangeRequest, recordingBlockedBy, signatureManifest, signatureMatches, signedContentHash, stageStates, type Distrusted } from './workflow';
import { attachFileStep, filesForDeliverables, removeFileStep, type AttachFileCommand, type RemoveFileCommand } from './model-files';
import { describeDeliverables } from './deliverables';
import { closeReopened, openVersionsOnSendBack, signedFileVersions, signedVersionsText } from './design-versions';
import { DEMO_SIGNER_REFUSED, shownName } from './demo-people';
import { acceptPartQaStep, recordPartQaStep, type AcceptPartQaCommand, type RecordPartQaCommand } from './part-qa-commands';
import { deliverableFieldsFor, erasesRecordAfterHandOver, handOverRefusal } from './sterilization';
import { recordPartPrintStep, type RecordPartPrintCommand } from './part-print-step';

export type Command =
  | { type: 'create'; id: CaseId; caseNumber: string; input: NewCaseInput; /** Only "Load demo cases" makes demo cases. */ demo?: boolean }
  | { type: 'editOrder'; input: OrderInput }
  | { type: 'setDeliverables'; deliverables: Deliverable[] }
  | { type: 'saveStage'; stage: StageId; values: Record<string, FieldValue>; perDeliverable?: Record<string, Record<string, FieldValue>> }
  | { type: 'tick'; stage: StageId; item: string; done: boolean }
  | AttachFileCommand
  | RemoveFileCommand
  | RecordPartQaCommand
  | AcceptPartQaCommand
  | { type: 'sign'; stage: StageId; proof?: SignatureProof }
  /** A signer's "not yet, because…": the stage goes back to the technician. The reason goes on the audit trail. */
  | { type: 'sendBack'; stage: StageId; reason: string }
  | { type: 'cancel'; reason: string }
  /**
   * `confirmedWarnings`: the warnings the person confirmed having read before closing. Codes with
   * warnings are not frozen for billing without that confirmation; it goes on the audit trail.
   */
  | { type: 'close'; codeTable: CodeTable; confirmedWarnings?: readonly string[] }
  | RecordPartPrintCommand;

export type CommandContext = {
  actor: Actor;
  now: string;
  eventId: EventId;
  /** Stages whose stored signature failed cryptographic verification. */
  distrusted?: Distrusted;
};

export type CommandResult = { ok: true; case: Case; event: CaseEvent } | { ok: false; reason: string };

const refuse = (reason: string): CommandResult => ({ ok: false, reason });

export const SEND_BACK_NEEDS_REASON = 'Say what needs to change: a stage is sent back only with a reason.';

function firstIssue(error: { issues: readonly { message: string }[] }): string {
  return error.issues[0]?.message ?? 'The input is not valid';
}

export function applyCommand(current: Case | null, cmd: Command, ctx: CommandContext): CommandResult {
  if (cmd.type === 'create') {
    if (current) return refuse('The case already exists');
    return create(cmd, ctx);
  }
  if (!current) return refuse('No such case');
  if (current.cancelled) return refuse('The case is cancelled and can no longer be changed');
  if (current.closed) return refuse('The case is closed and can no longer be changed');
  const step = STEPS[cmd.type as Exclude<CommandType, 'create'>] as ((c: Case, cmd: Command, ctx: CommandContext) => Step | string) | undefined;
  // A command from a newer version of the app (a parked change, a replay) is refused, never half-applied.
  if (!step) return refuse('This change was made by a newer version of Printpath: update the app to apply it');
  const result = step(current, cmd, ctx);
  if (typeof result === 'string') return refuse(result);
  return finish(current, result, ctx, cmd.type);
}

type Step = { next: Case; summary: string; changes: FieldChange[] };

function create(cmd: Extract<Command, { type: 'create' }>, ctx: CommandContext): CommandResult {
  const parsed = newCaseSchema(ctx.now.slice(0, 10)).safeParse(cmd.input);
  if (!parsed.success) return refuse(firstIssue(parsed.error));
  const { deliverables, ...rest } = parsed.data;
  const c: Case = {
    id: cmd.id,
    caseNumber: cmd.caseNumber,
    createdAt: ctx.now,
    createdBy: ctx.actor.id,
    createdByName: ctx.actor.name,
    updatedAt: ctx.now,
    revision: 1,
    ...splitOrder(rest),
    deliverables: asDeliverables(deliverables),
    stages: { imaging: emptyStage(), segmenting: emptyStage(), printing: emptyStage(), delivery: emptyStage() },
    cancelled: null,
    closed: null,
    demo: cmd.demo ?? false,
  };
  return { ok: true, case: c, event: event(c, ctx, 'create', `Case ${c.caseNumber} opened from the order`, []) };
}

/** Only a model marked digital or sterile carries the mark, so a plain printed model's signed content is what it always was. A digital model is never sterilized. */
const asDeliverables = (input: NewCaseInput['deliverables']): Deliverable[] =>
  input.map((d) => {
    if (d.kind !== 'model') return d as Deliverable;
    const { digital, sterile, ...model } = d;
    return { ...model, ...(digital ? { digital: true } : sterile ? { sterile: true } : {}) } as Deliverable;
  });

function splitOrder(o: OrderInput): Pick<Case, 'phi' | 'order'> {
  const { patientName, mrn, dateOfBirth, sex, indication, notes, payer, encounter, scenario, appropriatenessRating, criteriaYear, ...rest } = o;
  // No key at all for what is not recorded, so orders from before these fields hash as they did (the schema asks for both or neither).
  const rated = appropriatenessRating && criteriaYear ? { appropriatenessRating: Number(appropriatenessRating), criteriaYear: Number(criteriaYear) } : {};
  const order = { ...rest, ...(payer ? { payer } : {}), ...(encounter ? { encounter } : {}), ...rated };
  return { phi: { patientName, mrn, dateOfBirth, sex, indication, notes, ...(scenario ? { scenario } : {}) }, order };
}

const STEPS: { [K in Exclude<CommandType, 'create'>]: (c: Case, cmd: Extract<Command, { type: K }>, ctx: CommandContext) => Step | string } = {
  editOrder(c, cmd, ctx) {
    const parsed = orderSchema(ctx.now.slice(0, 10)).safeParse(cmd.input);
    if (!parsed.success) return firstIssue(parsed.error);
    const next = { ...c, ...splitOrder(parsed.data) };
    const changes = diff({ ...c.phi, ...c.order }, { ...next.phi, ...next.order });
    if (changes.length === 0) return 'Nothing changed';
    return { next, summary: `Order edited: ${changes.map((x) => x.field).join(', ')}`, changes };
  },

  setDeliverables(c, cmd) {
    const parsed = deliverablesSchema.safeParse(cmd.deliverables);
    if (!parsed.success) return firstIssue(parsed.error);
    const before = describeDeliverables(c.deliverables);
    const deliverables = asDeliverables(parsed.data);
    const after = describeDeliverables(deliverables);
    if (before === after) return 'Nothing changed';
    const ids = new Set(parsed.data.map((d) => d.id));
    const stages = mapStages(c, (s) => ({ ...s, perDeliverable: Object.fromEntries(Object.entries(s.perDeliverable).filter(([id]) => ids.has(id))) }));
    return {
      next: filesForDeliverables({ ...c, deliverables, stages }, ids),
      summary: 'Models and guides changed',
      changes: [{ field: 'deliverables', before, after }],
    };
  },

  saveStage(c, cmd, ctx) {
    const gate = recordingBlockedBy(c, cmd.stage);
    if (gate) return gate;
    const def = stageDef(cmd.stage);
    // Legacy fields are still accepted: a change made by an older version of the app applies.
    const fields = applicableFields(def, c, { withLegacy: true });
    const parsed = stageValuesSchema(fields, { strict: true }).safeParse(cmd.values);
    if (!parsed.success) return firstIssue(parsed.error);
    const rec = c.stages[cmd.stage];
    const values = { ...rec.values, ...(parsed.data as Record<string, FieldValue>) };
    const perDeliverable = { ...rec.perDeliverable };
    for (const [id, vals] of Object.entries(cmd.perDeliverable ?? {})) {
      const d = c.deliverables.find((x) => x.id === id);
      if (!d) return 'That model or guide is not part of this case';
      const p = stageValuesSchema(deliverableFieldsFor(def, d), { strict: true }).safeParse(vals);
      if (!p.success) return firstIssue(p.error);
      perDeliverable[id] = { ...perDeliverable[id], ...(p.data as Record<string, FieldValue>) };
    }
    const label = (k: string) => [...def.fields, ...def.deliverableFields].find((f) => f.key === k)?.label ?? k;
    const changes = diff(rec.values, values, label);
    for (const d of c.deliverables) {
      changes.push(...diff(rec.perDeliverable[d.id] ?? {}, perDeliverable[d.id] ?? {}, (k) => `${d.name}: ${label(k)}`));
    }
    if (changes.length === 0) return 'Nothing changed';
    const stage = { ...rec, values, perDeliverable, updatedAt: ctx.now, updatedBy: ctx.actor.name };
    const erased = erasesRecordAfterHandOver(c, withStage(c, cmd.stage, stage));
    if (erased) return erased;
    return { next: withStage(c, cmd.stage, stage), summary: `${def.title}: ${changes.map((x) => x.field).join(', ')}`, changes };
  },

  tick(c, cmd, ctx) {
    const gate = recordingBlockedBy(c, cmd.stage);
    if (gate) return gate;
    const def = stageDef(cmd.stage);
    const item = def.checklist.find((i) => i.key === cmd.item);
    if (!item) return 'No such checklist item';
    const rec = c.stages[cmd.stage];
    const before = rec.checklist[cmd.item]?.done ?? false;
    if (before === cmd.done) return 'Nothing changed';
    const notYet = cmd.stage === 'delivery' && cmd.item === 'handedOver' && cmd.done ? handOverRefusal(c) : null;
    if (notYet) return notYet;
    const stage = {
      ...rec,
      checklist: { ...rec.checklist, [cmd.item]: { done: cmd.done, by: ctx.actor.id, byName: ctx.actor.name, at: ctx.now } },
      updatedAt: ctx.now,
      updatedBy: ctx.actor.name,
    };
    return {
      next: withStage(c, cmd.stage, stage),
      summary: `${def.title}: ${cmd.done ? 'ticked' : 'unticked'} “${item.label}”`,
      changes: [{ field: item.label, before, after: cmd.done }],
    };
  },

  attachFile: (c, cmd, ctx) => attachFileStep(c, cmd, ctx),
  removeFile: (c, cmd) => removeFileStep(c, cmd),
  recordPartQa: (c, cmd, ctx) => recordPartQaStep(c, cmd, ctx),
  acceptPartQa: (c, cmd, ctx) => acceptPartQaStep(c, cmd, ctx),

  sign(c, cmd, ctx) {
    const def = stageDef(cmd.stage);
    if (!def.signoff) return `${def.title} is not signed off`;
    if (!ctx.actor.roles.includes(def.signoff.role)) return `Only a ${def.signoff.role} can sign off ${def.title.toLowerCase()}`;
    if (ctx.actor.demo && !c.demo) return DEMO_SIGNER_REFUSED;
    const state = stageStates(c, ctx.distrusted).find((s) => s.id === cmd.stage)!;
    if (state.signatureValid) return `${def.title} is already signed`;
    if (state.waitingFor && state.waitingFor !== cmd.stage) return `Complete ${stageDef(state.waitingFor).title.toLowerCase()} first`;
    const missing = state.blockers.slice(0, -1); // the last blocker is the missing signature itself
    if (missing.length > 0) return `Not ready to sign: ${missing[0]}`;
    const versions = signedFileVersions(c, cmd.stage);
    const signature = { ...signatureManifest(c, cmd.stage, ctx.actor, ctx.now), ...(cmd.proof ?? { keyFingerprint: '', value: '' }), ...(versions.length ? { fileVersions: versions } : {}) };
    // A stored signature that no longer matches (a tampered row, or a stage table changed
    // by an upgrade) is kept on record as voided, not silently overwritten.
    const rec = c.stages[cmd.stage];
    const voidedSignatures = rec.signature
      ? [...rec.voidedSignatures, { ...rec.signature, voidedAt: ctx.now, voidedBy: ctx.actor.id, voidedByName: ctx.actor.name, reason: 'Signature no longer matched the record' }]
      : rec.voidedSignatures;
    return {
      next: withStage(versions.length ? closeReopened(c) : c, cmd.stage, { ...rec, signature, voidedSignatures }),
      summary: `${def.title} signed: “${def.signoff.meaning}”${versions.length ? ` — signed ${signedVersionsText(versions)}` : ''}`,
      changes: [],
    };
  },

  sendBack(c, cmd, ctx) {
    const def = stageDef(cmd.stage);
    if (!def.signoff) return `${def.title} is not signed off`;
    if (!ctx.actor.roles.includes(def.signoff.role)) return `Only a ${def.signoff.role} can send ${def.title.toLowerCase()} back`;
    if (ctx.actor.demo && !c.demo) return DEMO_SIGNER_REFUSED;
    const reason = cmd.reason.trim();
    if (!reason) return SEND_BACK_NEEDS_REASON;
    if (openChangeRequest(c, cmd.stage, ctx.distrusted)) return `${def.title} was already sent back: it waits for the technician`;
    if (awaitingSignoff(c, ctx.distrusted)?.stage !== cmd.stage) return `${def.title} is not waiting for sign-off: only a stage ready to sign can be sent back`;
    const rec = c.stages[cmd.stage];
    const changesRequested = { at: ctx.now, by: ctx.actor.id, byName: shownName(ctx.actor), role: def.signoff.role, contentHash: signedContentHash(c, cmd.stage), stageUpdatedAt: rec.updatedAt };
    // The versions are not signed content: opening them leaves the request standing.
    const { next, opened } = openVersionsOnSendBack(c, cmd.stage);
    return {
      next: withStage(next, cmd.stage, { ...rec, changesRequested }),
      summary: `${def.title} sent back to the technician: “${reason}”${opened.length ? ` — opens ${opened.join(', ')}` : ''}`,
      changes: [{ field: `${def.title}: changes requested`, before: null, after: reason }],
    };
  },

  cancel(c, cmd, ctx) {
    const reason = cmd.reason.trim();
    if (!reason) return 'Give a reason for cancelling';
    return { next: { ...c, cancelled: { at: ctx.now, by: ctx.actor.id, byName: ctx.actor.name, reason } }, summary: `Case cancelled: ${reason}`, changes: [] };
  },

  close(c, cmd, ctx) {
    // A sign-off that does not verify does not count, here as on screen: the frozen codes come only from what verifies.
    const status = deriveStatus(c, ctx.distrusted);
    if (status.code !== 'ready-for-billing') return `Only a case that is ready for billing can be closed (this one is: ${status.label.toLowerCase()})`;
    const billing = suggestCodes(c, cmd.codeTable, ctx.distrusted);
    const next = { ...c, closed: { at: ctx.now, by: ctx.actor.id, byName: ctx.actor.name, billing } };
    if (billing.lines.length === 0) return { next, summary: `Case closed with nothing billed: ${billing.reasons[0] ?? 'no code is suggested.'}`, changes: [] };
    const confirmed = cmd.confirmedWarnings ?? [];
    const unread = billing.warnings.filter((w) => !confirmed.includes(w));
    if (unread.length) return `Confirm having read the warnings before closing for billing: ${unread[0]}`;
    if (confirmed.length === 0) return { next, summary: 'Case closed; suggested codes frozen for billing', changes: [] };
    return {
      next,
      summary: `Case closed; suggested codes frozen for billing — ${ctx.actor.name} confirmed having read ${confirmed.length === 1 ? 'the warning' : `${confirmed.length} warnings`}`,
      changes: [{ field: 'Warnings read before closing', before: null, after: [...confirmed] }],
    };
  },

  recordPartPrint: (c, cmd, ctx) => recordPartPrintStep(c, cmd, ctx),
};

function finish(before: Case, step: Step, ctx: CommandContext, type: CommandType): CommandResult {
  let next: Case = { ...step.next, updatedAt: ctx.now, revision: before.revision + 1 };
  const voided: string[] = [];
  for (const def of STAGES) {
    const sig = next.stages[def.id].signature;
    if (sig && !signatureMatches(next, def.id, sig)) {
      const reason = step.changes.length ? `Changed: ${step.changes.map((x) => x.field).join(', ')}` : step.summary;
      next = withStage(next, def.id, {
        ...next.stages[def.id],
        signature: null,
        voidedSignatures: [...next.stages[def.id].voidedSignatures, { ...sig, voidedAt: ctx.now, voidedBy: ctx.actor.id, voidedByName: ctx.actor.name, reason }],
      });
      voided.push(def.title);
    }
  }
  // A change request is answered by any change to its stage (or by a signature): it is then dropped from the record.
  const answered: string[] = [];
  for (const def of STAGES) {
    if (next.stages[def.id].changesRequested && !openChangeRequest(next, def.id, ctx.distrusted)) {
      const { changesRequested: _answered, ...rest } = next.stages[def.id];
      next = withStage(next, def.id, rest);
      answered.push(def.title.toLowerCase());
    }
  }
  let summary = voided.length ? `${step.summary} — voided the ${voided.join(' and ')} signature${voided.length > 1 ? 's' : ''}` : step.summary;
  if (answered.length) summary += ` — answers the changes requested on ${answered.join(' and ')}`;
  return { ok: true, case: next, event: event(next, ctx, type, summary, step.changes) };
}

function event(c: Case, ctx: CommandContext, type: CommandType, summary: string, changes: FieldChange[]): CaseEvent {
  return { id: ctx.eventId, caseId: c.id, at: ctx.now, actorId: ctx.actor.id, actorName: ctx.actor.name, type, summary, changes };
}

function withStage(c: Case, id: StageId, stage: Case['stages'][StageId]): Case {
  return { ...c, stages: { ...c.stages, [id]: stage } };
}

function mapStages(c: Case, f: (s: Case['stages'][StageId]) => Case['stages'][StageId]): Case['stages'] {
  return { imaging: f(c.stages.imaging), segmenting: f(c.stages.segmenting), printing: f(c.stages.printing), delivery: f(c.stages.delivery) };
}

type Flat = Record<string, FieldValue | string[] | undefined>;
function diff(before: Flat, after: Flat, label: (k: string) => string = (k) => k): FieldChange[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: FieldChange[] = [];
  for (const k of keys) {
    const b = before[k] ?? null, a = after[k] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) out.push({ field: label(k), before: b, after: a });
  }
  return out;
}
