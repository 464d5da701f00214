// Names and notes in every script a US hospital meets, printed with the fonts the app ships and read back with poppler:
// the text layer with pdftotext, the glyphs by rendering the page with pdftoppm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fontkit from '@pdf-lib/fontkit';
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { caseSummary } from '../../src/domain/case-summary';
import { DEFAULT_CODE_TABLE } from '../../src/domain/cpt';
import type { OtherScript } from '../../src/domain/script-runs';
import { renderCasePdf, type PdfFonts } from '../../src/features/report/case-pdf';
import { Lab } from '../support/case-builder';
import { verifiedTrust } from '../support/trust';

const FAMILY: Record<OtherScript, string> = { arabic: 'Arabic', hebrew: 'Hebrew', thai: 'Thai', chinese: 'SC', japanese: 'JP', korean: 'KR' };
const fontFile = (dir: string, file: string) => readFileSync(resolve(process.cwd(), 'node_modules/@expo-google-fonts', dir, file));
const latin = { regular: fontFile('noto-sans', '400Regular/NotoSans_400Regular.ttf'), bold: fontFile('noto-sans', '700Bold/NotoSans_700Bold.ttf') };
/** The app's fonts, read from disk; `withScripts: false` is a tablet whose script font did not load. */
const fontsFor = (withScripts: boolean) => async (scripts: readonly OtherScript[]): Promise<PdfFonts> => ({
  ...latin,
  scripts: withScripts ? Object.fromEntries(scripts.map((s) => [s, fontFile(`noto-sans-${FAMILY[s].toLowerCase()}`, `400Regular/NotoSans${FAMILY[s]}_400Regular.ttf`)])) : {},
});

const reversed = (s: string) => [...s].reverse().join('');

// pdftotext -layout writes a line as it looks, left to right: right-to-left letters come out reversed, a year inside stays as it reads.
const SAMPLES: { script: string; name: string; printed: string }[] = [
  { script: 'Latin, Greek, Cyrillic', name: 'Nguyễn Thị Lan Γιώργος Ольга', printed: 'Nguyễn Thị Lan Γιώργος Ольга' },
  { script: 'Arabic, with a year', name: 'محمد عبد الله 2024', printed: `2024 ${reversed('محمد عبد الله')}` },
  { script: 'Hebrew, with a year in brackets', name: 'דוד כהן (2024)', printed: `(2024) ${reversed('דוד כהן')}` },
  { script: 'Devanagari', name: 'प्रिया शर्मा', printed: 'प्रिया शर्मा' },
  { script: 'Thai', name: 'สมชาย ใจดี', printed: 'สมชาย ใจดี' },
  { script: 'Chinese', name: '王小明', printed: '王小明' },
  { script: 'Japanese', name: '山田 はなこ', printed: '山田 はなこ' },
  { script: 'Korean', name: '김민준', printed: '김민준' },
];

