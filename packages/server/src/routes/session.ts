import { Hono } from 'hono';
import { ApiError } from '../http/api-error.js';
import { readJson } from '../http/read-json.js';
import { emptyBody, refreshBody } from '../http/schemas.js';
import { clientIp } from '../middleware/rate-limit/client-ip.js';
import { rateLimit } from '../middleware/rate-limit/index.js';
import type { RouteDeps } from './deps.js';

/**
 * `POST /api/session` (a new anonymous visitor) and `POST /api/session/refresh` (the next pair;
 * the refresh token it was given is retired, see auth/session-tokens.ts).
 */
export function sessionRoutes({ config, tokens, logger, now }: RouteDeps) {
  const perIp = rateLimit(
    [{ name: 'session-ip', limitPerMinute: config.rateLimits.sessionPerIpPerMinute, key: (c) => clientIp(c, config.trustProxy) }],
    now,
  );
  return new Hono()
    .post('/', perIp, async (c) => {
      await readJson(c, emptyBody);
      return c.json(await tokens.issue(), 201);
    })
    .post('/refresh', async (c) => {
      const { refreshToken } = await readJson(c, refreshBody);
      const result = await tokens.refresh(refreshToken);
      if ('refused' in result) {
        // A retired token presented again: someone holds a copy. The whole family is revoked now.
        if (result.refused === 'reused')
          logger.warn({ requestId: c.get('requestId' as never) }, 'refresh token reused: its session is revoked');
        throw new ApiError(401, 'invalid_refresh_token', 'the refresh token is invalid, expired or revoked; start a new session');
      }
      return c.json(result.session, 200);
    });
}
