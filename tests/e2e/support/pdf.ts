// Reads a PDF's text layer back with Debian's pdftotext (poppler-utils; .ci/run installs it).
import { execFileSync } from 'node:child_process';

/** The PDF's text, with runs of whitespace (line and column breaks) folded to one space. */
export function pdfText(path: string): string {
  const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  return raw.replace(/\s+/g, ' ');
}
