// Push and pull of a lab's events.
//
// Order: each push takes its lab's row lock and numbers its new events from the lab's
// counter inside its own transaction, so a push can only number after the one before it
// has committed and numbers become visible in order. A pull "after N" therefore never
// skips a late commit, which an identity or sequence column would (docs/deploy.md).
//
// Idempotence: an event id already stored with the same content returns its stored number
// and changes nothing; with different content the whole push is refused (409).
//
// Linear chains (compare-and-set): an event on an audit chain names the entry before it in
// parents[0]. Its new events are accepted only if each extends its chain's head as stored
// in chain_heads (or the event before it in the same push, or 64 zeros for a new chain).
// Otherwise another device appended first: the whole push is refused (409, the stale
// chains named) so the device pulls, reconciles and pushes again. The lab row lock above
// makes the read of the heads and their update one step for concurrent pushes.
import { GENESIS } from '../../src/domain/audit-chain';
import { pullQuerySchema, pushRequestSchema, type PullResponse, type PulledEvent, type PushResponse, SYNC_LIMITS } from '../../src/domain/sync-wire';
import { authenticate, perDevice } from '../auth';
import { toNumber } from '../db/store';
import { conflict, notFound, parseOr400 } from '../http-errors';
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
  chain: string | null;
  hash: string | null;
};

type ChainLink = { chain?: string | undefined; hash?: string | undefined; parents: string[] };

/**
 * A join's first pass: of each case's chain only its head event, the one whose hash chain_heads
 * holds (a push only ever extends it): one key lookup a row, ≈ 6× faster than finding each chain's
 * newest event at 10,000 cases on PGlite. A case's chain is named by its random id; the lab log and
 * devices' own chains are not case chains and come whole.
 */
const HEADS_ONLY = `AND (chain IS NULL OR chain = 'lab' OR chain LIKE 'device:%'
  OR EXISTS (SELECT 1 FROM chain_heads h WHERE h.lab_id = e.lab_id AND h.chain = e.chain AND h.head = e.hash))`;

/**
 * The chains whose new events do not extend their head, in the order first met. `heads` holds
 * the stored heads; an event extends the head as it stands after the events before it.
 */
export function staleChains(events: readonly ChainLink[], heads: ReadonlyMap<string, string>): string[] {
  const head = new Map(heads);
  const stale = new Set<string>();
  for (const { chain, hash, parents } of events) {
    if (chain === undefined || hash === undefined) continue;
    if (parents[0] !== (head.get(chain) ?? GENESIS)) stale.add(chain);
    head.set(chain, hash);
  }
  return [...stale];
}

const records = (n: number) => (n === 1 ? '1 record' : `${n} records`);

export function eventRoutes({ app, store, signals, limits }: RouteContext): void {
  app.post(
    '/api/labs/:lab/events',
    {
      bodyLimit: MAX_PUSH_BODY_BYTES,
      config: { rateLimit: perDevice(limits.push) },
    },
    async (request): Promise<PushResponse> => {
      const device = await authenticate(store, request);
      const { events } = parseOr400(pushRequestSchema, request.body);
      const ids = events.map((event) => event.eventId);

      const { results, added } = await store.transaction(async (tx) => {
        const labs = await tx.query('SELECT seq FROM labs WHERE id = $1 FOR UPDATE', [device.labId]);
        if (labs.length === 0) throw notFound('There is no such lab on this server.');

        const stored = await tx.query<StoredRow>(
          `SELECT event_id, lab_id, server_seq, device_id, device_seq, hlc, parents, sig, envelope, size, chain, hash
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
            row.envelope === pushed.envelope &&
            row.chain === (pushed.chain ?? null) &&
            row.hash === (pushed.hash ?? null);
          if (!same) throw conflict(`Event ${pushed.eventId} was already pushed with different content; nothing was stored.`);
          seqOf.set(row.event_id, toNumber(row.server_seq));
        }

        const fresh = events.filter((event) => !seqOf.has(event.eventId));
        const chains = [...new Set(fresh.flatMap((event) => (event.chain === undefined ? [] : [event.chain])))];
        const heads = new Map<string, string>();
        if (chains.length > 0) {
          const rows = await tx.query<{ chain: string; head: string }>(
            'SELECT chain, head FROM chain_heads WHERE lab_id = $1 AND chain = ANY($2::text[])',
            [device.labId, chains],
          );
          for (const row of rows) heads.set(row.chain, row.head);
          const stale = staleChains(fresh, heads);
          if (stale.length > 0) {
            throw conflict(`Another device changed ${records(stale.length)} first: pull, then push again.`, { stale });
          }
        }

        if (fresh.length > 0) {
          const counter = await tx.query<{ seq: unknown }>('UPDATE labs SET seq = seq + $2 WHERE id = $1 RETURNING seq', [
            device.labId,
            fresh.length,
          ]);
          const first = toNumber(counter[0]!.seq) - fresh.length + 1;
          const inserted = await tx.query<{ event_id: string; server_seq: unknown }>(
            `INSERT INTO events (lab_id, server_seq, event_id, device_id, device_seq, hlc, parents, sig, envelope, size, chain, hash)
             SELECT $1, t.seq, t.event_id, $2, t.device_seq, t.hlc,
                    ARRAY(SELECT jsonb_array_elements_text(t.parents)), t.sig, t.envelope, t.size, t.chain, t.hash
             FROM unnest($3::bigint[], $4::uuid[], $5::bigint[], $6::text[], $7::jsonb[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[])
                  AS t(seq, event_id, device_seq, hlc, parents, sig, envelope, size, chain, hash)
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
              fresh.map((e) => e.chain ?? null),
              fresh.map((e) => e.hash ?? null),
            ],
          );
          // Only a push to another lab racing with the same event id can get here: refuse it whole.
          if (inserted.length !== fresh.length) throw conflict('An event id in this push is already used; nothing was stored.');
          for (const row of inserted) seqOf.set(row.event_id, toNumber(row.server_seq));

          const moved = new Map<string, string>();
          for (const event of fresh) if (event.chain !== undefined && event.hash !== undefined) moved.set(event.chain, event.hash);
          if (moved.size > 0) {
            await tx.query(
              `INSERT INTO chain_heads (lab_id, chain, head)
               SELECT $1, t.chain, t.head FROM unnest($2::text[], $3::text[]) AS t(chain, head)
               ON CONFLICT (lab_id, chain) DO UPDATE SET head = EXCLUDED.head`,
              [device.labId, [...moved.keys()], [...moved.values()]],
            );
          }
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
        `SELECT event_id, server_seq, device_id, device_seq, hlc, parents, sig, envelope, size, chain, hash
         FROM events e WHERE lab_id = $1 AND server_seq > $2 ${query.chain === undefined ? '' : 'AND chain = $4'} ${query.heads ? HEADS_ONLY : ''}
         ORDER BY server_seq LIMIT $3`,
        query.chain === undefined ? [device.labId, query.after, query.limit + 1] : [device.labId, query.after, query.limit + 1, query.chain],
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
        ...(row.chain === null ? {} : { chain: row.chain }),
        ...(row.hash === null ? {} : { hash: row.hash }),
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
