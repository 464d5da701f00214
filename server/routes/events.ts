// Push and pull of a lab's events.
//
// Order: each push takes its lab's row lock and numbers its new events from the lab's
// counter inside its own transaction, so a push can only number after the one before it
// has committed and numbers become visible in order. A pull "after N" therefore never
// skips a late commit, which an identity or sequence column would (docs/deploy.md).
//
// Idempotence: an event id already stored with the same content returns its stored number
// and changes nothing; with different content the whole push is refused (409).
import { pullQuerySchema, pushRequestSchema, type PullResponse, type PulledEvent, type PushResponse, SYNC_LIMITS } from '../../src/domain/sync-wire';
import { authenticate, bearerToken } from '../auth';
import { toNumber } from '../db/store';
import { conflict, notFound, parseOr400 } from '../http-errors';
import { hashSecret } from '../secrets';
import type { RouteContext } from './context';

/** Largest push body accepted: a full batch of 200 small events or a few large ones. */
export const MAX_PUSH_BODY_BYTES = 8 * 1024 * 1024;

type StoredRow = {
  event_id: string;
  lab_id: string;
  server_seq: unknown;
  device_id: string;
  device_seq: unknown;
  hlc: string;
  parents: string[];
  sig: string;
  envelope: string;
  size: unknown;
};

export function eventRoutes({ app, store, signals, limits }: RouteContext): void {
  app.post(
    '/api/labs/:lab/events',
    {
      bodyLimit: MAX_PUSH_BODY_BYTES,
      config: {
        rateLimit: {
          ...limits.push,
          // Per device credential (hashed, never kept), so devices behind one proxy do not share a limit.
          keyGenerator: (request) => {
            const token = bearerToken(request);
            return token ? `device:${hashSecret(token)}` : `ip:${request.ip}`;
          },
        },
      },
    },
    async (request): Promise<PushResponse> => {
      const device = await authenticate(store, request);
      const { events } = parseOr400(pushRequestSchema, request.body);
      const ids = events.map((event) => event.eventId);

      const { results, added } = await store.transaction(async (tx) => {
        const labs = await tx.query('SELECT seq FROM labs WHERE id = $1 FOR UPDATE', [device.labId]);
        if (labs.length === 0) throw notFound('There is no such lab on this server.');

        const stored = await tx.query<StoredRow>(
          `SELECT event_id, lab_id, server_seq, device_id, device_seq, hlc, parents, sig, envelope, size
           FROM events WHERE event_id = ANY($1::uuid[])`,
          [ids],
        );
        const seqOf = new Map<string, number>();
        for (const row of stored) {
          const pushed = events.find((event) => event.eventId === row.event_id)!;
          const same =
            row.lab_id === device.labId &&
            toNumber(row.device_seq) === pushed.deviceSeq &&
            row.hlc === pushed.hlc &&
            row.sig === pushed.sig &&
            toNumber(row.size) === pushed.size &&
            row.parents.length === pushed.parents.length &&
            row.parents.every((parent, i) => parent === pushed.parents[i]) &&
            row.envelope === pushed.envelope;
          if (!same) throw conflict(`Event ${pushed.eventId} was already pushed with different content; nothing was stored.`);
          seqOf.set(row.event_id, toNumber(row.server_seq));
        }

        const fresh = events.filter((event) => !seqOf.has(event.eventId));
        if (fresh.length > 0) {
          const counter = await tx.query<{ seq: unknown }>('UPDATE labs SET seq = seq + $2 WHERE id = $1 RETURNING seq', [
            device.labId,
            fresh.length,
          ]);
          const first = toNumber(counter[0]!.seq) - fresh.length + 1;
          const inserted = await tx.query<{ event_id: string; server_seq: unknown }>(
            `INSERT INTO events (lab_id, server_seq, event_id, device_id, device_seq, hlc, parents, sig, envelope, size)
             SELECT $1, t.seq, t.event_id, $2, t.device_seq, t.hlc,
                    ARRAY(SELECT jsonb_array_elements_text(t.parents)), t.sig, t.envelope, t.size
             FROM unnest($3::bigint[], $4::uuid[], $5::bigint[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::int[])
                  AS t(seq, event_id, device_seq, hlc, parents, sig, envelope, size)
             ON CONFLICT (event_id) DO NOTHING
             RETURNING event_id, server_seq`,
            [
              device.labId,
              device.id,
              fresh.map((_, i) => first + i),
              fresh.map((e) => e.eventId),
              fresh.map((e) => e.deviceSeq),
              fresh.map((e) => e.hlc),
              fresh.map((e) => JSON.stringify(e.parents)),
              fresh.map((e) => e.sig),
              fresh.map((e) => e.envelope),
              fresh.map((e) => e.size),
            ],
          );
          // Only a push to another lab racing with the same event id can get here: refuse it whole.
          if (inserted.length !== fresh.length) throw conflict('An event id in this push is already used; nothing was stored.');
          for (const row of inserted) seqOf.set(row.event_id, toNumber(row.server_seq));
        }
        return { results: ids.map((eventId) => ({ eventId, serverSeq: seqOf.get(eventId)! })), added: fresh.length };
      });
      if (added > 0) signals.notify(device.labId);
      return { results };
    },
  );

  app.get('/api/labs/:lab/events', async (request, reply): Promise<PullResponse> => {
    const device = await authenticate(store, request);
    const query = parseOr400(pullQuerySchema, request.query);

    const read = async (): Promise<PullResponse> => {
      const rows = await store.query<StoredRow>(
        `SELECT event_id, server_seq, device_id, device_seq, hlc, parents, sig, envelope, size
         FROM events WHERE lab_id = $1 AND server_seq > $2 ORDER BY server_seq LIMIT $3`,
        [device.labId, query.after, query.limit + 1],
      );
      const page = rows.slice(0, query.limit);
      const events: PulledEvent[] = page.map((row) => ({
        serverSeq: toNumber(row.server_seq),
        eventId: row.event_id,
        deviceId: row.device_id,
        deviceSeq: toNumber(row.device_seq),
        hlc: row.hlc,
        parents: row.parents,
        sig: row.sig,
        envelope: row.envelope,
        size: toNumber(row.size),
      }));
      return { events, next: events.at(-1)?.serverSeq ?? query.after, more: rows.length > query.limit };
    };

    if (query.wait === 0) return read();
    // Long-poll: listen before reading, so a push that commits in between still wakes us.
    const aborted = new AbortController();
    reply.raw.once('close', () => aborted.abort());
    const waiter = signals.wait(device.labId, Math.min(query.wait, SYNC_LIMITS.maxWaitSeconds) * 1000, aborted.signal);
    const first = await read();
    if (first.events.length > 0) {
      waiter.cancel();
      return first;
    }
    await waiter.promise;
    return read();
  });
}
