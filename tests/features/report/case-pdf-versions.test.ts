// @vitest-environment node
// Design versions read back from the PDF: the version each sign-off signed, the version delivered, and the part marks.
import { describe, expect, it } from 'vitest';
import type { Case, Deliverable } from '../../../src/domain/case';
import { caseSummary } from '../../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../../src/domain/cpt';
import { renderCasePdf } from '../../../src/features/report/case-pdf';
import { Lab, rad, SEGMENTING_VALUES } from '../../support/case-builder';
import { verifiedTrust } from '../../support/trust';
import { pdfText, PDF_FONTS } from '../../support/pdf-read';



const summarize = (c: Case, lab: Lab) => caseSummary(c, lab.events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-20T12:00:00.000Z' });
const pdfOf = async (c: Case, lab: Lab) => pdfText(await renderCasePdf(summarize(c, lab), { loadFonts: async () => PDF_FONTS }));

/** Segmentation with pelvis.stl sent back once, replaced (v2) and signed; a guide with its v1 file. */
function sentBackAndSigned(lab: Lab, extra: Deliverable[] = []) {
  let c = lab.completeImaging(lab.open([lab.model('Pelvis model', ['Pelvis']), lab.guide('Cutting guide'), ...extra], { mrn: '123456' }));
  c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
  c = lab.tickAll(c, 'segmenting');
  const [model, guide] = c.deliverables;
  c = lab.attachFile(c, model!.id, { name: 'pelvis.stl', sha256: 'a'.repeat(64) });
  c = lab.attachFile(c, guide!.id, { name: 'guide.stl', sha256: 'b'.repeat(64) });
  c = lab.apply(c, { type: 'sendBack', stage: 'segmenting', reason: 'The sacrum is cut off' }, rad);
  const old = c.files!.find((f) => f.name === 'pelvis.stl')!;
  c = lab.attachFile(c, model!.id, { name: 'pelvis-fixed.stl', sha256: 'c'.repeat(64), replaces: old.id });
  return lab.apply(c, { type: 'sign', stage: 'segmenting' }, rad);
}

describe('case summary PDF: design versions and part marks', { timeout: 30_000 }, () => {
  it('a delivered case: the version signed, the version delivered and the mark of each part', async () => {
    const lab = new Lab();
    const c = lab.recordDelivery(lab.completePrinting(sentBackAndSigned(lab)));
    const text = await pdfOf(c, lab);
    const n = c.caseNumber;
    expect(text).toContain('File: pelvis-fixed.stl v2 · 0.7 KB');
    // The guide's file was sent back unchanged: the send-back opened v2 of it, which the radiologist then signed.
    expect(text).toContain('File: guide.stl v2 · 0.7 KB');
    expect(text).toContain('Files Signed v2 of pelvis-fixed.stl, v2 of guide.stl');
    expect(text).toContain(`Version delivered v2 Mark on the part or its bag MRN 123456 | Case ${n} | v2`);
    expect(text).not.toContain('not delivered yet');
    // The trail says it too (its lines wrap beside the actor's name).
    expect(text).toMatch(/Segmenting sent back to the technician: “The sacrum is cut (Dr\. Rita Radiologist )?off” — opens v2 of pelvis\.stl, v2 of guide\.stl/);
    expect(text).toMatch(/Segmenting signed: “Segmentation verified against source (Dr\. Rita Radiologist )?images” — signed v2 of pelvis-fixed\.stl, v2 of guide\.stl/);
    // The replacement reads with an arrow the fonts lack: a plain stand-in, not "?".
    expect(text).toMatch(/File of Pelvis model replaced: pelvis\.stl -> (Dr\. Rita Radiologist )?pelvis-fixed\.stl/);
    expect(text).not.toMatch(/pelvis\.stl \? /);
    // The mark never carries the patient's name.
    for (const m of [...summarize(c, lab).deliverables.models, ...summarize(c, lab).deliverables.guides]) expect(m.design.mark).not.toContain(c.phi.patientName);
  });

  it('a mesh repaired at printing: the voided sign-off names the version it signed, the new one the next version', async () => {
    const lab = new Lab();
    let c = lab.completePrinting(sentBackAndSigned(lab));
    const current = c.files!.find((f) => f.name === 'pelvis-fixed.stl')!;
    c = lab.attachFile(c, current.deliverableId, { name: 'pelvis-repaired.stl', sha256: 'd'.repeat(64), replaces: current.id, stage: 'printing' });
    c = lab.apply(c, { type: 'sign', stage: 'segmenting' }, rad);
    const text = await pdfOf(c, lab);
    expect(text).toContain('File: pelvis-repaired.stl v3 · 0.7 KB');
    expect(text).toContain('Files Signed v3 of pelvis-repaired.stl, v2 of guide.stl');
    expect(text).toMatch(/Voided signature Dr\. Rita Radiologist, Radiologist, signed [^|]*? Meaning Segmentation verified against source images Files Signed v2 of pelvis-fixed\.stl, v2 of guide\.stl Voided/);
    expect(text).toContain(`Design version (not delivered yet) v3 Mark on the part or its bag MRN 123456 | Case ${c.caseNumber} | v3`);
  });

  it('sent back and not yet replaced: the file reads as the version the send-back opened', async () => {
    const lab = new Lab();
    let c = lab.completeImaging(lab.open([lab.model('Pelvis model', ['Pelvis'])], { mrn: '123456' }));
    c = lab.apply(c, { type: 'saveStage', stage: 'segmenting', values: SEGMENTING_VALUES });
    c = lab.tickAll(c, 'segmenting');
    c = lab.attachFile(c, c.deliverables[0]!.id, { name: 'pelvis.stl' });
    c = lab.apply(c, { type: 'sendBack', stage: 'segmenting', reason: 'The sacrum is cut off' }, rad);
    const text = await pdfOf(c, lab);
    expect(text).toContain('File: pelvis.stl v2, opened by a send-back: still the file of v1 · 0.7 KB');
    expect(text).toContain('Design version (not delivered yet) v2');
    expect(text).toContain('Signature Not signed');
  });

  it('a digital model is not a part: its version, no mark; a model without a file has no version', async () => {
    const lab = new Lab();
    const digital = lab.model('Liver (digital)', ['Liver'], { digital: true });
    const c = sentBackAndSigned(lab, [digital]);
    const s = summarize(c, lab);
    expect(s.deliverables.models.find((m) => m.name === 'Liver (digital)')!.design).toEqual({ versionLabel: 'Design version (not delivered yet)', version: 'No file attached', mark: null });
    const text = await pdfOf(c, lab);
    expect(text).toContain('Design version (not delivered yet) No file attached');
    expect(text.match(/Mark on the part or its bag/g)).toHaveLength(2);
  });
});
