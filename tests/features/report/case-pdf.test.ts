// @vitest-environment node
// Renders real case summaries to PDF and reads the text back with pdfjs, as a reader (or a search) would.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { caseSummary, type CaseSummary } from '../../../src/domain/case-summary';
import { applyCommand } from '../../../src/domain/commands';
import { BILLING_STATE_LABELS } from '../../../src/domain/billing-state';
import { DEFAULT_CODE_TABLE, CPT_DISCLAIMER } from '../../../src/domain/cpt';
import { Lab } from '../../support/case-builder';
import { verifiedTrust, withCheck, withSignature } from '../../support/trust';
import { trustFromChecks } from '../../../src/queries/trust-from-checks';
import { generateCase, seededRng, type GeneratedCase } from '../../../src/domain/demo-cases';
import type { Actor, Case, CaseEvent } from '../../../src/domain/case';
import { asDeliverableId, asEventId, asUserId } from '../../../src/domain/ids';
import { casePdfFileName, renderCasePdf, wordsOf, type PdfFonts } from '../../../src/features/report/case-pdf';

const fontDir = resolve(process.cwd(), 'node_modules/@expo-google-fonts/noto-sans');
const fonts: PdfFonts = {
  regular: readFileSync(resolve(fontDir, '400Regular/NotoSans_400Regular.ttf')),
  bold: readFileSync(resolve(fontDir, '700Bold/NotoSans_700Bold.ttf')),
};
const loadFonts = async () => fonts;

const tech: Actor = { id: asUserId('u-tech'), name: 'Tess Tech', roles: ['technician'] };
const rad: Actor = { id: asUserId('u-rad'), name: 'Dr. Radosław Wiśniewski', roles: ['radiologist'] };
const GENERATED_AT = '2026-04-01T12:00:00.000Z';

function generate(seed: number, progress: number, patientName?: string): GeneratedCase {
  let n = 0;
  const g = generateCase(seededRng(seed), {
    index: seed,
    openedAt: '2026-03-01T08:00:00.000Z',
    technician: tech,
    radiologist: rad,
    progress,
    newId: () => `id-${seed}-${n++}`,
    caseNumber: `PP-2026-T1-${String(seed).padStart(4, '0')}`,
  });
  if (!patientName) return g;
  return { ...g, case: { ...g.case, phi: { ...g.case.phi, patientName } } };
}

/** Generated cases whose patient has one of the non-Western names in the generator's lists. */
function findCase(progress: number, name: RegExp, accept: (g: GeneratedCase) => boolean = () => true): GeneratedCase {
  for (let seed = 1; seed < 5000; seed++) {
    const g = generate(seed, progress);
    if (name.test(g.case.phi.patientName) && accept(g)) return g;
  }
  throw new Error(`no generated case matches ${name}`);
}

const summarize = (c: Case, events: CaseEvent[], trust = verifiedTrust(c)): CaseSummary => caseSummary(c, events, { codeTable: DEFAULT_CODE_TABLE, trust, generatedAt: GENERATED_AT });

async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; text: string }> {
  const doc = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('\n'));
  }
  await doc.destroy();
  return { pages, text: pages.join('\n') };
}

