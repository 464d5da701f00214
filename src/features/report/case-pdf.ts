// Load this module only with `await import(…/case-pdf)`: pdf-lib + fontkit are ~1.1 MB (~510 kB gzip) and must stay out of the first load.
// fontkit's Indic shaper (a Devanagari name) calls the global `regeneratorRuntime`; without it the export throws.
import 'regenerator-runtime/runtime';
import {
  PDFDocument, PDFHexString, PDFName, PDFOperator, PDFOperatorNames, rgb, beginText, endMarkedContent, endText, popGraphicsState, pushGraphicsState, setFillingColor, setFontAndSize, setTextMatrix, showText,
  type PDFFont, type PDFPage, type RGB,
} from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import regularFontUrl from '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf?url';
import boldFontUrl from '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf?url';
import scriptFontUrls from 'virtual:pdf-fonts';
import type { CaseSummary, DesignSummary, FileSummary, LabelledValue, SignatureLine, StageSummary, VoidedSignatureLine } from '../../domain/case-summary';
import { hanFontOf, RTL_SCRIPTS, scriptRuns, scriptsIn, visualRuns, type FontScript, type HanFont, type OtherScript } from '../../domain/script-runs';
import { downloadFile } from '../../ui/download';
import { LABEL_TEXT, type TraceSummary } from '../../domain/traceability';

type FontBytes = Uint8Array | ArrayBuffer;

/**
 * TrueType bytes. The standard PDF fonts are WinAnsi only: names like "Łukasz Żółć" or "Nguyễn Thị" need an embedded font,
 * and Arabic, Hebrew, Devanagari, Thai, Chinese, Japanese or Korean one font each (regular weight only).
 */
export type PdfFonts = { regular: FontBytes; bold?: FontBytes; scripts?: Partial<Record<OtherScript, FontBytes>> };

export type CasePdfOptions = {
  /** Where the font bytes come from; defaults to fetching the bundled Noto fonts. Tests pass bytes read from disk. */
  loadFonts?: (scripts: readonly OtherScript[]) => Promise<PdfFonts>;
};

const fetched = new Map<string, Promise<ArrayBuffer>>();

/** Fetches each font once per session; a failed fetch is retried next time. */
function fetchOnce(url: string): Promise<ArrayBuffer> {
  let bytes = fetched.get(url);
  if (!bytes) {
    bytes = fetch(url).then((res) => {
      if (!res.ok) throw new Error(`Could not load the PDF font (${res.status})`);
      return res.arrayBuffer();
    });
    fetched.set(url, bytes);
    bytes.catch(() => fetched.delete(url));
  }
  return bytes;
}

/** Noto Sans (precached by the service worker) and the fonts of the scripts asked for (cached once fetched). */
export async function loadBundledFonts(scripts: readonly OtherScript[]): Promise<PdfFonts> {
  const [regular, bold] = await Promise.all([fetchOnce(regularFontUrl), fetchOnce(boldFontUrl)]);
  // No PDF rather than a patient's name printed as "???".
  const others = await Promise.all(scripts.map((s) => fetchOnce(scriptFontUrls[s]))).catch(() => {
    throw new Error('a name or note is in a script whose font this tablet has not fetched yet. Connect to the network once, then export again.');
  });
  return { regular, bold, scripts: Object.fromEntries(scripts.map((s, i) => [s, others[i]])) };
}

// A4 in points, 20 mm side margins.
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN_X = 56;
const TOP = PAGE_H - 56;
const BOTTOM = 64;
const CONTENT_W = PAGE_W - 2 * MARGIN_X;
const LABEL_W = 200;
const GUTTER = 10;

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type TtfSubsetInternals = { glyf: Uint8Array[]; offset: number; _addGlyph?: (gid: number) => number };

const evenGlyphFontkit: Fontkit = {
  create(bytes, postscriptName) {
    const byBuffer = parsedFonts.get(bytes.buffer) ?? new Map<string, ReturnType<Fontkit['create']>>();
    parsedFonts.set(bytes.buffer, byBuffer);
    const id = `${bytes.byteOffset}:${bytes.byteLength}:${postscriptName ?? ''}`;
    let font = byBuffer.get(id);
    if (!font) byBuffer.set(id, (font = remembersLayouts(evenGlyphs(fontkit.create(bytes, postscriptName)))));
    return font;
  },
};

