// The billing state: one derivation the case page, the case list and the PDF name the same way,
// and that never says more than the codes do.
import { describe, expect, it } from 'vitest';
import { billingState, BILLING_STATE_LABELS, cancelConsequence, CLOSE_NOTHING_BILLED_HINT, type BillingState } from '../../src/domain/billing-state';
import { listStatusLabel, listStatusTone } from '../../src/domain/billing-labels';
import type { Case } from '../../src/domain/case';
import { verifiedCodes, verifiedStatus, type CaseTrust } from '../../src/domain/case-trust';
import { applyCommand } from '../../src/domain/commands';
import { DEFAULT_CODE_TABLE, suggestCodes } from '../../src/domain/cpt';
import { asEventId } from '../../src/domain/ids';
import { stageDateWarnings, type StageClock } from '../../src/domain/stage-dates';
import { deriveStatus, statusKey, statusKeyLabel } from '../../src/domain/workflow';
import { Lab, tech } from '../support/case-builder';
import { verifiedTrust, withCheck } from '../support/trust';

// The Lab opens cases on 2026-03-02, studies are from 2026-02-27, deliveries on 2026-03-10 07:30.
const CLOCK: StageClock = { now: '2026-04-01T12:00', openedOn: '2026-03-02' };

function stateOf(c: Case, trust: CaseTrust = verifiedTrust(c), clock: StageClock = CLOCK): BillingState {
  return billingState(c, verifiedStatus(c, trust), verifiedCodes(c, DEFAULT_CODE_TABLE, trust), clock);
}

const cancel = (lab: Lab, c: Case, reason = 'Surgery called off') => lab.apply(c, { type: 'cancel', reason });

