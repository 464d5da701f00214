// The lab server's API (server/README.md), on this page's own origin. Every failure is
// a sentence: the server's own, or one that says the server cannot be reached.
import type {
  CollectResponse,
  EnrolmentResponse,
  PendingEnrolment,
  PullResponse,
  PushedEvent,
  PushResponse,
  RecoverResponse,
  SetupResponse,
} from '../domain/sync-wire';

export class ServerError extends Error {
  override name = 'ServerError';
  constructor(message: string, readonly status: number, readonly stale: string[] = []) {
    super(message);
  }
}

export class Unreachable extends Error {
  override name = 'Unreachable';
  constructor() {
    super('The lab server cannot be reached: changes wait on this device and go up when it can.');
  }
}

async function call<T>(method: string, path: string, { body, token, signal }: { body?: unknown; token?: string; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new Unreachable();
  }
  const data = (await response.json().catch(() => null)) as (T & { error?: string; stale?: string[] }) | null;
  if (!response.ok) throw new ServerError(data?.error ?? `The lab server answered ${response.status}.`, response.status, data?.stale ?? []);
  return data as T;
}

export type DeviceInfo = { deviceId: string; name: string; createdAt: string; revokedAt: string | null; collected: boolean };

export const serverApi = {
  labs: () => call<{ labs: { labId: string }[] }>('GET', '/api/labs'),
  setup: (code: string, deviceName: string, publicKey: string) => call<SetupResponse>('POST', '/api/setup', { body: { code, deviceName, publicKey } }),
  askToEnrol: (labId: string, deviceName: string, publicKey: string) => call<EnrolmentResponse>('POST', `/api/labs/${labId}/enrolments`, { body: { deviceName, publicKey } }),
  collect: (labId: string, enrolmentId: string, collectToken: string) => call<CollectResponse>('GET', `/api/labs/${labId}/enrolments/${enrolmentId}`, { token: collectToken }),
  recover: (labId: string, token: string, deviceName: string) => call<RecoverResponse>('POST', `/api/labs/${labId}/recover`, { body: { token, deviceName } }),
};

/** Calls made as an enrolled device of a lab. */
export function deviceApi(labId: string, credential: string) {
  const as = { token: credential };
  return {
    push: (events: PushedEvent[]) => call<PushResponse>('POST', `/api/labs/${labId}/events`, { ...as, body: { events } }),
    pull: (after: number, { limit = 500, wait = 0, signal, chain, heads }: { limit?: number; wait?: number; signal?: AbortSignal; chain?: string; heads?: boolean } = {}) =>
      call<PullResponse>('GET', `/api/labs/${labId}/events?after=${after}&limit=${limit}&wait=${wait}${chain ? `&chain=${encodeURIComponent(chain)}` : ''}${heads ? '&heads=1' : ''}`, { ...as, signal }),
    enrolments: () => call<{ enrolments: PendingEnrolment[] }>('GET', `/api/labs/${labId}/enrolments`, as),
    approve: (enrolmentId: string, wrappedLabKey: string) => call<{ deviceId: string }>('POST', `/api/labs/${labId}/enrolments/${enrolmentId}/approve`, { ...as, body: { wrappedLabKey } }),
    reject: (enrolmentId: string) => call<unknown>('POST', `/api/labs/${labId}/enrolments/${enrolmentId}/reject`, { ...as, body: {} }),
    devices: () => call<{ self: string; devices: DeviceInfo[] }>('GET', `/api/labs/${labId}/devices`, as),
    revoke: (deviceId: string) => call<unknown>('POST', `/api/labs/${labId}/devices/${deviceId}/revoke`, { ...as, body: {} }),
    recovery: () => call<{ recoveryKey: boolean; epochs: string[] }>('GET', `/api/labs/${labId}/recovery`, as),
    setUpRecovery: (publicKey: string, token: string, grants: { epoch: string; grant: string }[]) =>
      call<unknown>('PUT', `/api/labs/${labId}/recovery`, { ...as, body: { publicKey, token, grants } }),
    addRecoveryGrant: (epoch: string, grant: string) => call<unknown>('PUT', `/api/labs/${labId}/recovery/grants/${epoch}`, { ...as, body: { grant } }),
    /** Which chunks of a model file the server holds. */
    fileChunks: (fileId: string) => call<{ chunks: number[] }>('GET', `/api/labs/${labId}/files/${fileId}`, as),
    putChunk: (fileId: string, index: number, chunk: string) => call<unknown>('PUT', `/api/labs/${labId}/files/${fileId}/chunks/${index}`, { ...as, body: { chunk } }),
    getChunk: (fileId: string, index: number) => call<{ chunk: string }>('GET', `/api/labs/${labId}/files/${fileId}/chunks/${index}`, as),
  };
}
export type DeviceApi = ReturnType<typeof deviceApi>;