// Each PDF used to parse its fonts again and shape every string again (fontkit's GSUB and GPOS
// lookups: about a second per PDF on the throttled tablet). A font is parsed once per session
// (its bytes are fetched once, fetchOnce), each PDF taking a fresh subset of it; a string is
// shaped once per font and set of features. Shaping depends only on the font, the text and the
// features, and pdf-lib only reads the glyphs it returns.
const parsedFonts = new WeakMap<ArrayBufferLike, Map<string, ReturnType<Fontkit['create']>>>();
const LAYOUTS = 20_000;

function remembersLayouts<F extends ReturnType<Fontkit['create']>>(font: F): F {
  if (typeof font.layout !== 'function') return font;
  const layout = font.layout.bind(font);
  const known = new Map<string, ReturnType<F['layout']>>();
  font.layout = ((text: string, features?: Parameters<F['layout']>[1], ...rest: unknown[]) => {
    if (rest.length) return (layout as (...a: unknown[]) => ReturnType<F['layout']>)(text, features, ...rest);
    const id = `${JSON.stringify(features ?? null)}\u0000${text}`;
    let run = known.get(id);
    if (!run) {
      if (known.size >= LAYOUTS) known.clear();
      known.set(id, (run = layout(text, features) as ReturnType<F['layout']>));
    }
    return run;
  }) as F['layout'];
  return font;
}

/**
 * @pdf-lib/fontkit 1.1.1 (the last release) writes a subset's `loca` table in the short format, which halves every
 * offset, without padding odd-length glyph records: glyphs after the first odd one come out blank in every viewer
 * while the text layer still reads fine (fixed upstream in fontkit 1.8, foliojs/fontkit#191). Padding each glyph
 * record to an even length makes the short offsets exact.
 */
function evenGlyphs<F extends ReturnType<Fontkit['create']>>(font: F): F {
  const createSubset = font.createSubset.bind(font);
  font.createSubset = () => {
    const subset = createSubset();
    const internals = subset as unknown as TtfSubsetInternals;
    const addGlyph = internals._addGlyph;
    if (typeof addGlyph === 'function') {
      internals._addGlyph = function (this: TtfSubsetInternals, gid: number) {
        const index = addGlyph.call(this, gid);
        const record = this.glyf[index];
        if (record && this.offset % 2 === 1) {
          // Same class as the record (a Node or polyfilled Buffer): fontkit's stream rejects plain Uint8Arrays.
          const kind = record.constructor as unknown as { alloc?: (size: number) => Uint8Array };
          const padded = typeof kind.alloc === 'function' ? kind.alloc(record.length + 1) : new Uint8Array(record.length + 1);
          padded.set(record);
          this.glyf[index] = padded;
          this.offset += 1;
        }
        return index;
      };
    }
    return subset;
  };
  return font;
}

/**
 * Glyph composition (`ccmp`) splits letters like "ị" into a base and a mark that pdf-lib then places without the
 * mark offset, and maps the base glyph to the wrong character in the text layer ("Thị" reads back as "Thi").
 * With text in NFC, the font's precomposed glyphs print and read back correctly.
 */
const FONT_FEATURES = { ccmp: false };

/** pdf-lib checks `instanceof Uint8Array`: bytes from another realm (a Node Buffer under jsdom) are re-wrapped. */
const asBytes = (b: Uint8Array | ArrayBuffer) => (ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b));

// A date with its time ("2026-03-10 07:30", "… UTC") is one word: a line never breaks inside it.
const WORDS = /[^ ]*\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?: UTC)?[^ ]*|[^ ]+/g;

/** A paragraph's words for wrapping: split at spaces, except inside a date and time. */
export const wordsOf = (paragraph: string): string[] => paragraph.match(WORDS) ?? [];

const INK = rgb(0.1, 0.12, 0.14);
const MUTED = rgb(0.36, 0.4, 0.44);
const ACCENT = rgb(0.06, 0.3, 0.36);
const WARN = rgb(0.6, 0.22, 0.05);
const WARN_FILL = rgb(1, 0.94, 0.9);
const RULE = rgb(0.78, 0.82, 0.85);
const DEMO_BAND = rgb(0.36, 0.16, 0.53);

const BODY = 9.5;
const LINE = 13.2;

type TextStyle = { font?: PDFFont; size?: number; color?: RGB };

export type PdfFontSet = { regular: PDFFont; bold: PDFFont; scripts: Partial<Record<OtherScript, PDFFont>>; han: HanFont };

/** Runs whose glyphs are not their characters one for one (joined, reordered or mirrored) carry their text for copy and search. */
const needsActualText = (script: FontScript, rtl: boolean) => rtl || script === 'arabic' || script === 'devanagari';

