import { Hono } from 'hono';
import { ApiError } from '../http/api-error.js';
import { readJson } from '../http/read-json.js';
import { emptyBody, refreshBody } from '../http/schemas.js';
import type { RouteDeps } from './deps.js';

/**
 * `POST /api/session` (a new anonymous visitor) and `POST /api/session/refresh` (the next pair;
 * the refresh token it was given is retired, see auth/session-tokens.ts). Their per-IP limits
 * are the shared ones, applied in app.ts before these routes.
 */
export function sessionRoutes({ tokens, logger }: RouteDeps) {
  return new Hono()
    .post('/', async (c) => {
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
