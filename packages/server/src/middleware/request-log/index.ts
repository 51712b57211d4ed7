import { createMiddleware } from 'hono/factory';
import type { Logger } from 'pino';

/**
 * One JSON log line per request: request id (the server's, and the client's own when it sent a
 * well-formed one, see request-id.ts), method, route, status, duration, user id. No bodies, no
 * query strings, no other headers.
 */
export const requestLog = (logger: Logger) =>
  createMiddleware(async (c, next) => {
    const started = performance.now();
    await next();
    const caller = c.get('caller' as never) as { userId?: string } | undefined;
    const status = c.res.status;
    logger[status >= 500 ? 'error' : 'info'](
      {
        requestId: c.get('requestId' as never),
        clientRequestId: c.get('clientRequestId' as never),
        method: c.req.method,
        route: c.req.routePath,
        status,
        ms: Math.round(performance.now() - started),
        userId: caller?.userId,
      },
      'request',
    );
  });
