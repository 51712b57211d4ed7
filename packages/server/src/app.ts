import type { ErrorBody } from '@app/async-tasks/contract';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createAccessTokenVerifier } from './auth/access-token-verifier.js';
import { createDatabaseRefreshFamilies } from './auth/refresh-families.js';
import { createSessionTokens } from './auth/session-tokens.js';
import type { Config } from './config.js';
import type { ServerDatabase } from './db/types.js';
import type { EventHub } from './events/event-hub.js';
import { createEventHub } from './events/event-hub.js';
import { closeWhenBodyUnread } from './http/close-unread-body.js';
import { corsOrigin } from './http/cors-origins.js';
import { onError } from './http/on-error.js';
import { baseSecurityHeaders } from './http/security-headers.js';
import { createServerMetrics, type ServerMetrics } from './metrics/server-metrics.js';
import { createDatabaseRateLimiter } from './middleware/rate-limit/database-limiter.js';
import type { RateLimiter } from './middleware/rate-limit/limiter.js';
import { requestLimits } from './middleware/rate-limit/request-limits.js';
import { createStreamSlots } from './middleware/rate-limit/stream-slots.js';
import { requestLog } from './middleware/request-log/index.js';
import { serverRequestId } from './middleware/request-log/request-id.js';
import { chatRoutes } from './routes/chat.js';
import { conversationListRoutes } from './routes/conversation-list.js';
import { conversationRoutes } from './routes/conversations.js';
import { demoRoutes } from './routes/demo.js';
import type { RouteDeps } from './routes/deps.js';
import { healthRoutes } from './routes/health.js';
import { hookRoutes } from './routes/hooks.js';
import { llmRelayRoutes } from './routes/llm-relay.js';
import { messageRoutes } from './routes/messages.js';
import { metricsRoutes } from './routes/metrics.js';
import { sessionRoutes } from './routes/session.js';
import { taskRoutes } from './routes/tasks.js';
import { uploadRoutes } from './routes/uploads.js';
import { createN8nExecutionStopper, type ExecutionStopper } from './runner/n8n-execution-stopper.js';
import { createUploadServices, type UploadServices } from './uploads/upload-services.js';
import { createDatabaseReplayStore, type ReplayStore } from './webhooks/replay-store.js';
import type { Logger } from 'pino';
import { createLogger } from './logger.js';

export interface AppDeps {
  config: Config;
  db: ServerDatabase;
  /** The secret our visitor tokens are signed with (config.jwtSecret or the persisted one). */
  jwtSecret: string;
  hub?: EventHub;
  logger?: Logger;
  replayStore?: ReplayStore;
  ready?: () => Promise<boolean>;
  now?: () => number;
  /** Replaces the n8n execution stopper (tests). */
  stopExecution?: ExecutionStopper;
  /** Counts the rate limits; default: in the database, shared by every instance. */
  rateLimiter?: RateLimiter;
  /** This instance's metrics; default: a registry of the app's own (no process metrics). */
  metrics?: ServerMetrics;
  /** Upload storage and read URLs; default: from the config (the database, or the S3 bucket it names). */
  uploads?: UploadServices;
}

/**
 * The HTTP app, without a socket: `main.ts` serves it, tests call `app.request()`.
 *
 * @example
 * const app = createApp({ config, db, jwtSecret });
 * const res = await app.request('/api/session', { method: 'POST' });
 */
export function createApp({
  config,
  db,
  jwtSecret,
  hub = createEventHub(),
  logger = createLogger('silent'),
  replayStore = createDatabaseReplayStore(db),
  ready = async () => (await db.query('select 1 as ok')).rows.length === 1,
  now = Date.now,
  stopExecution,
  rateLimiter = createDatabaseRateLimiter(db),
  metrics = createServerMetrics({ db }),
  uploads = createUploadServices({ config, db, visitorKey: jwtSecret, logger, now }),
}: AppDeps) {
  const deps: RouteDeps = {
    config,
    db,
    hub,
    logger,
    replayStore,
    ready,
    now,
    metrics,
    uploads,
    limits: requestLimits(config, rateLimiter, metrics.rateLimited),
    streamSlots: createStreamSlots({
      db,
      maxPerVisitor: config.maxStreamsPerVisitor,
      maxPerIp: config.maxStreamsPerIp,
      logger,
      onRefused: (cap) => metrics.rateLimited(`open_streams_${cap}`),
    }),
    stopExecution: stopExecution ?? createN8nExecutionStopper({ api: config.n8nApi, logger }),
    tokens: createSessionTokens({
      secret: jwtSecret,
      accessTtlSeconds: config.accessTokenTtlSeconds,
      refreshTtlSeconds: config.refreshTokenTtlSeconds,
      families: createDatabaseRefreshFamilies(db),
      now,
    }),
    verify: createAccessTokenVerifier({
      secret: jwtSecret,
      supabaseJwtSecret: config.supabaseJwtSecret,
      supabaseJwksUrl: config.supabaseJwksUrl,
      now,
    }),
  };

  const app = new Hono();
  app.use(serverRequestId());
  app.use(closeWhenBodyUnread());
  app.use(baseSecurityHeaders());
  app.use(requestLog(logger));
  app.use(
    '/api/*',
    cors({
      origin: corsOrigin(config.corsOrigins, logger),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'last-event-id'],
      exposeHeaders: ['retry-after', 'x-request-id'],
      maxAge: 600,
    }),
  );
  // Before the API's body limit: a relayed LLM request carries a whole conversation (its own limit).
  app.route('/api/llm-relay', llmRelayRoutes(deps));
  // Files have their own limit (UPLOAD_MAX_FILE_BYTES), checked while the body streams in.
  app.route('/api/uploads', uploadRoutes(deps));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: (c) =>
        c.json(
          { error: { code: 'payload_too_large', message: `the body is larger than ${config.bodyLimitBytes} bytes` } } satisfies ErrorBody,
          413,
        ),
    }),
  );
  app.onError(onError(logger));
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } } satisfies ErrorBody, 404),
  );

  // The session endpoints' shared limits (the other endpoints apply theirs in their routes).
  app.post('/api/session', deps.limits.session);
  app.post('/api/session/refresh', deps.limits.refresh);
  app.route('/api/session', sessionRoutes(deps));
  app.route('/api/chat', chatRoutes(deps));
  app.route('/api/conversations', conversationListRoutes(deps));
  app.route('/api/conversations', conversationRoutes(deps));
  app.route('/api/messages', messageRoutes(deps));
  app.route('/api/tasks', taskRoutes(deps));
  app.route('/api/hooks', hookRoutes(deps));
  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/', demoRoutes(deps));
  return app;
}
