// @vitest-environment node
// Each guide's sterilization record, read back from the PDF: the values, a failed re-check,
// and a case handed over before the record existed (the v1 database fixture).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Case } from '../../../src/domain/case';
import { caseSummary } from '../../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import { OLD_DELIVERY_TEXT, RECHECK_FAILED_TEXT } from '../../../src/domain/sterilization';
import { renderCasePdf } from '../../../src/features/report/case-pdf';
import { Lab, STERILIZATION_RECORD } from '../../support/case-builder';
import { verifiedTrust } from '../../support/trust';
import { pdfText, PDF_FONTS } from '../../support/pdf-read';



const pdfOf = async (c: Case) =>
  pdfText(await renderCasePdf(caseSummary(c, [], { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-20T12:00:00.000Z' }), { loadFonts: async () => PDF_FONTS }));

describe('case summary PDF: the sterilization record', { timeout: 30_000 }, () => {
  it('a delivered guide: cleaning, cycle or load id, date, who, and the re-check with what was checked', async () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.model('Knee model', ['Distal femur']), lab.guide('Tibial cutting guide')], through: 'delivery' });
    const text = await pdfOf(c);
    expect(text).toContain('Sterilization record: Tibial cutting guide');
    expect(text).toContain('Cleaning before sterilization Enzymatic detergent wash, rinse, dried');
    expect(text).toContain('Sterilization cycle or load id LOAD-0412');
    expect(text).toContain('Sterilized on 2026-03-09');
    expect(text).toContain('Sterilized by Sam Sterile (SPD)');
    expect(text).toContain('Re-check after sterilization Pass');
    expect(text).toContain('What was re-checked Fit on the printed tibia, slot width 1.2 mm');
    // A model does not enter the sterile field: no record for it.
    expect(text).not.toContain('Sterilization record: Knee model');
    expect(text).not.toContain(RECHECK_FAILED_TEXT);
  });

  it('a failed re-check is printed as such, and what blocks delivery says why', async () => {
    const lab = new Lab();
    const c = lab.build({ deliverables: [lab.guide('Tibial cutting guide')], through: 'printing' });
    const g = c.deliverables[0]!;
    const failed = lab.apply(c, { type: 'saveStage', stage: 'delivery', values: {}, perDeliverable: { [g.id]: { ...STERILIZATION_RECORD, recheckResult: 'fail' } } });
    const text = await pdfOf(failed);
    expect(text).toContain(RECHECK_FAILED_TEXT);
    expect(text).toContain('Re-check after sterilization Fail');
    expect(text).toContain('Tibial cutting guide failed its re-check after sterilization: it cannot be delivered');
    expect(text).toContain('4. Delivery — not complete');
  });

  it('a guide handed over before the record existed says it was not recorded', async () => {
    type Fixture = { expected: { cases: { caseNumber: string; view: { case: Case } }[] } };
    const fixture = JSON.parse(readFileSync(join(process.cwd(), 'tests/db/fixtures/db-v1.json'), 'utf8')) as Fixture;
    const old = fixture.expected.cases.find((x) => x.caseNumber === 'PP-2026-UXW-0007')!.view.case;
    const text = await pdfOf(old);
    for (const d of old.deliverables.filter((x) => x.kind === 'guide')) expect(text).toContain(`Sterilization record: ${d.name} ${OLD_DELIVERY_TEXT}`);
    expect(text).toContain('4. Delivery — complete');
  });
});
