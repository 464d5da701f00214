// @vitest-environment node
// The case PDF says whether each printed model is Diagnostic or For reference only, and how each part was made: read back with pdfjs.
import { describe, expect, it } from 'vitest';
import { caseSummary } from '../../../src/domain/case-summary';
import type { Case } from '../../../src/domain/case';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import type { Combination } from '../../../src/domain/traceability';
import { renderCasePdf } from '../../../src/features/report/case-pdf';
import { Lab } from '../../support/case-builder';
import { verifiedTrust } from '../../support/trust';
import { pdfText, PDF_FONTS } from '../../support/pdf-read';



const COMBO: Combination = { id: 'k1', printer: 'J5 #1', material: 'VeroClear', softwareId: 'sw-1', validatedOn: '2026-01-15', evidence: 'Phantom study 2026-01, report QA-12', validatedBy: 'Lab Admin' };
const print = { printer: 'J5 #1', lot: 'VC-1', softwareId: 'sw-1', software: 'Materialise Mimics 26.0', printedOn: '2026-03-01' };

function printedCase(): Case {
  const lab = new Lab();
  const model = lab.model('Pelvis model', ['Pelvis']);
  let c = lab.build({ deliverables: [model], through: 'segmenting' });
  c = lab.apply(c, { type: 'recordPartPrint', partId: model.components[0]!.id, print });
  return c;
}

const pdfOf = async (c: Case, combinations?: Combination[]) =>
  pdfText(await renderCasePdf(caseSummary(c, [], { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-01T12:00:00.000Z', ...(combinations ? { combinations } : {}) }), { loadFonts: async () => PDF_FONTS }));

describe('case PDF: the model’s label', { timeout: 30_000 }, () => {
  it('says Diagnostic when every part was made with a validated combination, and how', async () => {
    const text = await pdfOf(printedCase(), [COMBO]);
    expect(text).toContain('Label: Pelvis model');
    expect(text).toContain('Diagnostic');
    expect(text).not.toContain('For reference only');
    expect(text).toContain('Pelvis model: Diagnostic — made entirely with validated printer–material–software combinations');
    expect(text).toContain('J5 #1, VeroClear lot VC-1, Materialise Mimics 26.0, printed 2026-03-01');
    expect(text).toContain('Phantom study 2026-01, report QA-12');
  });

  it('says For reference only, and why, when the combination is not validated (or none is known)', async () => {
    for (const combinations of [[{ ...COMBO, withdrawn: { on: '2026-02-01', reason: 'resin recall', by: 'Lab Admin' } }], undefined]) {
      const text = await pdfOf(printedCase(), combinations);
      expect(text).toContain('For reference only');
      expect(text).not.toMatch(/\bDiagnostic\b/);
    }
  });

  it('a case from before the print records prints For reference only: how it was made is not recorded', async () => {
    const lab = new Lab();
    const text = await pdfOf(lab.build({ deliverables: [lab.model('Skull model', ['Skull'])] }), [COMBO]);
    expect(text).toContain('For reference only');
    expect(text).toContain('Skull model – Skull: how it was made is not recorded');
  });
});
