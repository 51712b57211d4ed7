import type { Context } from 'hono';
import type { Config } from '../../config.js';
import { clientIpKey } from './client-ip.js';
import { type RateLimitRule, rateLimit } from './index.js';
import type { RateLimiter } from './limiter.js';

type Middleware = ReturnType<typeof rateLimit>;

/** The rate limit of each endpoint that costs money or rows, per visitor and per IP. */
export interface RequestLimits {
  /** `POST /api/chat/send`: a message row and an LLM call. */
  send: Middleware;
  /** `POST /api/tasks`: a task row and up to `maxAttempts` dispatches. */
  createTask: Middleware;
  /** `POST /api/tasks/:id/retry`: another attempt, another LLM call or dispatch. */
  retry: Middleware;
  /** `POST /api/session`: a new visitor (no row yet, but every visitor gets their own limits). */
  session: Middleware;
  /** `POST /api/session/refresh`. */
  refresh: Middleware;
  /** Opening an SSE stream (the open ones are capped by the stream slots as well). */
  openStream: Middleware;
  /**
   * Creating, renaming and deleting conversations and rating replies: each a row written (a rating
   * also a webhook delivery). Regenerate and edit are sends (`send`).
   */
  manage: Middleware;
  /** `POST /api/uploads`: a file checked (decoded, re-encoded) and stored. */
  upload: Middleware;
}

/**
 * Every endpoint's limits from the configuration, counted by `limiter` (the database limiter in
 * the server, shared by all instances). Per-visitor rules run after authentication (they need the
 * caller); the session endpoints have no visitor yet and count per IP only.
 *
 * @example
 * const limits = requestLimits(config, createDatabaseRateLimiter(db));
 * routes.post('/send', requireCaller(verify), limits.send, handler);
 */
export function requestLimits(
  config: Pick<Config, 'rateLimits' | 'trustProxy'>,
  limiter: RateLimiter,
  /** Told the limit's name (`send`, `session`…) each time it refuses a request. */
  onRefused: (limit: string) => void = () => {},
): RequestLimits {
  const r = config.rateLimits;
  const byVisitor = (name: string, limitPerMinute: number): RateLimitRule => ({
    name: `${name}-visitor`,
    limitPerMinute,
    key: (c: Context) => (c.get('caller' as never) as { userId: string } | undefined)?.userId ?? null,
  });
  const byIp = (name: string, limitPerMinute: number): RateLimitRule => ({
    name: `${name}-ip`,
    limitPerMinute,
    key: (c: Context) => clientIpKey(c, config.trustProxy),
  });
  const both = (name: string, perVisitor: number, perIp: number) =>
    rateLimit([byVisitor(name, perVisitor), byIp(name, perIp)], limiter, () => onRefused(name));
  return {
    send: both('send', r.sendPerVisitorPerMinute, r.sendPerIpPerMinute),
    createTask: both('task', r.taskPerVisitorPerMinute, r.taskPerIpPerMinute),
    retry: both('retry', r.retryPerVisitorPerMinute, r.retryPerIpPerMinute),
    session: rateLimit([byIp('session', r.sessionPerIpPerMinute)], limiter, () => onRefused('session')),
    refresh: rateLimit([byIp('refresh', r.refreshPerIpPerMinute)], limiter, () => onRefused('refresh')),
    openStream: both('stream', r.streamPerVisitorPerMinute, r.streamPerIpPerMinute),
    manage: both('manage', r.managePerVisitorPerMinute, r.managePerIpPerMinute),
    upload: both('upload', r.uploadPerVisitorPerMinute, r.uploadPerIpPerMinute),
  };
}
