import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../../http/api-error.js';
import { createFixedWindowLimiter } from './fixed-window.js';

export interface RateLimitRule {
  name: string;
  limitPerMinute: number;
  /** The key to count under, or null to skip this rule for the request. */
  key: (c: Context) => string | null;
}

/**
 * Answers 429 with `Retry-After` once any rule's key went over its per-minute limit.
 *
 * @example
 * app.post('/api/chat/send', rateLimit([{ name: 'ip', limitPerMinute: 60, key: clientIp }]), handler);
 */
export function rateLimit(rules: RateLimitRule[], now?: () => number) {
  const limiters = rules.map((rule) => ({ rule, limiter: createFixedWindowLimiter({ limit: rule.limitPerMinute, now }) }));
  return createMiddleware(async (c, next) => {
    for (const { rule, limiter } of limiters) {
      const key = rule.key(c);
      if (key === null) continue;
      const wait = limiter.hit(`${rule.name}:${key}`);
      if (wait !== null) {
        throw new ApiError(429, 'rate_limited', `too many requests; try again in ${wait} s`, { 'retry-after': String(wait) });
      }
    }
    await next();
  });
}