/** What the fonts lack but the trail uses ("pelvis.stl → pelvis-fixed.stl"): plain stand-ins rather than "?". */
const STAND_INS: Record<string, string> = { '→': '->', '←': '<-', '≤': '<=', '≥': '>=' };

/** A cursor that flows wrapped text down the pages and starts a new page when one is full. */
class Layout {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = TOP;
  private readonly regular: PDFFont;
  private readonly bold: PDFFont;
  private readonly charsets = new Map<PDFFont, Set<number>>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: PdfFontSet,
    private readonly continuationHeader: string,
  ) {
    this.regular = fonts.regular;
    this.bold = fonts.bold;
    this.newPage();
  }

  /** Latin, Greek, Cyrillic and Devanagari in the style's font; any other script in its own font, which has only the regular weight. */
  private fontFor(script: FontScript, font: PDFFont = this.regular): PDFFont {
    return script === 'latin' || script === 'devanagari' ? font : (this.fonts.scripts[script] ?? font);
  }

  private charsetOf(font: PDFFont): Set<number> {
    let set = this.charsets.get(font);
    if (!set) this.charsets.set(font, (set = new Set(font.getCharacterSet())));
    return set;
  }

  private newPage() {
    this.page = this.doc.addPage([PAGE_W, PAGE_H]);
    this.pages.push(this.page);
    this.y = TOP;
    if (this.pages.length > 1) {
      this.draw(this.continuationHeader, MARGIN_X, TOP + 18, { size: 8, color: MUTED });
      this.y = TOP - 6;
    }
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number) {
    if (this.y - height < BOTTOM) this.newPage();
  }

  gap(height: number) {
    this.y -= height;
  }

  /** Characters their script's font has no glyph for (or whose font did not load) would print as empty boxes: show "?" instead, visibly. */
  clean(text: string): string {
    let out = '';
    for (const run of scriptRuns(text.normalize('NFC').replace(/\t/g, ' ').replace(/\r/g, ''), this.fonts.han)) {
      const charset = this.charsetOf(this.fontFor(run.script));
      for (const ch of run.text) {
        const cp = ch.codePointAt(0)!;
        const stand = STAND_INS[ch];
        out += ch === '\n' || charset.has(cp) ? ch : cp < 32 ? '' : stand && [...stand].every((c) => charset.has(c.codePointAt(0)!)) ? stand : '?';
      }
    }
    return out;
  }

  /** Word-wraps to `width`; words longer than a line (hashes, ids) are broken by character. */
  wrap(text: string, width: number, style: TextStyle = {}): string[] {
    const font = style.font ?? this.regular;
    const size = style.size ?? BODY;
    const fits = (s: string) => this.widthOf(font, s, size) <= width;
    const space = this.widthOf(font, ' ', size);
    const lines: string[] = [];
    for (const paragraph of this.clean(text).split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of wordsOf(paragraph)) {
        // A line's width is its words' widths plus the spaces: each word is laid out once, not every line again per word.
        const wordWidth = this.widthOf(font, word, size);
        const candidateWidth = line ? lineWidth + space + wordWidth : wordWidth;
        if (candidateWidth <= width) {
          line = line ? `${line} ${word}` : word;
          lineWidth = candidateWidth;
          continue;
        }
        if (line) lines.push(line);
        line = '';
        let rest = word;
        while (!fits(rest)) {
          // The longest head that fits, found by halving: a note in Chinese or Thai has no spaces, and measuring it
          // once per character took half a minute.
          let [n, tooLong] = [1, rest.length];
          while (tooLong - n > 1) {
            const mid = (n + tooLong) >> 1;
            if (fits(rest.slice(0, mid))) n = mid;
            else tooLong = mid;
          }
          while (n > 1 && /^[\udc00-\udfff\p{M}]/u.test(rest.slice(n))) n--; // not inside a character, nor before its marks (Thai vowels)
          lines.push(rest.slice(0, n));
          rest = rest.slice(n);
        }
        line = rest;
        lineWidth = this.widthOf(font, rest, size);
      }
      lines.push(line);
    }
    return lines;
  }

  /** Text widths are font layout work (fontkit): each string is measured once per font. */
  private widths = new Map<PDFFont, Map<string, number>>();
  private measure(font: PDFFont, text: string): number {
    let known = this.widths.get(font);
    if (!known) this.widths.set(font, (known = new Map()));
    let w = known.get(text);
    if (w === undefined) known.set(text, (w = font.widthOfTextAtSize(text, 1)));
    return w;
  }

  private widthOf(font: PDFFont, text: string, size: number): number {
    return scriptRuns(text, this.fonts.han).reduce((sum, run) => sum + this.measure(this.fontFor(run.script, font), run.text), 0) * size;
  }

  private draw(text: string, x: number, y: number, style: TextStyle) {
    this.drawOn(this.page, text, x, y, style);
  }

  /** One line, each run in its script's font, placed left to right but written in the order it was typed (copy and search read that order). */
  private drawOn(page: PDFPage, text: string, x: number, y: number, style: TextStyle) {
    const size = style.size ?? BODY;
    const placed = visualRuns(text, this.fonts.han).map((run) => {
      const font = this.fontFor(run.script, style.font);
      // fontkit lays Arabic and Hebrew out right to left itself (it must see them in logical order to join the letters); anything else is reversed here.
      const glyphs = run.rtl && !RTL_SCRIPTS.has(run.script) ? [...run.text].reverse().join('') : run.text;
      const at = x;
      x += this.measure(font, glyphs) * size;
      return { run, font, glyphs, x: at };
    });
    for (const { run, font, glyphs, x } of placed.sort((a, b) => a.run.at - b.run.at)) {
      // The span sits inside the text object, where its font is set: poppler reads an ActualText outside it with no font size and loses it.
      const span = needsActualText(run.script, run.rtl)
        ? [PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of('Span'), `<< /ActualText ${PDFHexString.fromText(run.text).toString()} >>`])]
        : [];
      page.pushOperators(
        pushGraphicsState(),
        beginText(),
        setFillingColor(style.color ?? INK),
        setFontAndSize(this.fontKey(page, font), size),
        setTextMatrix(1, 0, 0, 1, x, y),
        ...span,
        showText(font.encodeText(glyphs)),
        ...(span.length ? [endMarkedContent()] : []),
        endText(),
        popGraphicsState(),
      );
    }
  }

  private fontKeys = new Map<PDFPage, Map<PDFFont, PDFName>>();
  private fontKey(page: PDFPage, font: PDFFont): PDFName {
    let keys = this.fontKeys.get(page);
    if (!keys) this.fontKeys.set(page, (keys = new Map()));
    let key = keys.get(font);
    if (!key) keys.set(font, (key = page.node.newFontDictionary(font.name, font.ref)));
    return key;
  }

  paragraph(text: string, style: TextStyle & { indent?: number; lineHeight?: number } = {}) {
    const indent = style.indent ?? 0;
    const lineHeight = style.lineHeight ?? LINE * ((style.size ?? BODY) / BODY);
    for (const line of this.wrap(text, CONTENT_W - indent, style)) {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      this.draw(line, MARGIN_X + indent, this.y + 3.5, style);
    }
  }

  /** Label in a left column, value wrapped in the right one; a long value continues on the next page. */
  row(label: string, value: string, style: { indent?: number; valueStyle?: TextStyle } = {}) {
    const indent = style.indent ?? 0;
    const labelW = LABEL_W - indent;
    const labelLines = this.wrap(label, labelW, { color: MUTED });
    const valueLines = this.wrap(value, CONTENT_W - LABEL_W - GUTTER, style.valueStyle);
    const n = Math.max(labelLines.length, valueLines.length);
    this.ensure(Math.min(n, 3) * LINE);
    for (let i = 0; i < n; i++) {
      this.ensure(LINE);
      this.y -= LINE;
      this.draw(labelLines[i] ?? '', MARGIN_X + indent, this.y + 3.5, { color: MUTED });
      this.draw(valueLines[i] ?? '', MARGIN_X + LABEL_W + GUTTER, this.y + 3.5, style.valueStyle ?? {});
    }
  }

  /** A section heading with a rule, kept together with at least a few lines of what follows. */
  heading(text: string) {
    this.ensure(24 + 4 * LINE);
    this.y -= 22;
    this.draw(this.clean(text), MARGIN_X, this.y, { font: this.bold, size: 13, color: ACCENT });
    this.y -= 5;
    this.page.drawLine({ start: { x: MARGIN_X, y: this.y }, end: { x: PAGE_W - MARGIN_X, y: this.y }, thickness: 0.6, color: RULE });
    this.y -= 2;
  }

  /** A boxed warning across the page, title in large bold: a reader cannot miss it. */
  banner(title: string, detail: string) {
    const detailLines = this.wrap(detail, CONTENT_W - 20);
    const height = 34 + detailLines.length * LINE;
    this.ensure(height + 6);
    const top = this.y - 4;
    this.page.drawRectangle({ x: MARGIN_X, y: top - height, width: CONTENT_W, height, color: WARN_FILL, borderColor: WARN, borderWidth: 1.5 });
    this.draw(this.clean(title), MARGIN_X + 10, top - 22, { font: this.bold, size: 15, color: WARN });
    detailLines.forEach((line, i) => this.draw(line, MARGIN_X + 10, top - 30 - (i + 1) * LINE + 3.5, {}));
    this.y = top - height - 6;
  }

  subheading(text: string, color: RGB = INK) {
    this.ensure(16 + 3 * LINE);
    this.gap(6);
    this.paragraph(text, { font: this.bold, size: 10.5, color });
  }

  /** A band across the top of every page, above the continuation header (a demo case's notice). */
  topBand(text: string) {
    const size = 10;
    const line = this.clean(text);
    for (const page of this.pages) {
      page.drawRectangle({ x: MARGIN_X, y: PAGE_H - 30, width: CONTENT_W, height: 18, color: DEMO_BAND });
      this.drawOn(page, line, MARGIN_X + (CONTENT_W - this.widthOf(this.bold, line, size)) / 2, PAGE_H - 24.5, { size, font: this.bold, color: rgb(1, 1, 1) });
    }
  }

  /** Page numbers and the footer go on last, when the page count is known; `alert`, when given, above the rule on every page. */
  footer(left: string, alert: string | null = null) {
    const total = this.pages.length;
    this.pages.forEach((page, i) => {
      const right = `Page ${i + 1} of ${total}`;
      const size = 8;
      if (alert) this.drawOn(page, this.clean(alert), MARGIN_X, 50, { size: 10, font: this.bold, color: WARN });
      page.drawLine({ start: { x: MARGIN_X, y: 44 }, end: { x: PAGE_W - MARGIN_X, y: 44 }, thickness: 0.5, color: RULE });
      const rightW = this.widthOf(this.regular, right, size);
      const leftText = this.wrap(left, CONTENT_W - rightW - 20, { size })[0] ?? '';
      this.drawOn(page, leftText, MARGIN_X, 32, { size, color: MUTED });
      this.drawOn(page, right, PAGE_W - MARGIN_X - rightW, 32, { size, color: MUTED });
    });
  }

  get boldFont() {
    return this.bold;
  }
}

