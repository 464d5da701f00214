// Reads a PDF's text layer back with Debian's pdftotext (poppler-utils; .ci/run installs it).
import { execFileSync } from 'node:child_process';

/**
 * The PDF's text in reading layout (a label and its value stay on one line), with runs of
 * whitespace folded to one space.
 */
export function pdfText(path: string): string {
  const raw = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
  return raw.replace(/\s+/g, ' ');
}
