// The lab's recovery key. An enrolled device registers it once, at the lab's creation (its
// public half, the hash of a token derived from it, and every key epoch granted to it), and
// adds each new epoch's grant. With the paper key, a new device enrols without an admin when
// every device is lost: it proves the token and receives the grants, which only the paper
// key opens. The attempts are rate-limited like set-up codes; the token carries 256 bits.
import { randomUUID } from 'node:crypto';
import { epochParamSchema, recoverRequestSchema, recoveryGrantSchema, recoverySetupSchema, type RecoverResponse } from '../../src/domain/sync-wire';
import { authenticate, labParam } from '../auth';
import { conflict, forbidden, notFound, parseOr400 } from '../http-errors';
import { hashSecret, newCredential, sameHash } from '../secrets';
import type { RouteContext } from './context';

export function recoveryRoutes({ app, store, limits }: RouteContext): void {
  app.get('/api/labs/:lab/recovery', async (request) => {
    const device = await authenticate(store, request);
    const rows = await store.query<{ epoch: string }>('SELECT epoch FROM recovery_grants WHERE lab_id = $1 ORDER BY epoch', [device.labId]);
    const set = await store.query('SELECT 1 FROM recovery WHERE lab_id = $1', [device.labId]);
    return { recoveryKey: set.length > 0, epochs: rows.map((r) => r.epoch) };
  });

  app.put('/api/labs/:lab/recovery', async (request, reply) => {
    const device = await authenticate(store, request);
    const input = parseOr400(recoverySetupSchema, request.body);
    await store.transaction(async (tx) => {
      const inserted = await tx.query(
        'INSERT INTO recovery (lab_id, public_key, token_hash) VALUES ($1, $2, $3) ON CONFLICT (lab_id) DO NOTHING RETURNING lab_id',
        [device.labId, input.publicKey, hashSecret(input.token)],
      );
      if (inserted.length === 0) throw conflict('This lab already has a recovery key.');
      for (const g of input.grants) {
        await tx.query('INSERT INTO recovery_grants (lab_id, epoch, grant_blob) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [device.labId, g.epoch, g.grant]);
      }
    });
    return reply.code(201).send({ recoveryKey: true });
  });

  app.put('/api/labs/:lab/recovery/grants/:epoch', async (request) => {
    const device = await authenticate(store, request);
    const epoch = epochParamSchema.safeParse((request.params as { epoch?: unknown }).epoch);
    if (!epoch.success) throw notFound('There is no such key epoch.');
    const input = parseOr400(recoveryGrantSchema, request.body);
    const set = await store.query('SELECT 1 FROM recovery WHERE lab_id = $1', [device.labId]);
    if (set.length === 0) throw conflict('This lab has no recovery key yet.');
    // Idempotent: a grant, once given, is never replaced (a replay changes nothing).
    await store.query('INSERT INTO recovery_grants (lab_id, epoch, grant_blob) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [device.labId, epoch.data, input.grant]);
    return { epoch: epoch.data };
  });

  app.post('/api/labs/:lab/recover', { config: { rateLimit: limits.setup } }, async (request, reply) => {
    const lab = labParam(request);
    const input = parseOr400(recoverRequestSchema, request.body);
    const response = await store.transaction(async (tx): Promise<RecoverResponse> => {
      const rows = await tx.query<{ public_key: string; token_hash: string }>('SELECT public_key, token_hash FROM recovery WHERE lab_id = $1', [lab]);
      const row = rows[0];
      if (!row || !sameHash(row.token_hash, hashSecret(input.token))) throw forbidden('This is not the recovery key of this lab.');
      const deviceId = randomUUID();
      const credential = newCredential();
      await tx.query('INSERT INTO devices (id, lab_id, name, public_key, credential_hash) VALUES ($1, $2, $3, $4, $5)', [deviceId, lab, input.deviceName, row.public_key, hashSecret(credential)]);
      const grants = await tx.query<{ epoch: string; grant_blob: string }>('SELECT epoch, grant_blob FROM recovery_grants WHERE lab_id = $1 ORDER BY epoch', [lab]);
      return { deviceId, credential, publicKey: row.public_key, grants: grants.map((g) => ({ epoch: g.epoch, grant: g.grant_blob })) };
    });
    return reply.code(201).send(response);
  });
}
