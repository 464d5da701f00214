// @vitest-environment node
// Dimensional QA per part, an acceptance with its reason, and the single figure of an older case, read back from the PDF.
import { describe, expect, it } from 'vitest';
import { caseSummary } from '../../../src/domain/case-summary';
import type { Case } from '../../../src/domain/case';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import { printedParts } from '../../../src/domain/part-qa';
import { renderCasePdf } from '../../../src/features/report/case-pdf';
import { Lab, PRINTING_VALUES, rad } from '../../support/case-builder';
import { verifiedTrust } from '../../support/trust';
import { pdfText, PDF_FONTS } from '../../support/pdf-read';



const pdfOf = async (c: Case, lab: Lab) =>
  pdfText(await renderCasePdf(caseSummary(c, lab.events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-20T12:00:00.000Z' }), { loadFonts: async () => PDF_FONTS }));

const { qaMeasuredErrorMm: _m, qaToleranceMm: _t, ...NEW_PRINTING } = PRINTING_VALUES;

describe('case summary PDF: dimensional QA', { timeout: 30_000 }, () => {
  it('lists each printed part with its measurements, pass or fail, who measured and when, and an acceptance with its reason', async () => {
    const lab = new Lab();
    let c = lab.build({ through: 'segmenting', deliverables: [lab.model('Pelvis model', ['Pelvis']), lab.guide('Iliac cutting guide'), lab.model('Pelvis on screen', ['Sacrum'], { digital: true })] });
    c = lab.tickAll(lab.apply(c, { type: 'saveStage', stage: 'printing', values: NEW_PRINTING }), 'printing');
    const [pelvis, guide] = printedParts(c);
    c = lab.apply(c, { type: 'recordPartQa', partId: pelvis!.id, measurements: [{ what: 'Acetabular width', nominalMm: 52, measuredMm: 52.1, toleranceMm: 0.5 }] }, undefined, '2026-03-03T09:00:00.000Z');
    c = lab.apply(c, { type: 'recordPartQa', partId: guide!.id, measurements: [{ what: 'Slot length', nominalMm: 40, measuredMm: 40.4, toleranceMm: 0.2 }] }, undefined, '2026-03-03T09:10:00.000Z');
    c = lab.apply(c, { type: 'acceptPartQa', checkId: c.partQa!.at(-1)!.id, reason: 'The saw still guides; surgeon agreed' }, rad, '2026-03-03T11:00:00.000Z');
    const text = await pdfOf(c, lab);
    expect(text).toContain('Dimensional QA');
    expect(text).toContain('Pelvis model – Pelvis — Passed');
    expect(text).toContain('Pass — measured by Tess Technician, 2026-03-03 09:00 UTC');
    expect(text).toContain('Acetabular width: 52.1 mm against 52 ± 0.5 mm (off by 0.1 mm) — pass');
    expect(text).toContain('Iliac cutting guide — Accepted out of tolerance');
    expect(text).toContain('Fail — measured by Tess Technician, 2026-03-03 09:10 UTC');
    expect(text).toContain('Slot length: 40.4 mm against 40 ± 0.2 mm (off by 0.4 mm) — fail');
    expect(text).toContain('Accepted by Dr. Rita Radiologist, 2026-03-03 11:00 UTC: “The saw still guides; surgeon agreed”');
    // The digital model is not a printed part.
    expect(text).not.toContain('Pelvis on screen – Sacrum —');
    expect(text).not.toContain('Single QA figure');
  });

  it('says a failed part blocks delivery', async () => {
    const lab = new Lab();
    let c = lab.build({ through: 'segmenting', deliverables: [lab.guide('Fibula guide')] });
    c = lab.apply(c, { type: 'saveStage', stage: 'printing', values: NEW_PRINTING });
    c = lab.apply(c, { type: 'recordPartQa', partId: c.deliverables[0]!.id, measurements: [{ what: 'Hole spacing', nominalMm: 15, measuredMm: 15.6, toleranceMm: 0.25 }] });
    const text = await pdfOf(c, lab);
    expect(text).toContain('Fibula guide — FAILED — blocks delivery');
    expect(text).toContain('Fibula guide: QA out of tolerance (Hole spacing: 15.6 mm against 15 ± 0.25 mm)');
  });

  it('prints a case recorded before per-part QA with its single figure, said to be one', async () => {
    const lab = new Lab();
    const c = lab.build();
    const text = await pdfOf(c, lab);
    expect(text).toContain('Dimensional QA Single QA figure for the case, recorded before per-part QA: largest measured deviation 0.4 mm, accepted tolerance 1 mm — within tolerance');
    expect(text).not.toContain('Not checked yet');
  });
});