const orNone = (s: string) => (s.trim() ? s : '—');

function values(l: Layout, rows: readonly LabelledValue[], indent = 0) {
  for (const r of rows) l.row(r.label, r.value, { indent, valueStyle: r.recorded ? {} : { color: MUTED } });
}

function signature(l: Layout, s: SignatureLine) {
  if (s.notCounted !== null) {
    // Not "Signed by": the record names someone, nothing shows they signed.
    l.row('Signature', s.notCounted, { valueStyle: { font: l.boldFont, color: WARN } });
    l.row('Recorded as', `${s.printedName}, ${s.role} (as the record says; not verified)`, { valueStyle: { color: WARN } });
    l.row('Recorded date and time', s.signedAt);
  } else {
    l.row('Signed by', `${s.printedName}, ${s.role}`, { valueStyle: { font: l.boldFont } });
    l.row('Date and time', s.signedAt);
  }
  l.row('Meaning', s.meaning);
  if (s.covers) l.row('Files', `Signed ${s.covers}`);
  l.row('Content hash (SHA-256)', s.contentHash, { valueStyle: { size: 7.5, color: MUTED } });
  if (s.counts) l.row('Digital signature', s.check.text);
}

function voided(l: Layout, s: VoidedSignatureLine) {
  l.row('Voided signature', `${s.printedName}, ${s.role}, signed ${s.signedAt}`, { valueStyle: { color: WARN } });
  l.row('Meaning', s.meaning, { indent: 12 });
  if (s.covers) l.row('Files', `Signed ${s.covers}`, { indent: 12 });
  l.row('Voided', `${s.voidedAt} by ${s.voidedBy}`, { indent: 12 });
  l.row('Reason', s.reason, { indent: 12 });
}

