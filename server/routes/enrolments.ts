// Enrolling a new device: it asks (unauthenticated) with its public key and a name, and
// shows a short code; an enrolled device of the lab lists what waits, compares the code and
// approves with the lab key wrapped to the new device's key (an opaque blob here); the new
// device then collects its credential and the wrapped key, once.
import { randomUUID } from 'node:crypto';
import {
  approveRequestSchema,
  enrolmentRequestSchema,
  uuidSchema,
  type CollectResponse,
  type EnrolmentResponse,
  type PendingEnrolment,
} from '../../src/domain/sync-wire';
import { authenticate, bearerToken, labParam } from '../auth';
import { conflict, notFound, parseOr400, tooMany, unauthorized } from '../http-errors';
import { hashSecret, newCredential, newEnrolmentCode, sameHash } from '../secrets';
import type { RouteContext } from './context';

export const ENROLMENT_MINUTES = 15;
export const MAX_PENDING_ENROLMENTS = 20;

function enrolmentParam(params: unknown): string {
  const parsed = uuidSchema.safeParse((params as { enrolment?: unknown }).enrolment);
  if (!parsed.success) throw notFound('There is no such enrolment in this lab.');
  return parsed.data;
}

export function enrolmentRoutes({ app, store, limits }: RouteContext): void {
  app.post('/api/labs/:lab/enrolments', { config: { rateLimit: limits.enrol } }, async (request, reply) => {
    const lab = labParam(request);
    const input = parseOr400(enrolmentRequestSchema, request.body);
    const response = await store.transaction(async (tx): Promise<EnrolmentResponse> => {
      const labs = await tx.query('SELECT id FROM labs WHERE id = $1 FOR UPDATE', [lab]);
      if (labs.length === 0) throw notFound('There is no such lab on this server.');
      const waiting = await tx.query<{ n: unknown }>(
        "SELECT count(*) AS n FROM enrolments WHERE lab_id = $1 AND status = 'pending' AND expires_at > now()",
        [lab],
      );
      if (Number(waiting[0]?.n ?? 0) >= MAX_PENDING_ENROLMENTS) {
        throw tooMany('Too many devices are waiting for approval in this lab: approve or reject some first.');
      }
      const enrolmentId = randomUUID();
      const code = newEnrolmentCode();
      const collectToken = newCredential();
      await tx.query(
        `INSERT INTO enrolments (id, lab_id, device_name, public_key, code, collect_hash, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(mins => $7))`,
        [enrolmentId, lab, input.deviceName, input.publicKey, code, hashSecret(collectToken), ENROLMENT_MINUTES],
      );
      return { enrolmentId, code, collectToken };
    });
    return reply.code(201).send(response);
  });

  app.get('/api/labs/:lab/enrolments', async (request) => {
    const device = await authenticate(store, request);
    const rows = await store.query<{ id: string; device_name: string; public_key: string; code: string; created_at: Date }>(
      `SELECT id, device_name, public_key, code, created_at FROM enrolments
       WHERE lab_id = $1 AND status = 'pending' AND expires_at > now() ORDER BY created_at`,
      [device.labId],
    );
    const enrolments: PendingEnrolment[] = rows.map((row) => ({
      enrolmentId: row.id,
      deviceName: row.device_name,
      publicKey: row.public_key,
      code: row.code,
      createdAt: new Date(row.created_at).toISOString(),
    }));
    return { enrolments };
  });

  app.post('/api/labs/:lab/enrolments/:enrolment/approve', async (request) => {
    const device = await authenticate(store, request);
    const enrolment = enrolmentParam(request.params);
    const input = parseOr400(approveRequestSchema, request.body);
    return store.transaction(async (tx) => {
      const rows = await tx.query<{ device_name: string; public_key: string; waiting: boolean }>(
        `SELECT device_name, public_key, (status = 'pending' AND expires_at > now()) AS waiting
         FROM enrolments WHERE id = $1 AND lab_id = $2 FOR UPDATE`,
        [enrolment, device.labId],
      );
      const row = rows[0];
      if (!row) throw notFound('There is no such enrolment in this lab.');
      if (!row.waiting) throw conflict('This enrolment is no longer waiting for approval.');
      const deviceId = randomUUID();
      await tx.query('INSERT INTO devices (id, lab_id, name, public_key) VALUES ($1, $2, $3, $4)', [
        deviceId,
        device.labId,
        row.device_name,
        row.public_key,
      ]);
      await tx.query(
        `UPDATE enrolments SET status = 'approved', wrapped_lab_key = $2, approved_by = $3, device_id = $4 WHERE id = $1`,
        [enrolment, input.wrappedLabKey, device.id, deviceId],
      );
      return { enrolmentId: enrolment, deviceId };
    });
  });

  app.post('/api/labs/:lab/enrolments/:enrolment/reject', async (request) => {
    const device = await authenticate(store, request);
    const enrolment = enrolmentParam(request.params);
    const rows = await store.query(
      `UPDATE enrolments SET status = 'rejected' WHERE id = $1 AND lab_id = $2 AND status = 'pending' RETURNING id`,
      [enrolment, device.labId],
    );
    if (rows.length === 0) throw notFound('There is no enrolment waiting for approval with this id in this lab.');
    return { enrolmentId: enrolment, status: 'rejected' };
  });

  // The new device polls with the collect token it got when it asked; once approved it gets
  // its credential and the wrapped lab key, and only once.
  app.get('/api/labs/:lab/enrolments/:enrolment', { config: { rateLimit: limits.collect } }, async (request) => {
    const lab = labParam(request);
    const enrolment = enrolmentParam(request.params);
    const token = bearerToken(request);
    if (!token) throw unauthorized('Collecting an enrolment needs its collect token (Authorization: Bearer …).');
    return store.transaction(async (tx): Promise<CollectResponse> => {
      const rows = await tx.query<{ collect_hash: string; status: string; expired: boolean; device_id: string | null; wrapped_lab_key: string | null }>(
        `SELECT collect_hash, status, expires_at <= now() AS expired, device_id, wrapped_lab_key
         FROM enrolments WHERE id = $1 AND lab_id = $2 FOR UPDATE`,
        [enrolment, lab],
      );
      const row = rows[0];
      if (!row || !sameHash(row.collect_hash, hashSecret(token))) throw unauthorized('This collect token does not match the enrolment.');
      if (row.status === 'pending') return { status: row.expired ? 'expired' : 'pending' };
      if (row.status !== 'approved' || !row.device_id || row.wrapped_lab_key === null) {
        return { status: row.status === 'rejected' ? 'rejected' : 'collected' };
      }
      const credential = newCredential();
      await tx.query('UPDATE devices SET credential_hash = $2 WHERE id = $1', [row.device_id, hashSecret(credential)]);
      // The server keeps no copy of the wrapped key once the device has it.
      await tx.query(`UPDATE enrolments SET status = 'collected', wrapped_lab_key = NULL WHERE id = $1`, [enrolment]);
      return { status: 'approved', deviceId: row.device_id, credential, wrappedLabKey: row.wrapped_lab_key };
    });
  });
}
