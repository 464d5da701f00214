// Device authentication: `Authorization: Bearer <credential>`, looked up by its hash on
// every request, so a revoked device is refused from its very next request.
import type { FastifyRequest } from 'fastify';
import { uuidSchema } from '../src/domain/sync-wire';
import type { Queryable } from './db/store';
import { forbidden, notFound, unauthorized } from './http-errors';
import { hashSecret } from './secrets';

export type Device = { id: string; labId: string };

const devices = new WeakMap<FastifyRequest, Device>();

/** The device a request was authenticated as (for logging), if any. */
export const deviceOf = (request: FastifyRequest): Device | undefined => devices.get(request);

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
  return match ? match[1]! : null;
}

/** A rate limit counted per device credential (hashed, never kept), so devices behind one proxy do not share it. */
export const perDevice = (limit: { max: number; timeWindow: number }) => ({
  ...limit,
  keyGenerator: (request: FastifyRequest) => {
    const token = bearerToken(request);
    return token ? `device:${hashSecret(token)}` : `ip:${request.ip}`;
  },
});

/** The lab id in the path, or 404 when it cannot be a lab id. */
export function labParam(request: FastifyRequest): string {
  const lab = (request.params as { lab?: unknown }).lab;
  const parsed = uuidSchema.safeParse(lab);
  if (!parsed.success) throw notFound('There is no such lab on this server.');
  return parsed.data;
}

/** Authenticates the device and checks it belongs to the lab in the path. */
export async function authenticate(db: Queryable, request: FastifyRequest): Promise<Device> {
  const token = bearerToken(request);
  if (!token) throw unauthorized('This request needs a device credential (Authorization: Bearer …).');
  const rows = await db.query<{ id: string; lab_id: string }>(
    'SELECT id, lab_id FROM devices WHERE credential_hash = $1 AND revoked_at IS NULL',
    [hashSecret(token)],
  );
  const row = rows[0];
  if (!row) throw unauthorized('This device credential is not valid or has been revoked.');
  const device = { id: row.id, labId: row.lab_id };
  devices.set(request, device);
  if (labParam(request) !== device.labId) throw forbidden('This device belongs to another lab.');
  return device;
}
