import { describe, expect, it } from 'vitest';
import { hanFontOf, scriptRuns, scriptsIn, visualRuns } from '../../src/domain/script-runs';

describe('scriptsIn: the fonts a text needs besides Noto Sans', () => {
  it('needs none for Latin with diacritics, Greek and Cyrillic', () => {
    expect(scriptsIn('Nguyễn Thị Lan, Łukasz Żółć, Γιώργος Παπαδόπουλος, Ольга Иванова — 2026-03-10 (№ 4)')).toEqual([]);
  });

  it('names each other script once', () => {
    expect(scriptsIn('محمد الأحمد')).toEqual(['arabic']);
    expect(scriptsIn('דוד כהן')).toEqual(['hebrew']);
    expect(scriptsIn('प्रिया शर्मा')).toEqual([]); // Noto Sans has Devanagari
    expect(scriptsIn('สมชาย ใจดี')).toEqual(['thai']);
    expect(scriptsIn('王小明')).toEqual(['chinese']);
    expect(scriptsIn('山田 はなこ')).toEqual(['japanese']);
    expect(scriptsIn('김민준')).toEqual(['korean']);
    expect(scriptsIn('Anna 王 and דוד')).toEqual(['hebrew', 'chinese']);
  });

  it('draws ideographs in the Japanese font beside kana, in the Korean one beside Hangul, else in the Chinese one', () => {
    expect(scriptRuns('田中、ゆき')).toEqual([{ script: 'japanese', text: '田中、ゆき' }]);
    expect(scriptRuns('金民俊 김민준')).toEqual([{ script: 'korean', text: '金民俊 김민준' }]);
    expect(scriptRuns('李娜（北京）')).toEqual([{ script: 'chinese', text: '李娜（北京）' }]);
  });
});

describe('scriptRuns', () => {
  it('keeps spaces and marks with the run they are in, and digits and Latin punctuation in Noto Sans', () => {
    expect(scriptRuns('Dr. प्रिया शर्मा, MRN 12')).toEqual([
      { script: 'latin', text: 'Dr. ' },
      { script: 'devanagari', text: 'प्रिया शर्मा' },
      { script: 'latin', text: ', MRN 12' },
    ]);
    expect(scriptRuns(' שלום')).toEqual([{ script: 'hebrew', text: ' שלום' }]);
  });

  it('gives both halves of a character outside the BMP the same script', () => {
    expect(scriptRuns('𠀀王')).toEqual([{ script: 'chinese', text: '𠀀王' }]);
  });
});

describe('visualRuns: a line from left to right', () => {
  it('leaves left-to-right text as one run', () => {
    expect(visualRuns('Łukasz Żółć 2024')).toEqual([{ script: 'latin', text: 'Łukasz Żółć 2024', rtl: false, at: 0 }]);
    expect(visualRuns('')).toEqual([]);
  });

  it('keeps an Arabic name in logical order for shaping, marked right to left, and its year left to right on its left', () => {
    expect(visualRuns('محمد 2024')).toEqual([
      { script: 'latin', text: '2024', rtl: false, at: 5 },
      { script: 'arabic', text: 'محمد ', rtl: true, at: 0 },
    ]);
  });

  it('puts a right-to-left name after a left-to-right label, its words from right to left, brackets mirrored', () => {
    expect(visualRuns('Name: דוד (כהן)')).toEqual([
      { script: 'latin', text: 'Name: ', rtl: false, at: 0 },
      { script: 'latin', text: '(', rtl: true, at: 14 },
      { script: 'hebrew', text: 'כהן', rtl: true, at: 11 },
      { script: 'latin', text: ')', rtl: true, at: 10 },
      { script: 'hebrew', text: 'דוד ', rtl: true, at: 6 },
    ]);
  });

  it('orders a line with two right-to-left names apart, each right to left', () => {
    const runs = visualRuns('אב and גד');
    expect(runs.map((r) => r.text).join('|')).toBe('אב| |and |גד');
    expect(runs.map((r) => r.rtl)).toEqual([true, false, false, true]);
  });

  it('draws ideographs in the font the document chose, whatever the line holds', () => {
    expect(visualRuns('王小明', 'japanese')).toEqual([{ script: 'japanese', text: '王小明', rtl: false, at: 0 }]);
    expect(scriptRuns('李娜 김', 'chinese')).toEqual([{ script: 'chinese', text: '李娜 ' }, { script: 'korean', text: '김' }]);
    expect(hanFontOf('王小明\n山田 はなこ')).toBe('japanese');
  });

  it('cuts mixed scripts into runs without losing a character', () => {
    const line = 'Dr. 王小明 / محمد (١٢) / प्रिया / สมชาย';
    const runs = visualRuns(line);
    expect(runs.map((r) => r.text).join('').length).toBe(line.length);
    expect(new Set(runs.map((r) => r.script))).toEqual(new Set(['latin', 'chinese', 'arabic', 'devanagari', 'thai']));
  });
});
