// One-off comparison of the two ways to find each case chain's head event for a join's first pass (server/routes/events.ts
// HEADS_ONLY), on a bare PGlite with N synthetic cases of 15 events each. `node scripts/bench/heads-query.mjs 10000`.
import { PGlite } from '@electric-sql/pglite';
const db = new PGlite();
await db.exec(`CREATE TABLE events (lab_id uuid NOT NULL, server_seq bigint NOT NULL, chain text, hash text, envelope text, PRIMARY KEY (lab_id, server_seq));
CREATE INDEX events_by_chain ON events (lab_id, chain, server_seq) WHERE chain IS NOT NULL;
CREATE TABLE chain_heads (lab_id uuid NOT NULL, chain text NOT NULL, head text NOT NULL, PRIMARY KEY (lab_id, chain));`);
const LAB = '00000000-0000-4000-8000-000000000001';
const N = Number(process.argv[2] ?? 10000), PER = 15;
// Pushed as a tablet does: case after case, each whole, then some later edits interleaved.
let seq = 0; const rows = [];
for (let c = 0; c < N; c++) for (let k = 1; k <= PER; k++) rows.push([++seq, `case-${c}`, `h-${c}-${k}`]);
for (let i = 0; i < rows.length; i += 5000) {
  const chunk = rows.slice(i, i + 5000);
  await db.query(`INSERT INTO events (lab_id, server_seq, chain, hash, envelope) SELECT $1, s, c, h, 'x' FROM unnest($2::bigint[], $3::text[], $4::text[]) AS t(s, c, h)`, [LAB, chunk.map(r => r[0]), chunk.map(r => r[1]), chunk.map(r => r[2])]);
}
await db.query(`INSERT INTO chain_heads SELECT $1, 'case-' || g, 'h-' || g || '-${PER}' FROM generate_series(0, ${N - 1}) g`, [LAB]);
await db.exec('ANALYZE');
const OLD = `AND (chain IS NULL OR chain = 'lab' OR chain LIKE 'device:%' OR server_seq = (SELECT max(h.server_seq) FROM events h WHERE h.lab_id = e.lab_id AND h.chain = e.chain))`;
const NEW = `AND (chain IS NULL OR chain = 'lab' OR chain LIKE 'device:%' OR EXISTS (SELECT 1 FROM chain_heads h WHERE h.lab_id = e.lab_id AND h.chain = e.chain AND h.head = e.hash))`;
for (const [name, cond] of [['max per row', OLD], ['chain_heads', NEW]]) {
  let after = 0, pages = 0, got = 0; const t = performance.now(); let worst = 0;
  for (;;) {
    const t0 = performance.now();
    const r = await db.query(`SELECT server_seq, chain FROM events e WHERE lab_id = $1 AND server_seq > $2 ${cond} ORDER BY server_seq LIMIT $3`, [LAB, after, 501]);
    worst = Math.max(worst, performance.now() - t0);
    const page = r.rows.slice(0, 500); got += page.length; pages++;
    if (r.rows.length <= 500) break;
    after = Number(page.at(-1).server_seq);
  }
  console.log(`${N} cases, ${name}: ${pages} pages, ${got} heads, ${(performance.now() - t).toFixed(0)} ms (${((performance.now() - t) / pages).toFixed(0)} ms a page, worst ${worst.toFixed(0)})`);
}
