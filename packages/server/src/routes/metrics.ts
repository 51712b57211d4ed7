import { createHash, timingSafeEqual } from 'node:crypto';
import type { ErrorBody } from '@app/async-tasks/contract';
import { Hono } from 'hono';
import type { ServerMetrics } from '../metrics/server-metrics.js';
import type { RouteDeps } from './deps.js';

/** Compares in constant time whatever the lengths: both sides are hashed first. */
const sameToken = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

/**
 * `GET /metrics`: this instance's metrics in Prometheus' text format, for a scraper holding
 * `METRICS_TOKEN` as a bearer token. Without the setting the route does not exist (404, the same
 * answer as any unknown path): metrics tell how busy the service is and which errors it meets,
 * so they are never open by default.
 */
export function metricsRoutes({ config, metrics }: Pick<RouteDeps, 'config'> & { metrics: ServerMetrics }) {
  const token = config.metrics.token;
  return new Hono().get('/metrics', async (c) => {
    if (token === null) {
      return c.json({ error: { code: 'not_found', message: `no route for GET ${c.req.path}` } } satisfies ErrorBody, 404);
    }
    const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? '';
    if (!sameToken(given, token)) {
      c.header('www-authenticate', 'Bearer realm="metrics"');
      return c.json(
        { error: { code: 'unauthorized', message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>' } } satisfies ErrorBody,
        401,
      );
    }
    c.header('content-type', metrics.registry.contentType);
    c.header('cache-control', 'no-store');
    return c.body(await metrics.registry.metrics());
  });
}
