// @vitest-environment node
// One guide's whole record in one PDF, as a coder or an auditor reads it: how it was made and
// its label, its dimensional QA, and its sterilization record.
import { describe, expect, it } from 'vitest';
import { caseSummary } from '../../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import type { Combination } from '../../../src/domain/traceability';
import { Lab, PRINTING_VALUES } from '../../support/case-builder';
import { casePdfText } from '../../support/pdf-read';
import { verifiedTrust } from '../../support/trust';

const { qaMeasuredErrorMm: _m, qaToleranceMm: _t, ...PRINTING } = PRINTING_VALUES;
const COMBO: Combination = { id: 'k1', printer: 'Form 3B #2', material: 'Surgical Guide resin', softwareId: 'sw-1', validatedOn: '2026-01-15', evidence: 'Guide fit study 2026-01, report QA-7', validatedBy: 'Lab Admin' };

describe('case summary PDF: a guide from print to delivery', { timeout: 30_000 }, () => {
  it('shows the guide’s label, its QA and its sterilization record', async () => {
    const lab = new Lab();
    const guide = lab.guide('Tibial cutting guide');
    let c = lab.build({ deliverables: [guide], through: 'segmenting' });
    c = lab.apply(c, { type: 'recordPartPrint', partId: guide.id, print: { printer: 'Form 3B #2', lot: 'SG-0211-07', softwareId: 'sw-1', software: '3D Slicer 5.6', printedOn: '2026-03-01' } });
    c = lab.tickAll(lab.apply(c, { type: 'saveStage', stage: 'printing', values: PRINTING }), 'printing');
    c = lab.apply(c, { type: 'recordPartQa', partId: guide.id, measurements: [{ what: 'Slot width', nominalMm: 1.2, measuredMm: 1.25, toleranceMm: 0.1 }] }, undefined, '2026-03-02T09:00:00.000Z');
    c = lab.recordDelivery(c);
    expect(c.stages.delivery.checklist.handedOver?.done).toBe(true);

    const text = await casePdfText(caseSummary(c, lab.events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-20T12:00:00.000Z', combinations: [COMBO] }));
    expect(text).toContain('Process: labels and how each part was made');
    expect(text).toContain('Form 3B #2, Surgical Guide resin lot SG-0211-07, 3D Slicer 5.6, printed 2026-03-01');
    expect(text).toContain('Guide fit study 2026-01, report QA-7');
    expect(text).toContain('Dimensional QA');
    expect(text).toContain('Slot width: 1.25 mm against 1.2 ± 0.1 mm (off by 0.05 mm) — pass');
    expect(text).toContain('Sterilization record: Tibial cutting guide');
    expect(text).toContain('Re-check after sterilization Pass');
  });
});
