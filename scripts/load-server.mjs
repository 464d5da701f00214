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
//
// For docs/scaling.md (the defaults are what `npm run test:deep` runs):
//   LOAD_DEVICES, LOAD_SECONDS, LOAD_BATCH, LOAD_THINK_MS  as above (50, 30, 3, 1000)
//   LOAD_ENVELOPE_BYTES  envelope size before base64 (1024)
//   LOAD_LABS            labs on the one server, devices dealt round-robin (1; more needs
//                        PostgreSQL: the script adds set-up codes to the database itself,
//                        as the server issues one only while it has no lab)
//   LOAD_FILL_EVENTS     events pushed before the timed run (0), so it runs against a full
//                        table; devices start caught up. The events table's size on disk
//                        (pg_total_relation_size) is recorded after the fill and at the end.
//   LOAD_LISTENERS       extra devices of the (first) lab that only long-poll (wait=30) for
//                        the timed run (0); records how long an event takes from its push
//                        being sent to a waiting device having it
//   LOAD_LABEL           written to test-results/server-load-<store>-<label>.json instead
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const DEVICES = Number(process.env.LOAD_DEVICES ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const BATCH = Number(process.env.LOAD_BATCH ?? 3);
const THINK_MS = Number(process.env.LOAD_THINK_MS ?? 1000);
const ENVELOPE_BYTES = Number(process.env.LOAD_ENVELOPE_BYTES ?? 1024);
const LABS = Number(process.env.LOAD_LABS ?? 1);
const FILL_EVENTS = Number(process.env.LOAD_FILL_EVENTS ?? 0);
const LABEL = process.env.LOAD_LABEL ?? '';
const LISTENERS = Number(process.env.LOAD_LISTENERS ?? 0);
const SYNC_MAX_BATCH = 200; // events per push the server takes (src/domain/sync-wire.ts)
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

async function api(base, method, path, { token, body, signal } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const response = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
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
      ...(LABS > 1 ? { PRINTPATH_LIMIT_SETUP: '10000' } : {}),
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

const makeEvents = (count, device) =>
  Array.from({ length: count }, () => {
    device.deviceSeq += 1;
    return {
      eventId: randomUUID(),
      deviceSeq: device.deviceSeq,
      hlc: `${String(Date.now()).padStart(15, '0')}-${String(device.deviceSeq % 100000).padStart(5, '0')}-load`,
      parents: [randomBytes(32).toString('hex')],
      sig: randomBytes(64).toString('base64url'),
      envelope: randomBytes(ENVELOPE_BYTES).toString('base64'),
      size: ENVELOPE_BYTES,
    };
  });

/** The events table on disk: rows, heap + TOAST + indexes (pg_total_relation_size), and its parts. */
async function eventsTableSize(query) {
  const rows = await query(
    `SELECT count(*)::bigint AS rows, pg_total_relation_size('events') AS total, pg_relation_size('events') AS heap,
            pg_indexes_size('events') AS indexes FROM events`,
  );
  const row = rows[0];
  return { rows: Number(row.rows), totalBytes: Number(row.total), heapBytes: Number(row.heap), indexBytes: Number(row.indexes) };
}

/** A client for the server's database while it runs (PostgreSQL only: PGlite's folder belongs to the server). */
async function postgresClient(databaseUrl) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return { query: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() };
}

/** PGlite's events table, read from its folder once the server has stopped. */
async function pgliteTableSize(dataDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create({ dataDir });
  try {
    return await eventsTableSize(async (sql) => (await db.query(sql)).rows);
  } finally {
    await db.close();
  }
}

async function runLoad(label, env) {
  if (LABS > 1 && !env.DATABASE_URL) throw new Error('LOAD_LABS > 1 needs PostgreSQL (--store=postgres)');
  const server = await startServer(env);
  const base = `http://127.0.0.1:${PORT}`;
  const db = env.DATABASE_URL ? await postgresClient(env.DATABASE_URL) : null;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
  };
  try {
    const labs = [];
    for (let l = 0; l < LABS; l++) {
      let code = server.code;
      if (l > 0) {
        // The server issues a set-up code only while it has no lab: add one the way it stores them (the SHA-256 of the code).
        code = randomBytes(8).toString('hex').toUpperCase().match(/.{4}/g).join('-');
        await db.query('INSERT INTO setup_codes (code_hash) VALUES ($1)', [createHash('sha256').update(code, 'utf8').digest('hex')]);
      }
      const setup = await api(base, 'POST', '/api/setup', { body: { code, deviceName: `Lab ${l} device 0`, publicKey: 'k' } });
      if (setup.status !== 201) throw new Error(`set-up failed: ${JSON.stringify(setup.body)}`);
      labs.push({ labId: setup.body.labId, credential: setup.body.credential, pushedEvents: 0, filled: 0 });
    }
    const enrol = async (lab, name) => {
      const { labId, credential } = lab;
      const asked = await api(base, 'POST', `/api/labs/${labId}/enrolments`, { body: { deviceName: name, publicKey: 'k' } });
      await api(base, 'POST', `/api/labs/${labId}/enrolments/${asked.body.enrolmentId}/approve`, { token: credential, body: { wrappedLabKey: 'w' } });
      const got = await api(base, 'GET', `/api/labs/${labId}/enrolments/${asked.body.enrolmentId}`, { token: asked.body.collectToken });
      return { lab, token: got.body.credential, deviceSeq: 0 };
    };
    const devices = [];
    for (let i = 0; i < DEVICES; i++) {
      const lab = labs[i % LABS];
      devices.push(i < LABS ? { lab, token: lab.credential, deviceSeq: 0 } : await enrol(lab, `Load ${i}`));
    }
    const listeners = [];
    for (let i = 0; i < LISTENERS; i++) listeners.push(await enrol(labs[0], `Listener ${i}`));
    for (const device of [...devices, ...listeners]) {
      device.cursor = 0;
      device.received = 0;
    }

    // Fill: full batches of 200 from every device at once, until FILL_EVENTS are stored.
    let tableAfterFill = null;
    let fillSeconds = 0;
    if (FILL_EVENTS > 0) {
      const fillStarted = performance.now();
      let left = FILL_EVENTS;
      await Promise.all(
        devices.map(async (device) => {
          while (left > 0) {
            const n = Math.min(SYNC_MAX_BATCH, left);
            left -= n;
            const reply = await api(base, 'POST', `/api/labs/${device.lab.labId}/events`, { token: device.token, body: { events: makeEvents(n, device) } });
            if (reply.status !== 200) throw new Error(`fill push ${reply.status}: ${JSON.stringify(reply.body)}`);
            device.lab.filled = Math.max(device.lab.filled, ...reply.body.results.map((r) => r.serverSeq));
          }
        }),
      );
      fillSeconds = (performance.now() - fillStarted) / 1000;
      for (const device of [...devices, ...listeners]) device.cursor = device.lab.filled;
      if (db) tableAfterFill = await eventsTableSize(db.query);
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
        const reply = await api(base, 'GET', `/api/labs/${device.lab.labId}/events?after=${device.cursor}&limit=500`, { token: device.token });
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

    // Listeners: long-poll until the timed run ends; the event's clock (Date.now() when it was made, just before its push) gives the delay.
    const wakeMs = [];
    const stopListening = new AbortController();
    const listening = listeners.map(async (listener) => {
      while (!stopListening.signal.aborted) {
        let reply;
        try {
          reply = await api(base, 'GET', `/api/labs/${listener.lab.labId}/events?after=${listener.cursor}&limit=500&wait=30`, {
            token: listener.token,
            signal: stopListening.signal,
          });
        } catch (error) {
          if (!stopListening.signal.aborted) failures.push(`long-poll: ${error.message}`);
          return;
        }
        if (reply.status !== 200) {
          failures.push(`long-poll ${reply.status}`);
          return;
        }
        const now = Date.now();
        for (const event of reply.body.events) {
          if (event.serverSeq !== listener.cursor + 1) failures.push(`listener expected ${listener.cursor + 1}, got ${event.serverSeq}`);
          listener.cursor = event.serverSeq;
          listener.received += 1;
          wakeMs.push(now - Number(event.hlc.slice(0, 15)));
        }
      }
    });

    await Promise.all(
      devices.map(async (device) => {
        while (performance.now() < deadline) {
          const events = makeEvents(BATCH, device);
          const reply = await api(base, 'POST', `/api/labs/${device.lab.labId}/events`, { token: device.token, body: { events } });
          pushMs.push(reply.ms);
          if (reply.status === 429) {
            throttled += 1;
            await sleep(1000);
          } else if (reply.status !== 200) failures.push(`push ${reply.status}`);
          else {
            pushedEvents += BATCH;
            device.lab.pushedEvents += BATCH;
          }
          await pullAll(device);
          if (THINK_MS > 0) await sleep(THINK_MS * (0.5 + Math.random()));
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    stopListening.abort();
    await Promise.all(listening);
    // Catch up: every device must end with every event of its lab, exactly once and in order (checked above).
    await Promise.all([...devices, ...listeners].map(pullAll));
    const incomplete = [...devices, ...listeners].filter((d) => d.received !== d.lab.pushedEvents).length;
    if (incomplete) failures.push(`${incomplete} devices did not receive all the events pushed to their lab`);

    let tableAtEnd = db ? await eventsTableSize(db.query) : null;
    const logLines = server.logLines();
    await stop();
    if (!db && FILL_EVENTS > 0) tableAtEnd = await pgliteTableSize(server.dataDir);

    pushMs.sort((a, b) => a - b);
    pullMs.sort((a, b) => a - b);
    wakeMs.sort((a, b) => a - b);
    const result = {
      store: label,
      devices: DEVICES,
      ...(LABS > 1 ? { labs: LABS } : {}),
      seconds: Number(elapsed.toFixed(1)),
      cpus: cpus().length,
      node: process.version,
      batch: BATCH,
      thinkMs: THINK_MS,
      loadAverageAtEnd: (await import('node:os')).loadavg().map((n) => Number(n.toFixed(1))),
      envelopeBytes: ENVELOPE_BYTES,
      ...(FILL_EVENTS > 0 ? { fillEvents: FILL_EVENTS, fillSeconds: Number(fillSeconds.toFixed(1)), fillEventsPerSecond: Math.round(FILL_EVENTS / fillSeconds) } : {}),
      pushes: pushMs.length,
      pulls: pullMs.length,
      eventsPushed: pushedEvents,
      eventsDelivered: devices.reduce((n, d) => n + d.received, 0),
      eventsPerSecond: Math.round(pushedEvents / elapsed),
      requestsPerSecond: Math.round((pushMs.length + pullMs.length) / elapsed),
      pushMs: { p50: Math.round(percentile(pushMs, 50)), p99: Math.round(percentile(pushMs, 99)), max: Math.round(pushMs.at(-1) ?? 0) },
      pullMs: { p50: Math.round(percentile(pullMs, 50)), p99: Math.round(percentile(pullMs, 99)), max: Math.round(pullMs.at(-1) ?? 0) },
      ...(LISTENERS > 0
        ? { listeners: LISTENERS, longPollDelivered: wakeMs.length, pushToListenerMs: { p50: Math.round(percentile(wakeMs, 50)), p99: Math.round(percentile(wakeMs, 99)), max: Math.round(wakeMs.at(-1) ?? 0) } }
        : {}),
      ...(tableAfterFill ? { eventsTableAfterFill: tableAfterFill } : {}),
      ...(tableAtEnd ? { eventsTableAtEnd: { ...tableAtEnd, bytesPerEvent: tableAtEnd.rows ? Math.round(tableAtEnd.totalBytes / tableAtEnd.rows) : 0 } } : {}),
      throttled,
      failures: failures.slice(0, 20),
      failureCount: failures.length,
      logLines,
    };
    return result;
  } finally {
    await db?.close();
    await stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

function report(result) {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  writeFileSync(join(ROOT, 'test-results', `server-load-${result.store}${LABEL ? `-${LABEL}` : ''}.json`), JSON.stringify(result, null, 2) + '\n');
  console.log(
    `--- ${result.store}: ${result.devices} devices (batch ${result.batch}, think ${result.thinkMs} ms) for ${result.seconds} s: ${result.eventsPushed} events pushed (${result.eventsPerSecond}/s), ` +
      `${result.requestsPerSecond} requests/s; push p50 ${result.pushMs.p50} ms, p99 ${result.pushMs.p99} ms; ` +
      `pull p50 ${result.pullMs.p50} ms, p99 ${result.pullMs.p99} ms; throttled ${result.throttled}; failures ${result.failureCount}` +
      (result.labs ? `; ${result.labs} labs` : '') +
      (result.listeners ? `; ${result.listeners} listeners got ${result.longPollDelivered} events by long-poll, push to listener p50 ${result.pushToListenerMs.p50} ms, p99 ${result.pushToListenerMs.p99} ms` : '') +
      (result.fillEvents ? `; filled ${result.fillEvents} events first (${result.fillEventsPerSecond}/s)` : '') +
      (result.eventsTableAtEnd ? `; events table ${result.eventsTableAtEnd.rows} rows, ${result.eventsTableAtEnd.totalBytes} bytes (${result.eventsTableAtEnd.bytesPerEvent} per event)` : ''),
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