describe('billingState', () => {
  it('ready: codes, no warning — "Ready for billing", closed plainly', () => {
    const c = new Lab().build({ use: 'yes' });
    const s = stateOf(c);
    expect(s).toMatchObject({ code: 'ready-for-billing', label: 'Ready for billing', statusLabel: 'Ready for billing', tone: 'ok', nothingToBill: null, warnings: [] });
    expect(s.close).toEqual({ kind: 'close' });
  });

  it('nothing used in care: "Nothing to bill" with the reason, never "Ready for billing", and how to close it anyway', () => {
    const c = new Lab().build({ use: 'no' });
    expect(deriveStatus(c).code).toBe('ready-for-billing'); // the workflow is complete…
    const s = stateOf(c);
    expect(s.code).toBe('nothing-to-bill'); // …but nothing is billable
    expect(s.label).toBe('Nothing to bill');
    expect(s.statusLabel).toBe('Nothing to bill');
    expect(s.nothingToBill).toBe("Nothing to bill: no model or guide was used in this patient's care, so none is medically necessary for this patient: no code is suggested.");
    expect(s.close).toEqual({ kind: 'close-nothing-billed' });
    expect(CLOSE_NOTHING_BILLED_HINT).toMatch(/^Close the case with nothing billed/);
    expect(Object.values(s).join(' ')).not.toContain('Ready for billing');
  });

  it('cancelled before delivery: "Cancelled — nothing to bill", looks cancelled, cannot be closed', () => {
    const lab = new Lab();
    const c = cancel(lab, lab.build({ through: 'segmenting' }));
    const s = stateOf(c);
    expect(s).toMatchObject({ code: 'cancelled', label: 'Cancelled — nothing to bill', statusLabel: 'Cancelled — nothing to bill', tone: 'cancelled' });
    expect(s.nothingToBill).toBe('Nothing to bill: the case was cancelled. No code is suggested for a cancelled case.');
    expect(s.close.kind).toBe('none');
  });

  it('cancelled after delivery with use in care recorded: says what was used and that nothing is billed for it', () => {
    const lab = new Lab();
    const delivered = lab.build({ use: 'yes' });
    expect(cancelConsequence(delivered)).toBe(
      "This case was delivered (2026-03-10 07:30) and Pelvis model is recorded as used in this patient's care. Cancelling it means nothing is billed: no code is suggested for a cancelled case, and it can no longer be closed for billing. To bill for what was used, close the case for billing instead.",
    );
    const s = stateOf(cancel(lab, delivered));
    expect(s.code).toBe('cancelled');
    expect(s.nothingToBill).toBe(
      "Nothing to bill: the case was cancelled after delivery (2026-03-10 07:30), although Pelvis model is recorded as used in this patient's care. No code is suggested for a cancelled case.",
    );
    expect(s.close).toEqual({ kind: 'none', why: 'A cancelled case is finished as it is: there is nothing more to close.' });
  });

  it('cancelling costs nothing billable before delivery, or when nothing was used: no consequence to say', () => {
    const lab = new Lab();
    expect(cancelConsequence(lab.build({ through: 'printing' }))).toBeNull();
    expect(cancelConsequence(lab.build({ use: 'no' }))).toBeNull();
  });

  it.each<[string, (lab: Lab) => Case, RegExp]>([
    ['76376/76377 in the notes', (lab) => lab.build({ use: 'yes', notes: 'Surgeon also wants 76377 for the tumour board.' }), /76376 or 76377/],
    ['units above the MUE', (lab) => lab.build({ deliverables: [lab.model('Pelvis', ['S1', 'S2', 'S3'])], use: 'yes' }), /above its MUE of 1/],
    ['a code not in effect on the service date', (lab) => lab.build({ use: 'yes', deliveredAt: '2019-06-30T10:00' }), /0559T is not in effect on the service date 2019-06-30/],
    ['a delivery date in the future', (lab) => lab.build({ use: 'yes', deliveredAt: '2026-04-02T09:00' }), /^Delivered at 2026-04-02 09:00 is in the future\.$/],
  ])('a warning (%s): "Check before billing", never "Ready", and closing asks to confirm the warnings', (_name, make, warning) => {
    const c = make(new Lab());
    const s = stateOf(c);
    expect(s.code).toBe('check-before-billing');
    expect(s.label).toBe('Check before billing');
    expect(s.statusLabel).toBe('Check before billing');
    expect(s.tone).toBe('warn');
    expect(s.warnings.some((w) => warning.test(w))).toBe(true);
    expect(s.close).toEqual({ kind: 'confirm-and-close', warnings: s.warnings });
  });

  it('while in a stage: the header says where the case is, the codes are provisional', () => {
    const lab = new Lab();
    const s = stateOf(lab.build({ through: 'printing' }));
    expect(s).toMatchObject({ code: 'provisional', label: 'Provisional', statusLabel: 'In delivery' });
    expect(s.close.kind).toBe('none');
    const awaiting = stateOf(lab.build({ use: 'unknown' }));
    expect(awaiting).toMatchObject({ code: 'provisional', statusLabel: 'Delivered — use in care not yet known' });
    const noModel = stateOf(lab.build({ deliverables: [], through: 'opened' }));
    expect(noModel).toMatchObject({ code: 'no-code-yet', label: 'No code yet', statusLabel: 'In imaging' });
  });

  it('a record that does not verify: no code, and the status says so', () => {
    const c = new Lab().build({ use: 'yes' });
    const s = stateOf(c, withCheck(verifiedTrust(c), 'record', { state: 'failed', text: 'Differs.' }));
    expect(s).toMatchObject({ code: 'not-verified', label: 'No code suggested — the record does not verify', statusLabel: 'Does not verify — do not bill from this record', tone: 'bad', warnings: [] });
  });

  it('closed: with codes "Closed for billing", with none "Closed — nothing billed"', () => {
    const lab = new Lab();
    const billed = lab.apply(lab.build({ use: 'yes' }), { type: 'close', codeTable: DEFAULT_CODE_TABLE });
    expect(stateOf(billed)).toMatchObject({ code: 'closed', statusLabel: 'Closed for billing', tone: 'ok' });
    const none = lab.apply(lab.build({ use: 'no' }), { type: 'close', codeTable: DEFAULT_CODE_TABLE });
    expect(stateOf(none)).toMatchObject({ code: 'closed-nothing-billed', statusLabel: 'Closed — nothing billed' });
    expect(lab.events.at(-1)!.summary).toBe("Case closed with nothing billed: No model or guide was used in this patient's care, so none is medically necessary for this patient: no code is suggested.");
  });

  it('every state has its one name', () => {
    expect(new Set(Object.values(BILLING_STATE_LABELS)).size).toBe(Object.keys(BILLING_STATE_LABELS).length);
    // The disclaimer begins "Suggested —": no state is named "Suggested" or "Final suggestion".
    for (const label of Object.values(BILLING_STATE_LABELS)) expect(label).not.toMatch(/^Suggested|Final suggestion/);
  });
});

