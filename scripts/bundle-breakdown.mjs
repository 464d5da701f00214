// What the first load holds, by package and by source folder: builds with source maps into a
// temporary folder, follows index.html's static imports (as scripts/check-bundle.mjs does) and
// attributes each minified byte to the source it came from. A source's gzip share is its chunk's
// gzip size split in proportion to its minified bytes (gzip of parts does not add up exactly).
// Usage: node scripts/bundle-breakdown.mjs [--files]
import { build } from 'vite';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SourceMapConsumer } from 'source-map-js';

const out = mkdtempSync(join(tmpdir(), 'printpath-breakdown-'));
await build({ logLevel: 'error', build: { outDir: out, emptyOutDir: true, sourcemap: 'hidden' } });
const html = readFileSync(join(out, 'index.html'), 'utf8');
const seen = new Set();
const queue = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1]);
while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const code = readFileSync(join(out, file), 'utf8');
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(join('assets', m[1]));
}
const group = (src) => {
  const pkg = src.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  const own = src.match(/(?:^|\/)src\/(.*)$/);
  if (!own) return src.replace(/^(\.\.\/)+/, '');
  const parts = own[1].split('/');
  return parts.length > 2 ? `src/${parts[0]}/${parts[1]}` : `src/${parts[0]}`;
};
const byGroup = new Map();
const byFile = new Map();
let total = 0;
for (const file of seen) {
  const code = readFileSync(join(out, file), 'utf8');
  const gz = gzipSync(code).length;
  total += gz;
  const lines = code.split('\n');
  const owner = lines.map((l) => new Array(l.length).fill(null));
  const marks = [];
  if (existsSync(join(out, `${file}.map`))) new SourceMapConsumer(JSON.parse(readFileSync(join(out, `${file}.map`), 'utf8'))).eachMapping((m) => marks.push(m));
  marks.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn);
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i];
    const next = marks[i + 1];
    const row = owner[m.generatedLine - 1];
    if (!row) continue;
    const end = next && next.generatedLine === m.generatedLine ? next.generatedColumn : row.length;
    for (let c = m.generatedColumn; c < end; c++) row[c] = m.source;
  }
  const bytes = new Map();
  for (const row of owner) for (const s of row) bytes.set(s ?? '(no source map: helper or glue)', (bytes.get(s ?? '(no source map: helper or glue)') ?? 0) + 1);
  for (const [src, n] of bytes) {
    const share = (gz * n) / code.length;
    for (const [map2, key] of [[byGroup, group(src)], [byFile, src.replace(/^(\.\.\/)+/, '').replace(`${process.cwd().slice(1)}/`, '')]]) {
      const v = map2.get(key) ?? { min: 0, gz: 0 };
      v.min += n;
      v.gz += share;
      map2.set(key, v);
    }
  }
}
rmSync(out, { recursive: true, force: true });
const show = (m) => [...m].sort((a, b) => b[1].gz - a[1].gz).forEach(([k, v]) => console.log(`${(v.gz / 1024).toFixed(1).padStart(7)} kB gz ${(v.min / 1024).toFixed(1).padStart(7)} kB min  ${k}`));
console.log(`First load: ${seen.size} files, ${(total / 1024).toFixed(1)} kB gzip\n`);
show(byGroup);
if (process.argv.includes('--files')) { console.log(''); show(byFile); }
