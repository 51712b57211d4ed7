import type { ErrorBody } from '@app/async-tasks/contract';
import { Hono } from 'hono';
import type { RouteDeps } from './deps.js';

/** `GET /healthz` (the process answers) and `GET /readyz` (database reachable, migrations applied). */
export function healthRoutes({ ready, logger }: RouteDeps) {
  return new Hono()
    .get('/healthz', (c) => c.json({ ok: true }))
    .get('/readyz', async (c) => {
      let ok = false;
      try {
        ok = await ready();
      } catch (error) {
        logger.warn({ err: error }, 'readiness check failed');
      }
      return ok
        ? c.json({ ok: true })
        : c.json(
            { ok: false, error: { code: 'not_ready', message: 'database unreachable or migrations pending' } } satisfies ErrorBody & {
              ok: false;
            },
            503,
          );
    });
}