const dir = mkdtempSync(join(tmpdir(), 'printpath-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function printCase(name: string, withScripts = true): Promise<{ file: string; bytes: Uint8Array }> {
  const lab = new Lab();
  const built = lab.build({ use: 'yes', notes: `Interpreter for ${name}, seen 2024-05-01.` });
  const c = { ...built, phi: { ...built.phi, patientName: name } };
  const bytes = await renderCasePdf(caseSummary(c, lab.events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-01T12:00:00.000Z' }), { loadFonts: fontsFor(withScripts) });
  const file = join(dir, `case-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return { file, bytes };
}

/** The text layer as pdftotext lays it out, bidi marks dropped and spaces collapsed. */
const textOf = (file: string) =>
  execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim());

/** The patient's name as printed on page 1, in grey levels: the value column of the row labelled "Name", at 150 dpi. */
function nameRow(file: string): Uint8Array {
  const words = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-bbox', file, '-'], { encoding: 'utf8' });
  const label = /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">Name<\/word>/.exec(words);
  if (!label) throw new Error('no "Name" row on page 1');
  const dpi = 150;
  const px = (pt: number) => Math.round((pt * dpi) / 72);
  const [top, bottom] = [Number(label[1]) - 4, Number(label[2]) + 4];
  const pgm = execFileSync('pdftoppm', ['-f', '1', '-l', '1', '-r', String(dpi), '-gray', '-x', String(px(266)), '-y', String(px(top)), '-W', String(px(270)), '-H', String(px(bottom - top)), file]);
  // Binary PGM: "P5\n<w> <h>\n255\n" and then one byte a pixel.
  let offset = 0;
  for (let fields = 0; fields < 4; offset++) if (pgm[offset] === 0x0a || pgm[offset] === 0x20) fields++;
  return pgm.subarray(offset);
}

const ink = (pixels: Uint8Array) => pixels.filter((p) => p < 128).length;
const differing = (a: Uint8Array, b: Uint8Array) => a.filter((p, i) => Math.abs(p - b[i]!) > 64).length;

/** The fonts embedded in a PDF, as a viewer reads them. */
async function embeddedFonts(bytes: Uint8Array): Promise<{ name: string; bytes: Uint8Array }[]> {
  const doc = await PDFDocument.load(bytes);
  const fonts: { name: string; bytes: Uint8Array }[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict) || obj.get(PDFName.of('Type')) !== PDFName.of('FontDescriptor')) continue;
    const file = doc.context.lookup(obj.get(PDFName.of('FontFile2')));
    if (!(file instanceof PDFRawStream)) throw new Error('FontFile2 is not a raw stream');
    fonts.push({ name: String(obj.get(PDFName.of('FontName'))), bytes: decodePDFRawStream(file).decode() });
  }
  return fonts;
}

describe('every patient’s name prints', () => {
  it.each(SAMPLES)('$script: the name and the notes read back as printed', async ({ name, printed }) => {
    const { file } = await printCase(name);
    const lines = textOf(file);
    expect(lines).toContain(`Name ${printed}`);
    expect(lines.join('\n')).toContain(`, MRN MRN-100200 (continued)`);
    expect(lines.filter((l) => l.includes(printed)).length).toBeGreaterThan(2); // the name row, the notes and the header of each later page
    expect(lines.join('\n')).not.toContain('?');
  });

  // What the issue saw: the name as question marks. The glyphs drawn instead are looked at as pixels.
  it.each(SAMPLES.slice(1))('$script: the name is drawn, not as question marks', async ({ name }) => {
    const drawn = nameRow((await printCase(name)).file);
    const questionMarks = nameRow((await printCase(name.replace(/[^\s\d()]/gu, '?'))).file);
    expect(ink(drawn)).toBeGreaterThan(150);
    expect(differing(drawn, questionMarks)).toBeGreaterThan(150);
  });

  it.each(SAMPLES.filter((s) => /Arabic|Hebrew|Thai|Chinese|Japanese|Korean/.test(s.script)))('$script: a font that did not load prints "?", not empty boxes', async ({ name }) => {
    expect(textOf((await printCase(name, false)).file).join('\n')).toContain('???');
  });

  it('a note with a line in each script: every line reads back, ideographs all in the one CJK font the case loaded', async () => {
    const lines = ['Devanagari: प्रिया शर्मा, क्षत्रिय', 'Thai: สมชาย ใจดี', 'Chinese: 王小明（北京）', 'Japanese: 山田 はなこ、東京', 'Korean: 김민준 金民俊', 'Greek and Cyrillic: Γιώργος Παπαδόπουλος, Ольга Иванова'];
    const lab = new Lab();
    const c = lab.build({ use: 'yes', notes: lines.join('\n') });
    const asked: (readonly OtherScript[])[] = [];
    const loadFonts = async (scripts: readonly OtherScript[]) => (asked.push(scripts), fontsFor(true)(scripts));
    const bytes = await renderCasePdf(caseSummary(c, lab.events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-01T12:00:00.000Z' }), { loadFonts });
    const file = join(dir, 'every-script.pdf');
    writeFileSync(file, bytes);
    expect(asked).toEqual([['thai', 'japanese', 'korean']]);
    const text = textOf(file);
    for (const line of lines) expect(text, line).toContain(line.startsWith('Devanagari') ? `Notes ${line}` : line);
  });

  it('wraps a long note with no spaces (Chinese) by character, all of it, in seconds', async () => {
    const note = '患者主诉右侧髋部疼痛三个月影像显示髋臼骨折需要术前规划'.repeat(35);
    const lab = new Lab();
    const c = lab.build({ use: 'yes', notes: note });
    const started = performance.now();
    const bytes = await renderCasePdf(caseSummary(c, lab.events, { codeTable: DEFAULT_CODE_TABLE, trust: verifiedTrust(c), generatedAt: '2026-04-01T12:00:00.000Z' }), { loadFonts: fontsFor(true) });
    expect(performance.now() - started).toBeLessThan(20_000); // measured once per character, it took 36 s
    const file = join(dir, 'long-chinese-note.pdf');
    writeFileSync(file, bytes);
    const text = textOf(file);
    // The note's lines, without the footer and header of the page it runs over.
    const wrapped = text.map((l) => l.replace(/^Notes /, '')).filter((l) => /^\p{scx=Hani}+$/u.test(l)).join('');
    expect(wrapped).toBe(note);
  });

  it('embeds each script font as a subset whose every glyph has an intact outline', async () => {
    const { bytes } = await printCase(SAMPLES.map((s) => s.name).join(' / '));
    const fonts = await embeddedFonts(bytes);
    expect(fonts.map((f) => f.name.replace(/^\//, '').replace(/-.*/, '')).sort()).toEqual(
      ['NotoSans', 'NotoSans', 'NotoSansArabic', 'NotoSansHebrew', 'NotoSansJP', 'NotoSansKR', 'NotoSansThai'].sort(),
    );
    for (const { name, bytes: fontBytes } of fonts) {
      const font = fontkit.create(fontBytes);
      expect(fontBytes.length, name).toBeLessThan(200_000);
      const broken: number[] = [];
      for (let gid = 1; gid < font.numGlyphs; gid++) {
        const glyph = font.getGlyph(gid);
        if ((glyph.path as unknown as { commands: unknown[] }).commands.length === 0) continue; // a space
        const { bbox } = glyph;
        if (bbox.minX > bbox.maxX || bbox.minY > bbox.maxY || Math.abs(bbox.maxY) > 3000) broken.push(gid);
      }
      expect(broken, name).toEqual([]);
    }
  });
});