describe('closing with warnings', () => {
  const withWarning = () => {
    const lab = new Lab();
    return { lab, c: lab.build({ use: 'yes', notes: 'Also bill 76376 for the rendering.' }) };
  };

  it('is refused until the person confirms having read every warning', () => {
    const { lab, c } = withWarning();
    const refused = lab.attempt(c, { type: 'close', codeTable: DEFAULT_CODE_TABLE });
    expect(refused).toEqual({ ok: false, reason: expect.stringMatching(/^Confirm having read the warnings before closing for billing: The case notes mention 3D rendering code 76376 or 76377/) });
    expect(lab.attempt(c, { type: 'close', codeTable: DEFAULT_CODE_TABLE, confirmedWarnings: ['something else'] }).ok).toBe(false);
  });

  it('the confirmation goes on the audit trail, with the warnings read', () => {
    const { c } = withWarning();
    const warnings = suggestCodes(c, DEFAULT_CODE_TABLE).warnings;
    const r = applyCommand(c, { type: 'close', codeTable: DEFAULT_CODE_TABLE, confirmedWarnings: warnings }, { actor: tech, now: '2026-04-01T10:00:00.000Z', eventId: asEventId('ev-close') });
    if (!r.ok) throw new Error(r.reason);
    expect(r.event.summary).toBe('Case closed; suggested codes frozen for billing — Tess Technician confirmed having read the warning');
    expect(r.event.changes).toEqual([{ field: 'Warnings read before closing', before: null, after: warnings }]);
    expect(r.case.closed!.billing.lines.map((l) => l.code)).toEqual(['0559T']);
  });
});

describe('stageDateWarnings', () => {
  const lab = new Lab();
  const c = lab.build({ use: 'yes' });
  const editing = (values: Record<string, string>, stage: 'imaging' | 'delivery' = 'delivery') => stageDateWarnings(c, CLOCK, { stage, values }).map((w) => w.text);

  it('the dates of a well-recorded case raise nothing', () => {
    expect(stageDateWarnings(c, CLOCK)).toEqual([]);
  });

  it.each([
    ['before the case was opened', { deliveredAt: '2026-03-01T23:59' }, 'Delivered at 2026-03-01 23:59 is before the case was opened (2026-03-02).'],
    ['in the future, to the minute', { deliveredAt: '2026-04-01T12:01' }, 'Delivered at 2026-04-01 12:01 is in the future.'],
    ['now is not the future', { deliveredAt: '2026-04-01T12:00' }, null],
  ])('a delivery date %s', (_name, values, expected) => {
    expect(editing(values)).toEqual(expected ? [expected] : []);
  });

  it('a delivery before the study date (the study after the case opened)', () => {
    const later = lab.apply(lab.build({ through: 'imaging' }), { type: 'saveStage', stage: 'imaging', values: { studyDate: '2026-03-05' } });
    expect(stageDateWarnings(later, CLOCK, { stage: 'delivery', values: { deliveredAt: '2026-03-04T10:00' } }).map((w) => w.text)).toEqual(['Delivered at 2026-03-04 10:00 is before the study date (2026-03-05).']);
  });

  it('a study date before the case was opened is normal; in the future it is not', () => {
    expect(editing({ studyDate: '2025-12-01' }, 'imaging')).toEqual([]);
    expect(editing({ studyDate: '2026-04-02' }, 'imaging')).toEqual(['Study date 2026-04-02 is in the future.', 'Delivered at 2026-03-10 07:30 is before the study date (2026-04-02).']);
  });

  it('the date being typed is checked against the study date being typed', () => {
    const typedStudy = stageDateWarnings(c, CLOCK, { stage: 'imaging', values: { studyDate: '2026-03-20' } });
    expect(typedStudy.map((w) => [w.stage, w.key, w.text])).toEqual([['delivery', 'deliveredAt', 'Delivered at 2026-03-10 07:30 is before the study date (2026-03-20).']]);
  });
});

describe('the case list names what the stored case shows', () => {
  const lab = new Lab();
  const named = (c: Case) => {
    const key = statusKey(deriveStatus(c));
    const label = listStatusLabel(c, key, statusKeyLabel(key));
    return [label, listStatusTone(key, label)];
  };

  it.each<[string, () => Case, string, string]>([
    ['ready', () => lab.build({ use: 'yes' }), 'Ready to close', 'ok'],
    ['nothing used in care', () => lab.build({ use: 'no' }), 'Nothing to bill', 'neutral'],
    ['cancelled', () => cancel(lab, lab.build({ use: 'yes' })), 'Cancelled — nothing to bill', 'cancelled'],
    ['closed with codes', () => lab.apply(lab.build({ use: 'yes' }), { type: 'close', codeTable: DEFAULT_CODE_TABLE }), 'Closed for billing', 'ok'],
    ['closed with none', () => lab.apply(lab.build({ use: 'no' }), { type: 'close', codeTable: DEFAULT_CODE_TABLE }), 'Closed — nothing billed', 'neutral'],
    ['in a stage', () => lab.build({ through: 'imaging' }), 'In segmenting', 'neutral'],
  ])('%s', (_name, make, label, tone) => {
    expect(named(make())).toEqual([label, tone]);
  });
});
