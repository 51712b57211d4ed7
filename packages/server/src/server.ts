import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Database } from '@app/db';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { persistedSecret } from './auth/persisted-secret.js';
import type { Config } from './config.js';
import { isReady, openDatabase } from './db/open-database.js';
import { createEventHub } from './events/event-hub.js';
import { createLlmClient } from './llm/llm-client.js';
import { createDemoModel } from './llm/demo-model.js';
import { createLogger } from './logger.js';
import { createServerMetrics, llmObserver } from './metrics/server-metrics.js';
import { createChatReplyHandler } from './runner/chat-reply.js';
import { createN8nDispatcher } from './runner/n8n-dispatcher.js';
import { createRunner } from './runner/runner.js';
import { createSweeper } from './runner/sweeper.js';
import { startUpSummary } from './startup/start-up-summary.js';
import { startUpWarnings } from './startup/start-up-warnings.js';
import { createUploadServices } from './uploads/upload-services.js';
import { attachmentsOfTask } from './uploads/worker-attachments.js';

/** This server as a process on the same machine reaches it (a wildcard bind answers on loopback). */
function ownUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Database;
  logger: Logger;
  /** What it runs with, one line each (database, LLM, who makes the replies, origins, metrics). */
  summary: string[];
  /** Stops taking work, lets in-flight tasks finish (or releases them) within the grace, closes all. */
  stop(): Promise<void>;
}

/**
 * Starts everything `pnpm start` runs: database + migrations, HTTP, LISTEN fan-out, runner or
 * n8n dispatcher, sweep timer.
 *
 * @example
 * const server = await startServer(loadConfig());
 * console.log(server.url); … await server.stop();
 */
export async function startServer(
  config: Config,
  { logger = createLogger(config.logLevel), inMemory = false } = {},
): Promise<RunningServer> {
  // Said first: they hold even when the database then cannot be reached.
  for (const { variable, message } of startUpWarnings(config)) logger.warn({ variable }, message);
  const { db } = await openDatabase(config, { inMemory, logger });
  // The process's own metrics (CPU, memory, event-loop lag) only here: one registry per process.
  const metrics = createServerMetrics({ db, processMetrics: true });
  const jwtSecret = config.jwtSecret ?? persistedSecret(join(config.dataDir, 'server-jwt-secret'));

  const hub = createEventHub({ db, logger });
  await hub.start();

  const sweeper = createSweeper({ db, logger, intervalMs: config.sweepIntervalMs, lostAfterSeconds: config.runnerLostAfterSeconds });

  const uploads = createUploadServices({ config, db, visitorKey: jwtSecret, logger });
  const app = createApp({ config, db, jwtSecret, hub, logger, metrics, uploads, ready: () => isReady(db, config.migrationsDir) });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Made once the port is known: the n8n dispatcher hands out relay URLs on this server.
  const worker = config.n8nWebhookUrl
    ? createN8nDispatcher({
        db,
        hub,
        logger,
        webhookUrl: config.n8nWebhookUrl,
        secret: config.webhookSecret!,
        relayPublicUrl: config.relayPublicUrl ?? ownUrl(config.host, port),
        attachments: (task) =>
          db.asWorker((tx) => attachmentsOfTask(tx, task.id, uploads.urls, config.relayPublicUrl ?? ownUrl(config.host, port))),
        concurrency: config.n8nDispatchConcurrency,
        pollIntervalMs: config.runnerPollIntervalMs,
        metrics,
      })
    : createRunner({
        db,
        hub,
        logger,
        concurrency: config.runnerConcurrency,
        pollIntervalMs: config.runnerPollIntervalMs,
        heartbeatIntervalMs: config.runnerHeartbeatIntervalMs,
        streamFlushIntervalMs: config.streamFlushIntervalMs,
        metrics,
        handlers: {
          'chat.reply': createChatReplyHandler({
            systemPrompt: config.llm.systemPrompt,
            promptMaxChars: config.promptMaxChars,
            attachments: {
              storage: uploads.storage,
              modelTakesImages: config.uploads.modelTakesImages,
              textBudgetChars: Math.floor(config.promptMaxChars / 2),
            },
            model: config.llm.apiKey
              ? createLlmClient({
                  baseUrl: config.llm.baseUrl,
                  apiKey: config.llm.apiKey,
                  model: config.llm.model,
                  maxRetries: config.llm.maxRetries,
                  observer: llmObserver(metrics),
                })
              : createDemoModel({ delayMs: config.demoReplyDelayMs, wordDelayMs: config.demoWordDelayMs }),
          }),
        },
      });
  worker.start();
  sweeper.start();
  uploads.cleanup.start();
  const { lines: summary, ...summaryFields } = startUpSummary(config);
  logger.info(
    {
      port,
      engine: db.engine,
      mode: config.n8nWebhookUrl ? 'n8n' : config.llm.apiKey ? 'runner' : 'runner-demo',
      ...summaryFields,
    },
    'server started',
  );

  let stopping: Promise<void> | null = null;
  return {
    url: `http://localhost:${port}`,
    port,
    db,
    logger,
    summary,
    stop: () =>
      (stopping ??= (async () => {
        // Stop accepting connections first; open SSE streams are closed by closeAllConnections.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await worker.stop(config.shutdownGraceMs);
        await sweeper.stop();
        await uploads.cleanup.stop();
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closed;
        await hub.stop();
        await db.close();
        logger.info('server stopped');
      })()),
  };
}
