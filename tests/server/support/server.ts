// A lab server on a free port over the shared store, and a small client for the tests.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../../../server/app';
import type { Store } from '../../../server/db/store';
import { LabSignals } from '../../../server/live';
import { issueSetupCode } from '../../../server/routes/setup';
import type { PushedEvent } from '../../../src/domain/sync-wire';

export const GENEROUS_LIMITS = {
  setup: { max: 10_000, timeWindow: 60_000 },
  enrol: { max: 10_000, timeWindow: 60_000 },
  collect: { max: 10_000, timeWindow: 60_000 },
  push: { max: 100_000, timeWindow: 60_000 },
};

export type TestServer = {
  app: FastifyInstance;
  url: string;
  logs: string[];
  signals: LabSignals;
  close(): Promise<void>;
};

export async function startServer(store: Store, options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const logs: string[] = [];
  const signals = options.signals ?? new LabSignals();
  const app = await buildServer({
    store,
    distDir: null,
    rateLimits: GENEROUS_LIMITS,
    logStream: { write: (line: string) => void logs.push(line) },
    signals,
    ...options,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, logs, signals, close: () => app.close() };
}

export type Reply<T = Record<string, unknown>> = { status: number; body: T; headers: Headers };

export async function call<T = Record<string, unknown>>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; contentType?: string; signal?: AbortSignal } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(url + path, { method, headers, body, ...(options.signal ? { signal: options.signal } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

export type Lab = { labId: string; deviceId: string; credential: string };
export type Enrolled = { deviceId: string; credential: string; wrappedLabKey: string };

/** A new lab through the real set-up route (a new one-time code each time). */
export async function setupLab(server: TestServer, store: Store, deviceName = 'Bench tablet'): Promise<Lab> {
  const code = await issueSetupCode(store);
  const reply = await call<Lab>(server.url, 'POST', '/api/setup', { body: { code, deviceName, publicKey: publicKey() } });
  if (reply.status !== 201) throw new Error(`set-up failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Enrols one more device of the lab through the real enrolment routes. */
export async function enrolDevice(server: TestServer, lab: Lab, deviceName = 'Workstation'): Promise<Enrolled> {
  const asked = await call<{ enrolmentId: string; collectToken: string }>(server.url, 'POST', `/api/labs/${lab.labId}/enrolments`, {
    body: { deviceName, publicKey: publicKey() },
  });
  if (asked.status !== 201) throw new Error(`enrol failed: ${asked.status} ${JSON.stringify(asked.body)}`);
  const wrappedLabKey = randomBytes(60).toString('base64');
  const approved = await call(server.url, 'POST', `/api/labs/${lab.labId}/enrolments/${asked.body.enrolmentId}/approve`, {
    token: lab.credential,
    body: { wrappedLabKey },
  });
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${JSON.stringify(approved.body)}`);
  const collected = await call<Enrolled & { status: string }>(server.url, 'GET', `/api/labs/${lab.labId}/enrolments/${asked.body.enrolmentId}`, {
    token: asked.body.collectToken,
  });
  if (collected.body.status !== 'approved') throw new Error(`collect failed: ${JSON.stringify(collected.body)}`);
  return { deviceId: collected.body.deviceId, credential: collected.body.credential, wrappedLabKey: collected.body.wrappedLabKey };
}

export const publicKey = () => randomBytes(65).toString('base64url');

let clock = 1_800_000_000_000;

/** A well-formed event with a random (ciphertext-like) envelope. */
export function makeEvent(overrides: Partial<PushedEvent> = {}, bytes = 48): PushedEvent {
  const envelope = randomBytes(bytes).toString('base64');
  clock += 1;
  return {
    eventId: randomUUID(),
    deviceSeq: 1,
    hlc: `${String(clock).padStart(15, '0')}-00000-dev`,
    parents: [randomBytes(32).toString('hex')],
    sig: randomBytes(64).toString('base64url'),
    envelope,
    size: bytes,
    ...overrides,
  };
}

export async function countEvents(store: Store): Promise<number> {
  const rows = await store.query<{ n: unknown }>('SELECT count(*) AS n FROM events');
  return Number(rows[0]!.n);
}
