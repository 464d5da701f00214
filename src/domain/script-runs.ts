import bidiFactory from 'bidi-js';

/**
 * The font a piece of text needs. Noto Sans ('latin') also covers Greek, Cyrillic, Devanagari, digits and punctuation;
 * each other script has its own Noto font. Devanagari is told apart only because its shaped glyphs need their text beside them.
 */
export type FontScript = 'latin' | 'arabic' | 'hebrew' | 'devanagari' | 'thai' | 'chinese' | 'japanese' | 'korean';

/** A script with a font of its own, fetched only when a case needs it. */
export type OtherScript = Exclude<FontScript, 'latin' | 'devanagari'>;

/** A stretch of text in one font. `rtl`: it reads right to left; its text is still in logical (typed) order, from `at` in the line. */
export type TextRun = { script: FontScript; text: string; rtl: boolean; at: number };

export const RTL_SCRIPTS: ReadonlySet<FontScript> = new Set(['arabic', 'hebrew']);

// Script_Extensions, not Script: the Arabic comma or the Devanagari danda belong to their script's font.
const SCRIPT_OF: readonly (readonly [FontScript | 'han', RegExp])[] = [
  ['arabic', /\p{scx=Arab}/u],
  ['hebrew', /\p{scx=Hebr}/u],
  ['devanagari', /\p{scx=Deva}/u],
  ['thai', /\p{scx=Thai}/u],
  // CJK punctuation and full-width forms go with the text's CJK font, like the ideographs.
  ['han', /[\u3000-\u303f\uff00-\uffef]/u],
  ['korean', /\p{scx=Hang}/u],
  ['japanese', /[\p{scx=Hira}\p{scx=Kana}]/u],
  ['han', /[\p{scx=Hani}\p{scx=Bopo}]/u],
];

/** Spaces, combining marks and joiners stay in the run they are in: an Arabic name is shaped as one run. */
const JOINS_NEIGHBOUR = /^[\s\p{M}\u200c\u200d]$/u;

/** The font for ideographs, which Chinese, Japanese and Korean share and draw each in their own way. */
export type HanFont = 'chinese' | 'japanese' | 'korean';

/**
 * With kana the text is Japanese, with Hangul Korean, otherwise Chinese (kanji alone cannot be told from Chinese).
 * A document decides once, from all its text: every line of it then draws ideographs in the same, loaded, font.
 */
export const hanFontOf = (text: string): HanFont => (/[\p{scx=Hira}\p{scx=Kana}]/u.test(text) ? 'japanese' : /\p{scx=Hang}/u.test(text) ? 'korean' : 'chinese');

const ownScript = (ch: string, han: FontScript): FontScript | null => {
  for (const [script, pattern] of SCRIPT_OF) if (pattern.test(ch)) return script === 'han' ? han : script;
  return JOINS_NEIGHBOUR.test(ch) ? null : 'latin';
};

/** Any character outside Noto Sans's scripts: most text has none and is one run (a PDF measures thousands of words). */
const ANY_OTHER_SCRIPT = new RegExp(SCRIPT_OF.map(([, pattern]) => pattern.source).join('|'), 'u');

/** Right-to-left letters (Hebrew to Arabic Extended, their presentation forms and the SMP's) and right-to-left marks. */
const ANY_RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u061c\u200f\u202b\u202e\u2067\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/** The script of each UTF-16 unit of `text` (both halves of a surrogate pair alike). */
function unitScripts(text: string, han: HanFont): FontScript[] {
  if (!ANY_OTHER_SCRIPT.test(text)) return new Array<FontScript>(text.length).fill('latin');
  const own: (FontScript | null)[] = [];
  for (const ch of text) for (let i = 0; i < ch.length; i++) own.push(ownScript(ch, han));
  const scripts: FontScript[] = [];
  let previous: FontScript | null = null;
  for (let i = 0; i < own.length; i++) {
    const next: FontScript = own[i] ?? previous ?? own.slice(i + 1).find((s) => s !== null) ?? 'latin';
    scripts.push(next);
    previous = next;
  }
  return scripts;
}

/** The fonts besides Noto Sans that `text` needs, in a fixed order. */
export function scriptsIn(text: string): OtherScript[] {
  const found = new Set(unitScripts(text, hanFontOf(text)));
  return (['arabic', 'hebrew', 'thai', 'chinese', 'japanese', 'korean'] as const).filter((s) => found.has(s));
}

/** `text` cut into runs of one script each, in logical order (for measuring); ideographs in `han`. */
export function scriptRuns(text: string, han: HanFont = hanFontOf(text)): { script: FontScript; text: string }[] {
  if (!ANY_OTHER_SCRIPT.test(text)) return text ? [{ script: 'latin', text }] : [];
  const scripts = unitScripts(text, han);
  const runs: { script: FontScript; text: string }[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i < text.length && scripts[i] === scripts[start]) continue;
    runs.push({ script: scripts[start]!, text: text.slice(start, i) });
    start = i;
  }
  return runs;
}

const bidi = bidiFactory();

/**
 * One line of a left-to-right document as it is drawn: runs from left to right after the Unicode bidirectional
 * algorithm, so an Arabic or Hebrew name reads right to left and the digits inside it ("2024") left to right.
 * A right-to-left run keeps its text in logical order (a shaper joins Arabic letters from it) with brackets mirrored.
 */
export function visualRuns(line: string, han: HanFont = hanFontOf(line)): TextRun[] {
  if (!ANY_RTL.test(line)) {
    let at = 0;
    return scriptRuns(line, han).map((run) => ({ ...run, rtl: false, at: (at += run.text.length) - run.text.length }));
  }
  const scripts = unitScripts(line, han);
  const embedding = bidi.getEmbeddingLevels(line, 'ltr');
  const order = bidi.getReorderedIndices(line, embedding);
  const levelOf = (i: number) => embedding.levels[i]!;

  const runs: TextRun[] = [];
  let group: number[] = [];
  const flush = () => {
    if (!group.length) return;
    const from = Math.min(...group);
    const rtl = levelOf(from) % 2 === 1;
    const units = line.slice(from, Math.max(...group) + 1);
    const text = rtl ? [...units].map((ch) => bidi.getMirroredCharacter(ch) ?? ch).join('') : units;
    runs.push({ script: scripts[from]!, text, rtl, at: from });
    group = [];
  };
  for (const i of order) {
    const last = group[group.length - 1];
    if (last !== undefined && !(scripts[i] === scripts[last] && levelOf(i) === levelOf(last) && Math.abs(i - last) === 1)) flush();
    group.push(i);
  }
  flush();
  return runs;
}