describe('case summary PDF', { timeout: 30_000 }, () => {
  it('prints the patient (with non-Western letters), the case number, signatures, codes and the disclaimer', async () => {
    const g = findCase(5, /Łukasz|Żółć|Nguyễn/, (x) => x.case.deliverables.length > 1);
    const summary = summarize(g.case, g.events);
    const bytes = await renderCasePdf(summary, { loadFonts });
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const { pages, text } = await pdfText(bytes);

    expect(text).toContain(g.case.phi.patientName);
    expect(text).toContain(g.case.phi.mrn);
    expect(text).toContain(g.case.caseNumber);
    const signatures = summary.stages.flatMap((s) => (s.signature ? [s.signature] : []));
    expect(signatures).toHaveLength(2);
    for (const s of signatures) {
      expect(text).toContain(s.printedName);
      expect(text).toContain(s.meaning);
      expect(text).toContain(s.signedAt);
    }
    expect(summary.codes.lines.length).toBeGreaterThan(0);
    for (const line of summary.codes.lines) expect(text).toContain(`${line.code} × ${line.units} unit`);
    expect(text).toContain(CPT_DISCLAIMER);
    for (const [i, page] of pages.entries()) {
      expect(page).toContain(`Case ${g.case.caseNumber} · Suggested codes — verify with your coder`);
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    }
  });

  it('prints a case whose patient is exactly "Łukasz Żółć" and one named "Nguyễn Thị …"', async () => {
    for (const [g, name] of [
      [generate(11, 3, 'Łukasz Żółć'), 'Łukasz Żółć'],
      [findCase(2, /^Nguyễn Thị /), 'Nguyễn Thị'],
    ] as const) {
      const { text } = await pdfText(await renderCasePdf(summarize(g.case, g.events), { loadFonts }));
      expect(text).toContain(name);
      expect(text).toContain(g.case.phi.patientName);
    }
  });

  it('lists each model and guide file with its size, who attached it and its SHA-256 in full', async () => {
    const g = generate(41, 3, 'Łukasz Żółć');
    const model = g.case.deliverables.find((d) => d.kind === 'model')!;
    const sha = 'c0ffee'.repeat(10) + '0123';
    const withFile: Case = {
      ...g.case,
      files: [{ id: 'f-1', deliverableId: model.id, name: 'pelvis-left.stl', size: 12_582_912, sha256: sha, format: 'stl', stage: 'segmenting', attachedAt: '2026-03-10T09:30:00.000Z', attachedBy: 'Tess Tech' }],
    };
    const summary = summarize(withFile, g.events);
    expect(summary.deliverables.models.find((m) => m.name === model.name)!.files).toEqual([{ name: 'pelvis-left.stl', size: '12.0 MB', sha256: sha, attached: 'Segmenting, Tess Tech, 2026-03-10 09:30 UTC', version: 'v1' }]);
    const { text } = await pdfText(await renderCasePdf(summary, { loadFonts }));
    expect(text).toContain('File: pelvis-left.stl');
    expect(text.replace(/\s+/g, ' ')).toContain('12.0 MB · Segmenting, Tess Tech, 2026-03-10 09:30 UTC');
    expect(text.split('\n').find((line) => line.includes('2026-03-10'))).toMatch(/2026-03-10\s09:30\sUTC/);
    expect(text.replace(/\s+/g, '')).toContain(`SHA-256${sha}`);
  });

  it('lists a voided signature with who voided it and why', async () => {
    const g = generate(21, 2, 'Łukasz Żółć');
    const r = applyCommand(g.case, { type: 'saveStage', stage: 'imaging', values: { sliceThicknessMm: 2.5 } }, { actor: tech, now: '2026-03-20T10:00:00.000Z', eventId: asEventId('ev-void') });
    if (!r.ok) throw new Error(r.reason);
    const { text } = await pdfText(await renderCasePdf(summarize(r.case, [...g.events, r.event]), { loadFonts }));
    expect(text).toContain('Voided signature');
    expect(text).toContain('Changed: Slice thickness');
    expect(text).toContain('2026-03-20 10:00 UTC by Tess Tech');
    expect(text).toContain('2.5 mm');
  });

  it('flows a long case over several pages, each with its footer', async () => {
    const g = generate(31, 4, 'Łukasz Żółć');
    const components = Array.from({ length: 20 }, (_, i) => ({ id: asDeliverableId(`part-${i}`), structure: `Segment ${i + 1} of the hepatic vasculature`, colour: i % 2 ? 'red' : 'blue', material: 'Agilus30 (flexible)' }));
    const longCase: Case = {
      ...g.case,
      deliverables: [...g.case.deliverables, { id: asDeliverableId('big-model'), kind: 'model', name: 'Vascular tree model', copies: 2, components }],
      phi: { ...g.case.phi, notes: 'Long note. '.repeat(300) },
    };
    const events: CaseEvent[] = [
      ...g.events,
      ...Array.from({ length: 120 }, (_, i) => ({ ...g.events[0]!, id: asEventId(`e-${i}`), at: `2026-03-2${i % 10}T10:${String(i % 60).padStart(2, '0')}:00.000Z`, summary: `Event number ${i + 1}: a fairly long description of what changed in the record` })),
    ];
    const summary = summarize(longCase, events);
    const bytes = await renderCasePdf(summary, { loadFonts });
    const { pages, text } = await pdfText(bytes);
    expect(pages.length).toBeGreaterThan(2);
    expect(text).toContain('Model: Vascular tree model — 2 copies, 20 components');
    expect(text).toContain('Component 20: Segment 20');
    expect(text).toContain('Event number 120');
    for (const [i, page] of pages.entries()) {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page).toContain(`Case ${longCase.caseNumber} · Suggested codes — verify with your coder`);
    }
  });

  it('says "DEMO CASE — not a real patient" across the top of every page of a demo case, and nowhere on a real one', async () => {
    const g = generate(41, 5);
    const events: CaseEvent[] = [
      ...g.events,
      ...Array.from({ length: 80 }, (_, i) => ({ ...g.events[0]!, id: asEventId(`e-${i}`), summary: `Event number ${i + 1}: a fairly long description of what changed in the record` })),
    ];
    const demo = await pdfText(await renderCasePdf(summarize({ ...g.case, demo: true }, events), { loadFonts }));
    expect(demo.pages.length).toBeGreaterThan(1);
    for (const [i, page] of demo.pages.entries()) expect(page, `page ${i + 1}`).toContain('DEMO CASE — not a real patient');

    const real = await pdfText(await renderCasePdf(summarize(g.case, events), { loadFonts }));
    expect(real.pages.length).toBe(demo.pages.length);
    expect(real.text).not.toMatch(/demo case/i);
  });

  it('asks for a script\'s font only when the case needs one, and prints "?" for a script whose font did not load', async () => {
    const asked: (readonly string[])[] = [];
    const latinOnly = async (scripts: readonly string[]) => {
      asked.push(scripts);
      return fonts;
    };
    const latin = generate(11, 3, 'Łukasz Żółć');
    await renderCasePdf(summarize(latin.case, latin.events), { loadFonts: latinOnly });
    const hebrew = generate(11, 3, 'דוד כהן');
    const { text } = await pdfText(await renderCasePdf(summarize(hebrew.case, hebrew.events), { loadFonts: latinOnly }));
    expect(asked).toEqual([[], ['hebrew']]);
    expect(text).toMatch(/Name\s+\?\?\? \?\?\?/);
  });

  it('makes no PDF, and says why, when a script font cannot be fetched (offline before it was ever fetched)', async () => {
    onTestFinished(() => {
      vi.unstubAllGlobals();
    });
    vi.stubGlobal('fetch', async (url: string) => (url.startsWith('/fonts/') ? Promise.reject(new TypeError('Failed to fetch')) : new Response(new Uint8Array(fonts.regular as Uint8Array))));
    const hebrew = generate(11, 3, 'דוד כהן');
    await expect(renderCasePdf(summarize(hebrew.case, hebrew.events))).rejects.toThrow('a name or note is in a script whose font this tablet has not fetched yet. Connect to the network once, then export again.');
  });

  it('names the file after the case number only', () => {
    expect(casePdfFileName('PP-2026-T1-0042')).toBe('case-PP-2026-T1-0042.pdf');
    expect(casePdfFileName('PP/2026 T1:7')).toBe('case-PP-2026-T1-7.pdf');
    expect(casePdfFileName('')).toBe('case-summary.pdf');
  });
});

