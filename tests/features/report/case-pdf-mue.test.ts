// @vitest-environment node
// The MUE warning, the full units, dates of service, the payer's position and digital models, read back from the PDF.
import { describe, expect, it } from 'vitest';
import { caseSummary } from '../../../src/domain/case-summary';
import type { Case } from '../../../src/domain/case';
import { DEFAULT_CODE_TABLE, MUE_CONSEQUENCE, type CodeTable } from '../../../src/domain/cpt';
import { renderCasePdf } from '../../../src/features/report/case-pdf';
import { NOT_NEEDED } from '../../../src/domain/workflow';
import { Lab } from '../../support/case-builder';
import { verifiedTrust } from '../../support/trust';
import { pdfText, PDF_FONTS } from '../../support/pdf-read';



const table: CodeTable = { ...DEFAULT_CODE_TABLE, payerNotes: [{ payer: 'Aetna', note: 'considers 0559T–0562T experimental/investigational' }] };
const withPayer = (c: Case, payer: string): Case => ({ ...c, order: { ...c.order, payer } });
const pdfOf = async (c: Case, events = new Lab().events) =>
  pdfText(await renderCasePdf(caseSummary(c, events, { codeTable: table, trust: verifiedTrust(c), generatedAt: '2026-04-20T12:00:00.000Z' }), { loadFonts: async () => PDF_FONTS }));

describe('case summary PDF: MUEs and payer', { timeout: 30_000 }, () => {
  it('an eight-component model delivered 2026-04-02: 0560T × 7 units, above its MUE of 5, what happens to such a claim, and the payer’s position', async () => {
    const lab = new Lab();
    const c = withPayer(lab.build({ deliverables: [lab.model('Pelvis', ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'])], use: 'yes', deliveredAt: '2026-04-02T10:00' }), 'Aetna');
    const text = await pdfOf(c, lab.events);
    expect(text).toContain('0560T × 7 units');
    expect(text).toContain('MUE 5 units per date of service (from 2026-04-01): 7 units is 2 above the MUE.');
    expect(text).toContain(MUE_CONSEQUENCE);
    expect(text).toContain('0560T: 7 units on the date of service 2026-04-02 is above its MUE of 5');
    expect(text).toContain('All 7 units are shown for the appeal.');
    expect(text).toContain('Date of service 2026-04-02');
    expect(text).toContain('Payer Aetna: considers 0559T–0562T experimental/investigational');
  });

  it('the same model delivered 2026-03-31 is checked against the MUE of 1 then in force', async () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Pelvis', ['S1', 'S2', 'S3'])], use: 'yes', deliveredAt: '2026-03-31T10:00' });
    const text = await pdfOf(c, lab.events);
    expect(text).toContain('0560T × 2 units');
    expect(text).toContain('MUE 1 unit per date of service (from 2019-07-01): 2 units is 1 above the MUE.');
    expect(text).not.toContain('Payer Aetna');
    expect(text).toContain('Payer Not recorded');
  });

  it('within the MUE: the MUE is shown, no warning; a payer with no note says so', async () => {
    const lab = new Lab();
    const c = withPayer(lab.build({ deliverables: [lab.guide('Guide 1', 'cutting'), lab.guide('Guide 2', 'drilling')], use: 'yes', deliveredAt: '2026-04-02T10:00' }), 'Medicare');
    const text = await pdfOf(c, lab.events);
    expect(text).toContain('0562T × 1 unit');
    expect(text).toContain('MUE 2 units per date of service (from 2026-04-01)');
    expect(text).not.toContain('above the MUE');
    expect(text).not.toContain(MUE_CONSEQUENCE);
    expect(text).toContain('Payer Medicare: no position noted by the lab');
  });

  it('deliverables delivered on two dates: each line names its date of service', async () => {
    const lab = new Lab();
    const g1 = lab.guide('Guide 1', 'cutting');
    const g2 = lab.guide('Guide 2', 'cutting');
    const built = lab.build({ deliverables: [g1, g2], use: 'yes', deliveredAt: '2026-03-31T10:00' });
    const c = structuredClone(built);
    c.stages.delivery.perDeliverable[g2.id] = { ...c.stages.delivery.perDeliverable[g2.id], deliveredAt: '2026-04-01T09:00' };
    const text = await pdfOf(c, lab.events);
    expect(text).toContain('Date of service 2026-03-31, 2026-04-01');
    expect(text).toContain('0561T × 1 unit — date of service 2026-03-31');
    expect(text).toContain('0561T × 1 unit — date of service 2026-04-01');
  });
});

describe('case summary PDF: a digital model', { timeout: 30_000 }, () => {
  it('says it was delivered as a file and not printed, that printing was not needed, the encounter setting, and C8001 for the coder to verify', async () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Heart for planning', ['Blood pool', 'Myocardium'], { digital: true })], encounter: 'hospital-outpatient', use: 'yes', deliveredAt: '2026-04-02T10:00' });
    const text = await pdfOf(c, lab.events);
    expect(text).toContain('Model: Heart for planning — digital model, delivered as a file, not printed, 2 components');
    expect(text).toContain(NOT_NEEDED);
    expect(text).toContain('Encounter setting Hospital outpatient');
    expect(text).toContain('C8001 × 1 unit');
    expect(text).toContain('C8001 for Heart for planning: verify with your coder.');
    expect(text).not.toContain('0559T ×');
  });

  it('prints the order’s appropriateness rating with its scenario and the criteria’s year, for the coder', async () => {
    const lab = new Lab();
    const c = lab.open([lab.model('Pelvis', ['Pelvis'])], { scenario: 'Complex acetabular fracture', appropriatenessRating: 8, criteriaYear: 2018 });
    const text = await pdfOf(c, lab.events);
    expect(text).toContain('Appropriateness Complex acetabular fracture: 8 of 9 (RSNA 3D Printing SIG criteria, 2018)');
  });
});