/** Each guide's sterilization record; a failed re-check stands out above it. */
function sterilization(l: Layout, list: StageSummary['sterilization']) {
  for (const g of list) {
    l.gap(3);
    l.paragraph(`Sterilization record: ${g.deliverable}`, { font: l.boldFont, size: 9 });
    if (g.note) l.paragraph(g.note, { indent: 8, color: MUTED });
    if (g.failed) l.paragraph(g.failed, { indent: 8, font: l.boldFont, color: WARN });
    values(l, g.values, 8);
  }
}

function stage(l: Layout, s: StageSummary, index: number) {
  if (s.notNeeded) {
    l.subheading(`${index + 1}. ${s.title} — not needed`, INK);
    l.paragraph(s.statusText, { indent: 8 });
    return;
  }
  l.subheading(`${index + 1}. ${s.title} — ${s.complete ? 'complete' : 'not complete'}`, s.complete ? INK : WARN);
  // A stage not started that waits for an earlier one: that is what blocks it; its own to-do list is noise here.
  const blockers = s.waitingFor && s.lastUpdated === null ? s.blockers.slice(0, 1) : s.blockers;
  if (!s.complete) for (const b of blockers) l.paragraph(`• ${b}`, { indent: 8, color: WARN });
  values(l, s.fields);
  if (s.checklist.length) {
    l.gap(3);
    l.paragraph('Checklist', { font: l.boldFont, size: 9 });
    for (const item of s.checklist) l.row(item.label, item.text, { indent: 8, valueStyle: item.done ? {} : { color: MUTED } });
  }
  // Per-deliverable values, grouped by field: "Used in this patient's care" then one row per model or guide.
  const perFieldLabels = s.perDeliverable[0]?.values.map((v) => v.label) ?? [];
  perFieldLabels.forEach((label, i) => {
    l.gap(3);
    l.paragraph(label, { font: l.boldFont, size: 9 });
    for (const d of s.perDeliverable) {
      const v = d.values[i];
      if (v) l.row(d.deliverable, v.value, { indent: 8, valueStyle: v.recorded ? {} : { color: MUTED } });
    }
  });
  sterilization(l, s.sterilization);
  l.row('Last updated', s.lastUpdated ?? 'Nothing recorded yet');
  if (s.signoff) {
    l.ensure(6 * LINE);
    l.gap(3);
    l.paragraph(`Sign-off (${s.signoff.role}): “${s.signoff.meaning}”`, { font: l.boldFont, size: 9 });
    if (s.signature) signature(l, s.signature);
    else l.row('Signature', 'Not signed', { valueStyle: { color: MUTED } });
  }
  for (const v of s.voidedSignatures) voided(l, v);
}

