// The case PDF rendered in Node with the app's own fonts and read back with pdfjs, as a
// reader reads it: every page's text, line wraps joined into single spaces.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { CaseSummary } from '../../src/domain/case-summary';
import { renderCasePdf, type PdfFonts } from '../../src/features/report/case-pdf';

const fontDir = resolve(process.cwd(), 'node_modules/@expo-google-fonts/noto-sans');
export const PDF_FONTS: PdfFonts = {
  regular: readFileSync(resolve(fontDir, '400Regular/NotoSans_400Regular.ttf')),
  bold: readFileSync(resolve(fontDir, '700Bold/NotoSans_700Bold.ttf')),
};

export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await getDocument({ data: bytes.slice(), useSystemFonts: false, isEvalSupported: false }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    parts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await doc.destroy();
  return parts.join(' ').replace(/\s+/g, ' ');
}

export const casePdfText = async (summary: CaseSummary) => pdfText(await renderCasePdf(summary, { loadFonts: async () => PDF_FONTS }));