/** The TrueType fonts embedded in a PDF, as the viewer will read them. */
async function embeddedFonts(bytes: Uint8Array): Promise<Uint8Array[]> {
  const doc = await PDFDocument.load(bytes);
  const fonts: Uint8Array[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
    const file = doc.context.lookup(obj.get(PDFName.of('FontFile2')));
    if (!(file instanceof PDFRawStream)) throw new Error('FontFile2 is not a raw stream');
    fonts.push(decodePDFRawStream(file).decode());
  }
  return fonts;
}

describe('embedded font subset', { timeout: 30_000 }, () => {
  // Text extraction reads the ToUnicode map, not the glyphs: a corrupt subset still "contains" the name while printing
  // blanks. So check the glyph outlines themselves, the way a viewer decodes them.
  it('has an intact outline for every glyph it prints', async () => {
    const g = generate(41, 5, 'Nguyễn Thị Lan Łukasz Żółć Ærøskøbing Ольга Ψ प्रिया');
    const fontsInPdf = await embeddedFonts(await renderCasePdf(summarize(g.case, g.events), { loadFonts }));
    expect(fontsInPdf).toHaveLength(2);
    for (const bytes of fontsInPdf) {
      const font = fontkit.create(bytes);
      expect(font.numGlyphs).toBeGreaterThan(60);
      const broken: number[] = [];
      let empty = 0;
      for (let gid = 1; gid < font.numGlyphs; gid++) {
        try {
          const glyph = font.getGlyph(gid);
          const { bbox } = glyph;
          if ((glyph.path as unknown as { commands: unknown[] }).commands.length === 0) empty++;
          else if (bbox.minX > bbox.maxX || bbox.minY > bbox.maxY || Math.abs(bbox.maxY) > 3000 || Math.abs(bbox.minX) > 3000) broken.push(gid);
        } catch {
          broken.push(gid);
        }
      }
      expect(broken).toEqual([]);
      expect(empty).toBeLessThanOrEqual(2); // the space (and at most one more blank glyph)
    }
  });

  // A font is parsed once and its strings shaped once per session: each PDF still takes a subset of its own.
  it('a PDF made after another from the same font bytes prints its own letters, with only the glyphs it needs', async () => {
    const shared = { regular: fonts.regular.slice(), bold: fonts.bold!.slice() } as PdfFonts;
    const first = generate(43, 5, 'Ærøskøbing Ψ Ольга');
    const second = generate(44, 5, 'Łukasz Żółć');
    const glyphCount = async (bytes: Uint8Array) => (await embeddedFonts(bytes)).map((f) => fontkit.create(f).numGlyphs);
    const before = await renderCasePdf(summarize(first.case, first.events), { loadFonts: async () => shared });
    const after = await renderCasePdf(summarize(second.case, second.events), { loadFonts: async () => shared });
    const again = await renderCasePdf(summarize(second.case, second.events), { loadFonts: async () => shared });
    const text = (await pdfText(after)).text;
    expect(text).toContain('Łukasz Żółć');
    expect(text).not.toContain('Ærøskøbing');
    expect((await pdfText(before)).text).toContain('Ærøskøbing Ψ Ольга');
    // The same case twice: the same glyphs, and none left over from the first PDF's letters.
    expect(await glyphCount(again)).toEqual(await glyphCount(after));
    expect((await glyphCount(after))[0]).toBeLessThan((await glyphCount(before))[0]!);
  });
});

