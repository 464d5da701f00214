// Fails fast, with the fix, when the browser for the end-to-end tests is missing.
// The tests use Debian's chromium and never download one.
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(`Chromium was not found at ${path}; the browser end-to-end tests need it.
Install Debian's package (it provides /usr/bin/chromium):

  sudo apt-get update && sudo apt-get install -y chromium

or point CHROMIUM_PATH at an existing chromium binary.`);
  process.exit(1);
}

// The PDF tests read the exported PDF's text back with poppler's pdftotext.
const onPath = (cmd) => (process.env.PATH ?? '').split(':').some((dir) => {
  try {
    accessSync(`${dir}/${cmd}`, constants.X_OK);
    return true;
  } catch {
    return false;
  }
});
if (!onPath('pdftotext')) {
  console.error(`pdftotext was not found; the end-to-end tests read exported PDFs back with it.
Install Debian's package:

  sudo apt-get update && sudo apt-get install -y poppler-utils`);
  process.exit(1);
}
