// First-load budget: the JavaScript index.html loads to show the lock screen (the entry
// script and what it imports statically), gzipped. The storage code arrives with the lock
// screen's first read, the signed-in app (router, case list) while the person types their
// secret, everything else (forms, PDF, demo data) on demand: src/app/app.tsx.
// What the first load holds: `node scripts/bundle-breakdown.mjs`. Run after `vite build`. Also
// refuses a production build that holds benchmark code (src/bench loads only under
// `vite build --mode bench`).
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_KB = 120;
const dist = process.argv[2] ?? 'dist'; // e.g. the benchmark's own build
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = [...html.matchAll(/<script[^>]+src="\/([^"]+\.js)"/g)].map((m) => m[1]);
const seen = new Set();
const queue = [...entry];
while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const code = readFileSync(join(dist, file), 'utf8');
  // Static imports only: `import {…} from "./x.js"` / `import "./x.js"`; dynamic import() is on demand.
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w${},\s*]+from\s*)?["']\.\/([^"']+\.js)["']/g)) queue.push(join('assets', m[1]));
}
let total = 0;
for (const file of seen) {
  const kb = gzipSync(readFileSync(join(dist, file))).length / 1024;
  total += kb;
  console.log(`  ${kb.toFixed(1).padStart(7)} kB  ${file}`);
}
console.log(`First-load JavaScript: ${total.toFixed(1)} kB gzip (budget ${BUDGET_KB} kB)`);
if (total > BUDGET_KB) {
  console.error(`Over budget by ${(total - BUDGET_KB).toFixed(1)} kB: load the new code on demand (dynamic import) or trim it.`);
  process.exit(1);
}
const benchCode = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && /__printpathLoadBench|listQueryBareCursor/.test(readFileSync(join(dist, 'assets', f), 'utf8')));
if (benchCode.length) {
  console.error(`The production build holds benchmark code (${benchCode.join(', ')}): the bench hook must load only under --mode bench.`);
  process.exit(1);
}