describe('what does not verify, in the PDF', { timeout: 30_000 }, () => {
  const flippedCheck = (c: Case) => ({
    state: 'failed' as const,
    text: `The signature recorded as ${c.stages.imaging.signature!.signerName} does not verify with that person’s key.`,
  });
  /** The text of one stage's block: from its heading to the next stage's. */
  const stageBlock = (text: string, from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));

  it('a flipped signature byte (the stored record then differs from its signed history): does not verify, no "Signed by", no later status, no codes', async () => {
    const lab = new Lab();
    const built = lab.build({ use: 'yes' });
    const sig = built.stages.imaging.signature!;
    const c: Case = { ...built, stages: { ...built.stages, imaging: { ...built.stages.imaging, signature: { ...sig, value: `A${sig.value.slice(1)}` } } } };
    const trust = withCheck(withSignature(verifiedTrust(c), 'imaging', flippedCheck(c)), 'record', { state: 'failed', text: 'The stored case is not the one its last signed history entry records.' });
    const summary = summarize(c, lab.events, trust);
    const { pages, text } = await pdfText(await renderCasePdf(summary, { loadFonts }));

    expect(pages[0]!.indexOf('THIS RECORD DOES NOT VERIFY')).toBeLessThan(pages[0]!.indexOf('Case number'));
    for (const page of pages) expect(page).toContain('THIS RECORD DOES NOT VERIFY');
    expect(text).toContain('SIGNATURE DOES NOT VERIFY — not counted');
    const imaging = stageBlock(text, '1. Imaging', '2. Segmenting');
    expect(imaging).toContain('1. Imaging — not complete');
    expect(imaging).not.toContain('Signed by');
    expect(imaging).toContain('Recorded as');
    expect(text).toContain('Does not verify — do not bill from this record');
    expect(text).not.toContain('Ready for billing');
    expect(text).not.toMatch(/In (segmenting|printing|delivery)/);
    expect(text).toContain('No code suggested — the record does not verify');
    expect(text).not.toMatch(/0559T ×|0560T ×/);
    expect(text).not.toMatch(/Billing state\s+Ready/);
  });

  it('a flipped signature alone: that stage is not complete and the codes are no more than provisional', async () => {
    const lab = new Lab();
    const c = lab.build({ use: 'yes' });
    const summary = summarize(c, lab.events, withSignature(verifiedTrust(c), 'imaging', flippedCheck(c)));
    const { pages, text } = await pdfText(await renderCasePdf(summary, { loadFonts }));
    for (const page of pages) expect(page).toContain('THIS RECORD DOES NOT VERIFY');
    expect(stageBlock(text, '1. Imaging', '2. Segmenting')).not.toContain('Signed by');
    expect(text).toContain('In imaging');
    expect(text).not.toContain('Ready for billing');
    expect(text).toMatch(/Billing state\s+Provisional/);
  });

  it('a signer changed to a lab admin: printed as what the record says, not as the radiologist who signed', async () => {
    const lab = new Lab();
    const built = lab.build({ use: 'yes' });
    const sig = built.stages.imaging.signature!;
    const c: Case = { ...built, stages: { ...built.stages, imaging: { ...built.stages.imaging, signature: { ...sig, signerId: asUserId('u-admin'), signerName: 'Ada Admin' } } } };
    const trust = withSignature(verifiedTrust(c), 'imaging', { state: 'failed', text: 'Ada Admin is not a radiologist in the lab’s signed log: the signature does not count.' });
    const { text } = await pdfText(await renderCasePdf(summarize(c, lab.events, trust), { loadFonts }));
    const imaging = stageBlock(text, '1. Imaging', '2. Segmenting');
    expect(imaging).toContain('Ada Admin, Radiologist (as the record says; not verified)');
    expect(imaging).not.toContain('Signed by');
    expect(text).not.toMatch(/Signed by\s+Ada Admin/);
  });

  it('a case that verifies prints the verification and the lab root key, and no banner', async () => {
    const lab = new Lab();
    const c = lab.build({ use: 'yes' });
    const { pages, text } = await pdfText(await renderCasePdf(summarize(c, lab.events), { loadFonts }));
    expect(text).not.toContain('DOES NOT VERIFY');
    expect(pages[0]).toContain('Verification');
    expect(pages[0]).toMatch(/Lab root key\s+1a2b 3c4d 5e6f 7081/);
    expect(text).toContain('All 2 current sign-offs verify.');
    expect(text).toMatch(/Status\s+Ready for billing/);
    expect(text).toMatch(/Billing state\s+Ready for billing/);
    expect(stageBlock(text, '1. Imaging', '2. Segmenting')).toMatch(new RegExp(`Signed by\\s+${c.stages.imaging.signature!.signerName}, Radiologist`));
  });

  it('a case last changed before the signed log is printed as not checked, and a lab root not recorded as such', async () => {
    const lab = new Lab();
    const c = lab.build({ use: 'yes' });
    const verified = { state: 'verified', text: 'Digital signature verified.' } as const;
    const trust = trustFromChecks(
      { verdicts: { imaging: { check: 'verified', text: verified.text }, segmenting: { check: 'verified', text: verified.text } }, record: { state: 'legacy', text: 'Made before the signed log.' }, people: { state: 'verified', text: 'The lab log verifies.' }, labRoot: null },
      { ok: true, head: 'ab'.repeat(32), count: lab.events.length },
    );
    const { text } = await pdfText(await renderCasePdf(summarize(c, lab.events, trust), { loadFonts }));
    expect(text).toMatch(/Lab root key\s+not recorded/);
    expect(text).toContain('Not checked (made before the signed log)');
    expect(text).not.toContain('DOES NOT VERIFY');
    expect(text).toContain('Ready for billing');
  });
});

