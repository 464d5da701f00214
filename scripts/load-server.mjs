#!/usr/bin/env node
// The lab server under load: 50 devices pushing and pulling at once against the built
// server (one process, as `npm start` runs it), on embedded PGlite and on a real
// PostgreSQL (a throw-away pg_virtualenv cluster, or DATABASE_URL). Each device loops for
// LOAD_SECONDS: push a batch of LOAD_BATCH events (1 KiB ciphertext-like envelopes), pull
// everything new, then pause LOAD_THINK_MS on average (uniform between half and one and a
// half times it; 0 = flat out, which measures the most the machine does). Checks that every device received every event exactly once, in order,
// and no request failed; records throughput and p50/p99 latency in
// test-results/server-load-<store>.json (docs/benchmarks.md quotes them).
//
//   node scripts/load-server.mjs [--store=pglite|postgres|both]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const DEVICES = Number(process.env.LOAD_DEVICES ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const BATCH = Number(process.env.LOAD_BATCH ?? 3);
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 1000);
const ENVELOPE_BYTES = 1024;
const PORT = Number(process.env.LOAD_PORT ?? 4291);
// p99 budgets per store: PGlite runs PostgreSQL in WebAssembly on the server's own thread
// (its file writes block the event loop), so it gets a looser one; see docs/benchmarks.md.
const P99_BUDGET_MS = { postgres: Number(process.env.LOAD_P99_BUDGET_MS ?? 3000), pglite: Number(process.env.LOAD_P99_BUDGET_MS ?? 10000) };

const args = process.argv.slice(2);
const inner = args.includes('--inner-postgres');
const which = (args.find((a) => a.startsWith('--store=')) ?? '--store=both').slice('--store='.length);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);

function postgresUrlFromEnv() {
  const { PGHOST = 'localhost', PGPORT = '5432', PGUSER = 'postgres', PGPASSWORD = '', PGDATABASE = 'postgres' } = process.env;
  const auth = PGPASSWORD ? `${encodeURIComponent(PGUSER)}:${encodeURIComponent(PGPASSWORD)}` : encodeURIComponent(PGUSER);
  return PGHOST.startsWith('/')
    ? `postgres://${auth}@localhost/${encodeURIComponent(PGDATABASE)}?host=${encodeURIComponent(PGHOST)}&port=${PGPORT}`
    : `postgres://${auth}@${PGHOST}:${PGPORT}/${encodeURIComponent(PGDATABASE)}`;
}

async function api(base, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json();
  return { status: response.status, body: json, ms: performance.now() - started };
}