export async function renderCasePdf(summary: CaseSummary, options: CasePdfOptions = {}): Promise<Uint8Array> {
  const allText = JSON.stringify(summary);
  const needed = scriptsIn(allText);
  const fonts = await (options.loadFonts ?? loadBundledFonts)(needed);
  const doc = await PDFDocument.create();
  doc.registerFontkit(evenGlyphFontkit);
  const regular = await doc.embedFont(asBytes(fonts.regular), { subset: true, features: FONT_FEATURES });
  const bold = fonts.bold ? await doc.embedFont(asBytes(fonts.bold), { subset: true, features: FONT_FEATURES }) : regular;
  // Their own shaping features (Arabic joining, Devanagari conjuncts) stay on.
  const scripts: PdfFontSet['scripts'] = {};
  for (const script of needed) {
    const bytes = fonts.scripts?.[script];
    if (bytes) scripts[script] = await doc.embedFont(asBytes(bytes), { subset: true });
  }

  // Metadata stays free of patient identifiers (file browsers and previews show it).
  const when = new Date(summary.generatedAtIso);
  doc.setTitle(summary.title);
  doc.setSubject('3D printing case summary');
  doc.setCreator('Printpath');
  doc.setProducer('Printpath (pdf-lib)');
  doc.setLanguage('en');
  if (!Number.isNaN(when.getTime())) {
    doc.setCreationDate(when);
    doc.setModificationDate(when);
  }

  const p = summary.patient;
  const l = new Layout(doc, { regular, bold, scripts, han: hanFontOf(allText) }, `${summary.title} — ${p.name}, MRN ${p.mrn} (continued)`);

  l.paragraph('Printpath — 3D printing case summary', { font: bold, size: 17, color: ACCENT, lineHeight: 22 });
  l.gap(4);
  const v = summary.verification;
  if (v.banner) l.banner(v.banner.title, v.banner.detail);
  l.row('Case number', summary.caseNumber, { valueStyle: { font: bold } });
  l.row('Case id', summary.caseId);
  l.row('Status', summary.status, summary.statusCode === 'not-verified' ? { valueStyle: { font: bold, color: WARN } } : {});
  l.row('Opened', summary.opened);
  if (summary.closed) l.row('Closed', `${summary.closed.at} by ${summary.closed.by}`);
  if (summary.cancelled) l.row('Cancelled', `${summary.cancelled.at} by ${summary.cancelled.by}: ${summary.cancelled.reason}`, { valueStyle: { color: WARN } });
  l.row('Generated', summary.generatedAt);

  l.heading('Verification');
  for (const r of v.rows) l.row(r.label, r.value, { valueStyle: r.state === 'failed' ? { font: bold, color: WARN } : r.state === 'verified' ? {} : { color: MUTED } });
  l.row('Lab root key', v.labRoot);

  l.heading('Patient');
  l.row('Name', p.name, { valueStyle: { font: bold } });
  l.row('MRN', p.mrn);
  l.row('Date of birth', p.dateOfBirth);
  l.row('Sex', p.sex);

  const o = summary.order;
  l.heading('Order');
  l.row('Ordering physician', o.orderingPhysician);
  l.row('Contact', o.physicianContact);
  l.row('Indication', o.indication);
  l.row('ICD-10', o.icd10);
  l.row('Anatomic region', o.anatomicRegion);
  l.row('Structures', o.structures.join(', '));
  l.row('Date needed', o.dateNeeded);
  l.row('Priority', o.priority);
  l.row('Payer', o.payer ?? 'Not recorded');
  l.row('Encounter setting', o.encounter ?? 'Not recorded');
  if (o.scenario || o.appropriateness) l.row('Appropriateness', [o.scenario, o.appropriateness].filter(Boolean).join(': '));
  if (o.notes.trim()) l.row('Notes', o.notes);

  const { models, guides } = summary.deliverables;
  l.heading('Models and guides');
  if (!models.length && !guides.length) l.paragraph('No anatomic model or guide recorded.', { color: MUTED });
  for (const m of models) {
    const made = m.digital ? 'digital model, delivered as a file, not printed' : `${m.copies} ${m.copies === 1 ? 'copy' : 'copies'}`;
    l.subheading(`Model: ${m.name} — ${made}, ${m.components.length} ${m.components.length === 1 ? 'component' : 'components'}`);
    if (!m.components.length) l.paragraph('No components recorded.', { indent: 8, color: MUTED });
    m.components.forEach((c, i) => l.row(`Component ${i + 1}: ${c.structure}`, `Colour: ${orNone(c.colour)} · Material: ${orNone(c.material)}`, { indent: 8 }));
    files(l, m.files);
    design(l, m.design);
  }
  if (guides.length) l.subheading('Guides');
  for (const g of guides) {
    l.row(g.name, `${g.guideType} · Material: ${orNone(g.material)}`, { indent: 8 });
    files(l, g.files);
    design(l, g.design);
  }

  if (summary.traceability) traceability(l, summary.traceability);

  l.heading('Stages');
  summary.stages.forEach((s, i) => stage(l, s, i));
  partQa(l, summary.partQa);

  const codes = summary.codes;
  l.heading('Suggested CPT codes');
  l.paragraph(codes.disclaimer, { font: bold, color: WARN });
  l.gap(2);
  l.row('Billing state', codes.stateLabel, { valueStyle: { font: bold, ...(codes.billingState === 'check-before-billing' || codes.billingState === 'not-verified' ? { color: WARN } : {}) } });
  if (codes.nothingToBill) l.row('', codes.nothingToBill);
  l.row('Date of service', codes.serviceDates.length > 1 ? codes.serviceDates.join(', ') : (codes.serviceDate ?? 'Not delivered yet'));
  if (codes.payer) l.row('Payer', codes.payer.note ? `${codes.payer.payer}: ${codes.payer.note}` : `${codes.payer.payer}: no position noted by the lab`, codes.payer.note ? { valueStyle: { font: bold, color: WARN } } : {});
  l.row('Code table', codes.codeTableVersion);
  if (codes.frozenAt) l.row('Frozen', `Codes fixed when the case was closed, ${codes.frozenAt}`);
  for (const line of codes.lines) {
    l.subheading(`${line.code} × ${line.unitsText}${codes.serviceDates.length > 1 && line.serviceDate ? ` — date of service ${line.serviceDate}` : ''}`);
    l.row('Description', line.description);
    l.row('Reason', line.reason);
    if (line.mue) l.row('MUE', line.mue, line.aboveMue ? { valueStyle: { font: bold, color: WARN } } : {});
  }
  if (!codes.lines.length && !codes.nothingToBill) l.paragraph('No code is suggested.', { color: MUTED });
  // As on screen: a single reason that "Nothing to bill: …" already says is not printed twice.
  const reasons = codes.nothingToBill && codes.reasons.length === 1 ? [] : codes.reasons;
  if (reasons.length) {
    l.gap(4);
    l.paragraph('Reasons', { font: bold, size: 9 });
    for (const r of reasons) l.paragraph(`• ${r}`, { indent: 8 });
  }
  if (codes.warnings.length) {
    l.gap(4);
    l.paragraph('Warnings', { font: bold, size: 9, color: WARN });
    for (const w of codes.warnings) l.paragraph(`• ${w}`, { indent: 8, color: WARN });
  }

  l.heading('History');
  const trail = v.rows.find((r) => r.label === 'Audit trail');
  if (trail) l.row('Audit chain', trail.value, trail.state === 'failed' ? { valueStyle: { font: bold, color: WARN } } : {});
  if (summary.audit?.head) l.row('Chain head (SHA-256)', summary.audit.head, { valueStyle: { size: 7.5, color: MUTED } });
  l.gap(4);
  if (!summary.history.length) l.paragraph('No events recorded.', { color: MUTED });
  for (const h of summary.history) {
    l.row(`${h.at}\n${h.actor}`, h.summary);
    l.gap(3);
  }

  if (summary.demoNotice) l.topBand(summary.demoNotice);
  l.footer(`Case ${summary.caseNumber} · ${summary.footerNote}`, v.banner?.title ?? null);
  return doc.save();
}

