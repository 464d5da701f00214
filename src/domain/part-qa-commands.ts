// The two per-part QA commands (part-qa.ts says what they mean): a check recorded by
// whoever measured, and the acceptance of a failed check by a radiologist or lab
// admin with a reason. Both go on the audit trail; the reason is sealed with the
// case's PHI (phi.ts), as a cancellation's reason is. Pure.
import type { Actor, Case, FieldChange } from './case';
import { ACCEPTERS, checkPasses, checksOf, measurementText, partQaState, printedParts, type PartQaCheck, type QaMeasurement } from './part-qa';
import { recordingBlockedBy } from './workflow';
import { z } from './zod';

export type RecordPartQaCommand = { type: 'recordPartQa'; partId: string; measurements: QaMeasurement[]; reprinted?: boolean };
export type AcceptPartQaCommand = { type: 'acceptPartQa'; checkId: string; reason: string };

type Step = { next: Case; summary: string; changes: FieldChange[] };
type Ctx = { now: string; actor: Actor; eventId: string };

export const ACCEPT_NEEDS_REASON = 'Say why the part is accepted: a part out of tolerance is accepted only with a reason.';

const millimetres = (what: string, min: number, max: number) =>
  z.number({ error: `Enter the ${what} in mm` }).refine((n) => Number.isFinite(n) && n >= min && n <= max, `The ${what} is from ${min} to ${max} mm`);

export const measurementSchema = z.object({
  what: z.string().trim().min(1, 'Say what was measured').max(80, 'At most 80 characters for what was measured'),
  nominalMm: millimetres('nominal size', 0, 2000),
  measuredMm: millimetres('measured size', 0, 2000),
  toleranceMm: millimetres('tolerance', 0.01, 10),
});
export const measurementsSchema = z.array(measurementSchema).min(1, 'Record at least one measurement').max(20, 'At most 20 measurements per check');

const withChecks = (c: Case, checks: PartQaCheck[]): Case => ({ ...c, partQa: checks });

export function recordPartQaStep(c: Case, cmd: RecordPartQaCommand, ctx: Ctx): Step | string {
  const gate = recordingBlockedBy(c, 'printing');
  if (gate) return gate;
  const part = printedParts(c).find((p) => p.id === cmd.partId);
  if (!part) return 'That part is not printed in this case: only model components and guides that are printed are measured';
  const parsed = measurementsSchema.safeParse(cmd.measurements);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'The measurements are not valid';
  const check: PartQaCheck = {
    id: ctx.eventId,
    partId: part.id,
    measurements: parsed.data,
    at: ctx.now,
    by: ctx.actor.id,
    byName: ctx.actor.name,
    ...(cmd.reprinted ? { reprinted: true as const } : {}),
  };
  const before = partQaState(c, part.id);
  const result = checkPasses(check) ? 'pass' : 'FAIL';
  return {
    next: withChecks(c, [...checksOf(c), check]),
    summary: `Printing QA of ${part.name}${check.reprinted ? ' (reprinted)' : ''}: ${result}`,
    changes: [{ field: `${part.name}: QA`, before: before.state === 'not-checked' ? null : before.state, after: check.measurements.map(measurementText) }],
  };
}

export function acceptPartQaStep(c: Case, cmd: AcceptPartQaCommand, ctx: Ctx): Step | string {
  if (!ACCEPTERS.some((r) => ctx.actor.roles.includes(r))) return 'Only a radiologist or lab admin can accept a part out of tolerance';
  if (ctx.actor.demo && !c.demo) return 'Demo people cannot accept parts of real cases';
  const gate = recordingBlockedBy(c, 'printing');
  if (gate) return gate;
  const reason = cmd.reason.trim();
  if (!reason) return ACCEPT_NEEDS_REASON;
  const check = checksOf(c).find((x) => x.id === cmd.checkId);
  const part = check && printedParts(c).find((p) => p.id === check.partId);
  if (!check || !part) return 'That QA check is not part of this case';
  const state = partQaState(c, part.id);
  if (state.state === 'not-checked' || state.check.id !== check.id) return `A newer QA check of ${part.name} was recorded: only the latest check can be accepted`;
  if (state.state === 'passed') return `${part.name} passed its QA: there is nothing to accept`;
  if (state.state === 'accepted') return `${part.name} was already accepted by ${state.check.accepted!.byName}`;
  const accepted = { at: ctx.now, by: ctx.actor.id, byName: ctx.actor.name, reason };
  return {
    next: withChecks(c, checksOf(c).map((x) => (x.id === check.id ? { ...x, accepted } : x))),
    summary: `Printing QA of ${part.name} accepted out of tolerance by ${ctx.actor.name}: “${reason}”`,
    changes: [{ field: `${part.name}: QA accepted out of tolerance`, before: null, after: reason }],
  };
}
