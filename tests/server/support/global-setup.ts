// One temporary folder per run for PGlite's data (and other scratch files), removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'printpath-server-tests-'));
  process.env.PRINTPATH_TEST_TMP = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
