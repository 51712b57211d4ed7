import type { ServerDatabase } from '../../db/types.js';
import type { RateLimiter } from './limiter.js';

/**
 * The limiter every instance shares: the counters live in the database (`rate_limit_hit`, one
 * call per request whatever its number of keys, on the database clock), so N instances allow
 * what one allows. A database that does not answer fails the request (503 from the error
 * handler) rather than letting it through uncounted: nothing a limit guards works without the
 * database anyway.
 *
 * @example
 * const limiter = createDatabaseRateLimiter(db);
 * const wait = await limiter.hit([{ key: 'send-ip:203.0.113.7', limit: 60 }]);
 */
export function createDatabaseRateLimiter(db: ServerDatabase, { windowSeconds = 60 }: { windowSeconds?: number } = {}): RateLimiter {
  return {
    async hit(hits) {
      if (hits.length === 0) return null;
      // One statement, its own commit: a key's counter row is locked for the statement alone.
      // Inside a transaction the lock would last until the commit came back from this process,
      // and every request behind the same key (one address: a NAT, an office) would wait in line
      // for that round trip and whatever delayed it. The function is security definer and called
      // with its parameters only, so the login role runs it as service_role would.
      const { rows } = await db.query<{ wait: number | null }>(
        'select public.rate_limit_hit($1::text[], $2::int[], $3::int, $4::int[]) as wait',
        [hits.map((h) => h.key), hits.map((h) => h.limit), windowSeconds, hits.map((h) => h.cost ?? 1)],
      );
      return rows[0]?.wait ?? null;
    },
  };
}