/** Only the case number: a file name is seen in download lists and mail attachments, so it carries no patient identifier. */
export function casePdfFileName(caseNumber: string): string {
  const safe = caseNumber.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `case-${safe || 'summary'}.pdf`;
}

export async function downloadCasePdf(summary: CaseSummary, options: CasePdfOptions = {}): Promise<void> {
  const bytes = await renderCasePdf(summary, options);
  downloadFile(bytes as Uint8Array<ArrayBuffer>, 'application/pdf', casePdfFileName(summary.caseNumber));
}

/** Each file a sign-off covers, with its SHA-256 in full: a reader can check the file they hold is the one signed. */
/** Dimensional QA per printed part, or the single figure of a case recorded before it. */
function partQa(l: Layout, qa: CaseSummary['partQa']): void {
  if (!qa.legacy && !qa.none && qa.parts.length === 0) return;
  l.heading('Dimensional QA');
  if (qa.none) l.paragraph(qa.none, { color: MUTED });
  if (qa.legacy) l.paragraph(qa.legacy);
  for (const p of qa.parts) {
    l.subheading(`${p.part} — ${p.status}`, p.ok ? INK : WARN);
    if (p.checks.length === 0) l.paragraph('No measurement recorded.', { indent: 8, color: MUTED });
    for (const c of p.checks) {
      l.paragraph(c.heading, { indent: 8, font: l.boldFont, size: 9 });
      for (const m of c.measurements) l.paragraph(`• ${m}`, { indent: 16 });
      if (c.accepted) l.paragraph(c.accepted, { indent: 16, color: WARN });
    }
  }
}

