import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ServerDatabase } from '../../db/types.js';
import { ApiError } from '../../http/api-error.js';

export interface StreamSlots {
  /**
   * Takes a slot for a stream of `visitor` from `ip` (its {@link ipKey}), or throws
   * `429 too_many_streams` when the visitor or the IP already holds its cap of open streams on
   * all instances together. Resolves with the release, to call once the stream has closed.
   */
  take(visitor: string, ip: string): Promise<() => void>;
}

/**
 * Caps on open SSE streams, per visitor and per IP, shared by every instance: each open stream
 * holds a slot in the database (`stream_slot_take`). Each stream costs a socket, a subscriber
 * and a re-read per change; a page needs one or two. A slot is a lease the instance renews
 * while it holds any (every third of the lease), so the slots of an instance that died free
 * themselves within one lease.
 *
 * @example
 * const release = await slots.take(caller.userId, clientIpKey(c, trustProxy));
 * stream.onClose(release);
 */
export function createStreamSlots({
  db,
  maxPerVisitor,
  maxPerIp,
  logger,
  leaseSeconds = 60,
  onRefused = () => {},
}: {
  db: ServerDatabase;
  maxPerVisitor: number;
  maxPerIp: number;
  logger?: Logger;
  leaseSeconds?: number;
  /** Told which cap was full each time a stream is refused. */
  onRefused?: (cap: 'visitor' | 'ip') => void;
}): StreamSlots {
  const instance = randomUUID();
  const held = new Set<string>();
  let renewal: ReturnType<typeof setInterval> | null = null;

  const renew = () =>
    Promise.resolve()
      .then(() => db.query('select public.stream_slots_renew($1::uuid, $2::int)', [instance, leaseSeconds]))
      .catch((error: unknown) => logger?.warn({ err: error }, 'stream slots not renewed; retrying at the next tick'));
  const holding = () => {
    if (renewal || held.size === 0) return;
    renewal = setInterval(() => void renew(), (leaseSeconds * 1000) / 3);
    renewal.unref();
  };
  const idle = () => {
    if (!renewal || held.size > 0) return;
    clearInterval(renewal);
    renewal = null;
  };

  return {
    async take(visitor, ip) {
      if (maxPerVisitor <= 0 && maxPerIp <= 0) return () => {};
      const slot = randomUUID();
      // One statement, its own commit (as the rate limiter's): the visitor's and the address's
      // locks last for the statement, not for a round trip to this process.
      const { rows } = await db.query<{ full: 'visitor' | 'ip' | null }>(
        'select public.stream_slot_take($1::uuid, $2::uuid, $3::text, $4::text, $5::int, $6::int, $7::int) as full',
        [slot, instance, visitor, ip, maxPerVisitor, maxPerIp, leaseSeconds],
      );
      const full = rows[0]?.full ?? null;
      if (full) {
        onRefused(full);
        const message =
          full === 'visitor'
            ? `at most ${maxPerVisitor} open streams per visitor; close one first`
            : `at most ${maxPerIp} open streams from one address; close one first`;
        throw new ApiError(429, 'too_many_streams', message, { 'retry-after': '5' });
      }
      held.add(slot);
      holding();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(slot);
        idle();
        // Not awaited: the stream has closed already. A release that fails expires with its lease.
        void Promise.resolve()
          .then(() => db.query('select public.stream_slot_release($1::uuid)', [slot]))
          .catch((error: unknown) => logger?.warn({ err: error }, 'stream slot not released; it expires with its lease'));
      };
    },
  };
}