describe('billing states in the PDF: the names the case page shows, never more than the codes say', { timeout: 30_000 }, () => {
  const printed = async (c: Case, events: CaseEvent[]) => (await pdfText(await renderCasePdf(summarize(c, events), { loadFonts }))).text;
  const stateRow = (text: string) => /Billing state\s+(\S[^\n]*)/.exec(text)?.[1];

  it('nothing used in care: "Nothing to bill" with the reason, not "Ready for billing", no code', async () => {
    const lab = new Lab();
    const text = await printed(lab.build({ use: 'no' }), lab.events);
    expect(stateRow(text)).toBe(BILLING_STATE_LABELS['nothing-to-bill']);
    expect(text).toMatch(/Status\s+Nothing to bill/);
    expect(text.replace(/\s+/g, ' ')).toContain("Nothing to bill: no model or guide was used in this patient's care, so none is medically necessary for this patient: no code is suggested.");
    expect(text).not.toContain('Ready for billing');
    expect(text).not.toMatch(/0559T ×/);
  });

  it('a warning: "Check before billing", with the warning printed', async () => {
    const lab = new Lab();
    const text = await printed(lab.build({ use: 'yes', notes: 'Surgeon also asked for 76377.' }), lab.events);
    expect(stateRow(text)).toBe('Check before billing');
    expect(text).toMatch(/Status\s+Check before billing/);
    expect(text.replace(/\s+/g, ' ')).toContain('The case notes mention 3D rendering code 76376 or 76377');
    expect(text).not.toMatch(/Ready for billing|Final suggestion/);
  });

  it('cancelled after delivery with use in care recorded: "Cancelled — nothing to bill", saying what was used', async () => {
    const lab = new Lab();
    const c = lab.apply(lab.build({ use: 'yes' }), { type: 'cancel', reason: 'Duplicate order' });
    const text = await printed(c, lab.events);
    expect(stateRow(text)).toBe('Cancelled — nothing to bill');
    expect(text).toMatch(/Status\s+Cancelled — nothing to bill/);
    expect(text.replace(/\s+/g, ' ')).toContain("the case was cancelled after delivery (2026-03-10 07:30), although Pelvis model is recorded as used in this patient's care.");
    expect(text).not.toContain('Ready for billing');
  });

  it('the disclaimer still begins "Suggested —", and no state is named "Suggested" or "Final suggestion"', async () => {
    const lab = new Lab();
    const text = await printed(lab.build({ use: 'yes' }), lab.events);
    expect(text).toContain(CPT_DISCLAIMER);
    expect(stateRow(text)).toBe('Ready for billing');
    expect(text).not.toContain('Final suggestion');
  });
});

describe('wrapping', () => {
  it('never breaks a line inside a date and its time', () => {
    expect(wordsOf('Delivered at 2026-03-10 07:30 is before the case was opened (2026-03-12).')).toEqual(['Delivered', 'at', '2026-03-10 07:30', 'is', 'before', 'the', 'case', 'was', 'opened', '(2026-03-12).']);
    expect(wordsOf('cancelled after delivery (2026-03-10 07:30), although')).toEqual(['cancelled', 'after', 'delivery', '(2026-03-10 07:30),', 'although']);
    expect(wordsOf('Tess Tech, 2026-03-10 09:15 UTC  done')).toEqual(['Tess', 'Tech,', '2026-03-10 09:15 UTC', 'done']);
  });
});
