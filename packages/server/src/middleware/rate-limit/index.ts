import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../http/api-error.js';
import type { RateLimiter } from './limiter.js';

export interface RateLimitRule {
  name: string;
  /** 0 turns the rule off. */
  limitPerMinute: number;
  /** The key to count under, or null to skip this rule for the request. */
  key: (c: Context) => string | null;
}

/**
 * Answers 429 `rate_limited` with `Retry-After` once any rule's key went over its per-minute
 * limit. Counts with `limiter`: in the server, the database limiter every instance shares (a
 * limiter is always given, so no route can count in one process's memory by accident).
 *
 * @example
 * app.post('/api/chat/send', rateLimit([{ name: 'send-ip', limitPerMinute: 60, key: (c) => clientIp(c, false) }], limiter), handler);
 */
export function rateLimit(rules: RateLimitRule[], counter: RateLimiter, onRefused?: () => void) {
  const active = rules.filter((rule) => rule.limitPerMinute > 0);
  return createMiddleware(async (c, next) => {
    const hits = [];
    for (const rule of active) {
      const key = rule.key(c);
      if (key !== null) hits.push({ key: `${rule.name}:${key}`, limit: rule.limitPerMinute });
    }
    const wait = hits.length > 0 ? await counter.hit(hits) : null;
    if (wait !== null) {
      onRefused?.();
      throw new ApiError(429, 'rate_limited', `too many requests; try again in ${wait} s`, { 'retry-after': String(wait) });
    }
    await next();
  });
}

export type { RateLimiter, RateLimitHit } from './limiter.js';