async function startServer(env) {
  const dataDir = mkdtempSync(join(tmpdir(), 'printpath-load-'));
  const child = spawn(process.execPath, [join(ROOT, 'dist-server', 'main.js')], {
    env: {
      ...process.env,
      ...env,
      PORT: String(PORT),
      PRINTPATH_DATA: dataDir,
      PRINTPATH_DIST: join(dataDir, 'no-app'),
      PRINTPATH_LIMIT_ENROL: '10000',
      PRINTPATH_LIMIT_COLLECT: '10000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let requestLines = 0;
  child.stdout.on('data', (chunk) => {
    const text = chunk.toString();
    requestLines += (text.match(/"msg":"request"/g) ?? []).length;
    if (output.length < 20_000) output += text;
  });
  for (let i = 0; i < 600; i++) {
    const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(output)?.[1];
    if (code && output.includes('Printpath is at')) {
      return { child, code, dataDir, logLines: () => requestLines };
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error(`server did not start: ${output}`);
}

async function runLoad(label, env) {
  const server = await startServer(env);
  const base = `http://127.0.0.1:${PORT}`;
  try {
    const setup = await api(base, 'POST', '/api/setup', { body: { code: server.code, deviceName: 'Load 0', publicKey: 'k' } });
    if (setup.status !== 201) throw new Error(`set-up failed: ${JSON.stringify(setup.body)}`);
    const { labId, credential } = setup.body;
    const devices = [{ token: credential }];
    for (let i = 1; i < DEVICES; i++) {
      const asked = await api(base, 'POST', `/api/labs/${labId}/enrolments`, { body: { deviceName: `Load ${i}`, publicKey: 'k' } });
      await api(base, 'POST', `/api/labs/${labId}/enrolments/${asked.body.enrolmentId}/approve`, { token: credential, body: { wrappedLabKey: 'w' } });
      const got = await api(base, 'GET', `/api/labs/${labId}/enrolments/${asked.body.enrolmentId}`, { token: asked.body.collectToken });
      devices.push({ token: got.body.credential });
    }

    const pushMs = [];
    const pullMs = [];
    const failures = [];
    let throttled = 0;
    let pushedEvents = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();

    const pullAll = async (device) => {
      let more = true;
      while (more) {
        const reply = await api(base, 'GET', `/api/labs/${labId}/events?after=${device.cursor}&limit=500`, { token: device.token });
        pullMs.push(reply.ms);
        if (reply.status !== 200) {
          failures.push(`pull ${reply.status}`);
          return;
        }
        for (const event of reply.body.events) {
          if (event.serverSeq !== device.cursor + 1) failures.push(`device expected ${device.cursor + 1}, got ${event.serverSeq}`);
          device.cursor = event.serverSeq;
          device.received += 1;
        }
        more = reply.body.more;
      }
    };

    await Promise.all(
      devices.map(async (device) => {
        device.cursor = 0;
        device.received = 0;
        let deviceSeq = 0;
        while (performance.now() < deadline) {
          const events = Array.from({ length: BATCH }, () => ({
            eventId: randomUUID(),
            deviceSeq: ++deviceSeq,
            hlc: `${String(Date.now()).padStart(15, '0')}-${String(deviceSeq % 100000).padStart(5, '0')}-load`,
            parents: [randomBytes(32).toString('hex')],
            sig: randomBytes(64).toString('base64url'),
            envelope: randomBytes(ENVELOPE_BYTES).toString('base64'),
            size: ENVELOPE_BYTES,
          }));
          const reply = await api(base, 'POST', `/api/labs/${labId}/events`, { token: device.token, body: { events } });
          pushMs.push(reply.ms);
          if (reply.status === 429) {
            throttled += 1;
            await sleep(1000);
          } else if (reply.status !== 200) failures.push(`push ${reply.status}`);
          else pushedEvents += BATCH;
          await pullAll(device);
          if (THINK_MS > 0) await sleep(THINK_MS * (0.5 + Math.random()));
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    // Catch up: every device must end with every event, exactly once and in order (checked above).
    await Promise.all(devices.map(pullAll));
    const incomplete = devices.filter((d) => d.received !== pushedEvents).length;
    if (incomplete) failures.push(`${incomplete} devices did not receive all ${pushedEvents} events`);

    pushMs.sort((a, b) => a - b);
    pullMs.sort((a, b) => a - b);
    const result = {
      store: label,
      devices: DEVICES,
      seconds: Number(elapsed.toFixed(1)),
      cpus: cpus().length,
      node: process.version,
      batch: BATCH,
      thinkMs: THINK_MS,
      loadAverageAtEnd: (await import('node:os')).loadavg().map((n) => Number(n.toFixed(1))),
      envelopeBytes: ENVELOPE_BYTES,
      pushes: pushMs.length,
      pulls: pullMs.length,
      eventsPushed: pushedEvents,
      eventsDelivered: devices.reduce((n, d) => n + d.received, 0),
      eventsPerSecond: Math.round(pushedEvents / elapsed),
      requestsPerSecond: Math.round((pushMs.length + pullMs.length) / elapsed),
      pushMs: { p50: Math.round(percentile(pushMs, 50)), p99: Math.round(percentile(pushMs, 99)), max: Math.round(pushMs.at(-1) ?? 0) },
      pullMs: { p50: Math.round(percentile(pullMs, 50)), p99: Math.round(percentile(pullMs, 99)), max: Math.round(pullMs.at(-1) ?? 0) },
      throttled,
      failures: failures.slice(0, 20),
      failureCount: failures.length,
      logLines: server.logLines(),
    };
    return result;
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

function report(result) {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', `server-load-${result.store}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(
    `--- ${result.store}: ${result.devices} devices (batch ${result.batch}, think ${result.thinkMs} ms) for ${result.seconds} s: ${result.eventsPushed} events pushed (${result.eventsPerSecond}/s), ` +
      `${result.requestsPerSecond} requests/s; push p50 ${result.pushMs.p50} ms, p99 ${result.pushMs.p99} ms; ` +
      `pull p50 ${result.pullMs.p50} ms, p99 ${result.pullMs.p99} ms; throttled ${result.throttled}; failures ${result.failureCount}`,
  );
  const budget = P99_BUDGET_MS[result.store];
  const ok = result.failureCount === 0 && result.pushMs.p99 <= budget && result.pullMs.p99 <= budget && result.eventsPushed > 0;
  if (!ok) console.error(`--- ${result.store}: FAILED (failures: ${JSON.stringify(result.failures)}; p99 budget ${budget} ms)`);
  return ok;
}

async function main() {
  const built = spawnSync('npm', ['run', '--silent', 'build:server'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0 && !inner) process.exit(1);
  if (inner) {
    const ok = report(await runLoad('postgres', { DATABASE_URL: postgresUrlFromEnv() }));
    process.exit(ok ? 0 : 1);
  }
  let ok = true;
  if (which === 'pglite' || which === 'both') {
    const env = { DATABASE_URL: '' };
    ok = report(await runLoad('pglite', env)) && ok;
  }
  if (which === 'postgres' || which === 'both') {
    if (process.env.DATABASE_URL) ok = report(await runLoad('postgres', { DATABASE_URL: process.env.DATABASE_URL })) && ok;
    else if (spawnSync('sh', ['-c', 'command -v pg_virtualenv']).status !== 0) {
      console.error('The load test needs a real PostgreSQL too: sudo apt-get install -y postgresql (for pg_virtualenv), or set DATABASE_URL.');
      ok = false;
    } else {
      const result = spawnSync('pg_virtualenv', ['-t', process.execPath, new URL(import.meta.url).pathname, '--inner-postgres'], { stdio: 'inherit' });
      ok = result.status === 0 && ok;
    }
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
