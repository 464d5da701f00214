// First start: a one-time set-up code (printed once, stored as a hash) creates the lab and
// its first device. Without the code nobody on the network can claim the server.
import { randomUUID } from 'node:crypto';
import { setupRequestSchema, type SetupResponse } from '../../src/domain/sync-wire';
import type { Store } from '../db/store';
import { forbidden, parseOr400 } from '../http-errors';
import { hashSecret, newCredential, newSetupCode, normalizeSetupCode } from '../secrets';
import type { RouteContext } from './context';

/** A new set-up code; unused earlier codes stop working. Returns the code, shown once. */
export async function issueSetupCode(store: Store): Promise<string> {
  const code = newSetupCode();
  await store.transaction(async (tx) => {
    await tx.query('DELETE FROM setup_codes WHERE used_at IS NULL');
    await tx.query('INSERT INTO setup_codes (code_hash) VALUES ($1)', [hashSecret(code)]);
  });
  return code;
}

/** At start: a code when the server has no lab yet, else null. */
export async function setupCodeAtStart(store: Store): Promise<string | null> {
  const labs = await store.query('SELECT 1 FROM labs LIMIT 1');
  return labs.length === 0 ? issueSetupCode(store) : null;
}

export function setupRoutes({ app, store, limits }: RouteContext): void {
  app.post('/api/setup', { config: { rateLimit: limits.setup } }, async (request, reply) => {
    const input = parseOr400(setupRequestSchema, request.body);
    const response = await store.transaction(async (tx): Promise<SetupResponse> => {
      const used = await tx.query(
        'UPDATE setup_codes SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL RETURNING code_hash',
        [hashSecret(normalizeSetupCode(input.code))],
      );
      if (used.length === 0) throw forbidden('This set-up code is not valid or has already been used.');
      const labId = randomUUID();
      const deviceId = randomUUID();
      const credential = newCredential();
      await tx.query('INSERT INTO labs (id) VALUES ($1)', [labId]);
      await tx.query('INSERT INTO devices (id, lab_id, name, public_key, credential_hash) VALUES ($1, $2, $3, $4, $5)', [
        deviceId,
        labId,
        input.deviceName,
        input.publicKey,
        hashSecret(credential),
      ]);
      return { labId, deviceId, credential };
    });
    return reply.code(201).send(response);
  });

  // A new device asks to join a lab by its id; a server usually hosts one lab, so the
  // join screen needs no typing. Lab ids are not secrets: joining needs an admin's approval.
  app.get('/api/labs', { config: { rateLimit: limits.enrol } }, async () => {
    const rows = await store.query<{ id: string }>('SELECT id FROM labs ORDER BY created_at, id LIMIT 20');
    return { labs: rows.map((row) => ({ labId: row.id })) };
  });
}
