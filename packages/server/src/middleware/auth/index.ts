import { createMiddleware } from 'hono/factory';
import type { AccessTokenVerifier, Caller } from '../../auth/access-token-verifier.js';
import { ApiError } from '../../http/api-error.js';

export type AuthEnv = { Variables: { caller: Caller } };

/**
 * Requires `Authorization: Bearer <access token>` (never a token in the URL) and puts the
 * verified caller on the context.
 *
 * @example
 * app.get('/api/tasks/:id', requireCaller(verify), (c) => c.json(c.get('caller').userId));
 */
export const requireCaller = (verify: AccessTokenVerifier) =>
  createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match)
      throw new ApiError(401, 'unauthorized', 'send an access token: Authorization: Bearer <token>', { 'www-authenticate': 'Bearer' });
    const caller = await verify(match[1]!);
    if (!caller) {
      throw new ApiError(401, 'invalid_token', 'the access token is invalid or expired; refresh the session', {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    c.set('caller', caller);
    await next();
  });