function files(l: Layout, list: readonly FileSummary[]): void {
  for (const f of list) {
    // No line break inside the date; the hash in groups of 16, so a line breaks between groups.
    l.row(`File: ${f.name}`, `${f.version} · ${f.size} · ${f.attached.replace(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC/g, '$1\u00a0$2\u00a0UTC')}`, { indent: 8 });
    l.row('SHA-256', f.sha256.replace(/(.{16})(?!$)/g, '$1 '), { indent: 16 });
  }
}

/** The version delivered (or current), and the text marked on the part or its bag. */
function design(l: Layout, d: DesignSummary): void {
  l.row(d.versionLabel, d.version, { indent: 8 });
  if (d.mark) l.row('Mark on the part or its bag', d.mark, { indent: 8 });
}

function traceability(l: Layout, t: TraceSummary): void {
  if (!t.models.length && !t.parts.length) return;
  l.heading('Process: labels and how each part was made');
  for (const m of t.models) {
    l.row(`Label: ${m.name}`, m.label, { valueStyle: { font: l.boldFont, ...(m.label === LABEL_TEXT.diagnostic ? {} : { color: WARN }) } });
    l.row('Label text', m.text, { indent: 8 });
    for (const r of m.reasons) l.row('', r, { indent: 8 });
  }
  for (const p of t.parts) l.row(p.name, p.validated ? `${p.made} · ${p.validated}` : p.made);
}
