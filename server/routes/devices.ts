// The lab's devices, and revoking one: its credential stops working at its next request.
// The server does not know people or roles (they live encrypted in the lab log), so any
// enrolled device of the lab may revoke; the app decides who is shown the button.
import { uuidSchema } from '../../src/domain/sync-wire';
import { authenticate } from '../auth';
import { notFound } from '../http-errors';
import type { RouteContext } from './context';

export function deviceRoutes({ app, store }: RouteContext): void {
  app.get('/api/labs/:lab/devices', async (request) => {
    const device = await authenticate(store, request);
    const rows = await store.query<{ id: string; name: string; created_at: Date; revoked_at: Date | null; enrolled: boolean }>(
      `SELECT id, name, created_at, revoked_at, credential_hash IS NOT NULL AS enrolled
       FROM devices WHERE lab_id = $1 ORDER BY created_at, id`,
      [device.labId],
    );
    return {
      self: device.id,
      devices: rows.map((row) => ({
        deviceId: row.id,
        name: row.name,
        createdAt: new Date(row.created_at).toISOString(),
        revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
        collected: row.enrolled,
      })),
    };
  });

  app.post('/api/labs/:lab/devices/:device/revoke', async (request) => {
    const device = await authenticate(store, request);
    const target = uuidSchema.safeParse((request.params as { device?: unknown }).device);
    if (!target.success) throw notFound('There is no such device in this lab.');
    const rows = await store.query<{ revoked_at: Date }>(
      `UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND lab_id = $2 RETURNING revoked_at`,
      [target.data, device.labId],
    );
    const row = rows[0];
    if (!row) throw notFound('There is no such device in this lab.');
    return { deviceId: target.data, revokedAt: new Date(row.revoked_at).toISOString() };
  });
}
