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
import { createChatReplyHandler } from './runner/chat-reply.js';
import { createN8nDispatcher } from './runner/n8n-dispatcher.js';
import { createRunner } from './runner/runner.js';
import { createSweeper } from './runner/sweeper.js';

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
  const { db, applied } = await openDatabase(config, { inMemory });
  if (applied.length) logger.info({ applied }, 'migrations applied');
  const jwtSecret = config.jwtSecret ?? persistedSecret(join(config.dataDir, 'server-jwt-secret'));

  const hub = createEventHub({ db, logger });
  await hub.start();

  const sweeper = createSweeper({ db, logger, intervalMs: config.sweepIntervalMs, lostAfterSeconds: config.runnerLostAfterSeconds });

  const app = createApp({ config, db, jwtSecret, hub, logger, ready: () => isReady(db, config.migrationsDir) });
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
        concurrency: Math.max(1, config.runnerConcurrency),
        pollIntervalMs: config.runnerPollIntervalMs,
      })
    : createRunner({
        db,
        hub,
        logger,
        concurrency: config.runnerConcurrency,
        pollIntervalMs: config.runnerPollIntervalMs,
        heartbeatIntervalMs: config.runnerHeartbeatIntervalMs,
        streamFlushIntervalMs: config.streamFlushIntervalMs,
        handlers: {
          'chat.reply': createChatReplyHandler({
            systemPrompt: config.llm.systemPrompt,
            promptMaxChars: config.promptMaxChars,
            model: config.llm.apiKey
              ? createLlmClient({
                  baseUrl: config.llm.baseUrl,
                  apiKey: config.llm.apiKey,
                  model: config.llm.model,
                  maxRetries: config.llm.maxRetries,
                })
              : createDemoModel({ delayMs: config.demoReplyDelayMs, wordDelayMs: config.demoWordDelayMs }),
          }),
        },
      });
  worker.start();
  sweeper.start();
  logger.info(
    {
      port,
      engine: db.engine,
      mode: config.n8nWebhookUrl ? 'n8n' : config.llm.apiKey ? 'runner' : 'runner-demo',
    },
    'server started',
  );

  let stopping: Promise<void> | null = null;
  return {
    url: `http://localhost:${port}`,
    port,
    db,
    logger,
    stop: () =>
      (stopping ??= (async () => {
        // Stop accepting connections first; open SSE streams are closed by closeAllConnections.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await worker.stop(config.shutdownGraceMs);
        await sweeper.stop();
        if ('closeAllConnections' in server) server.closeAllConnections();
        await closed;
        await hub.stop();
        await db.close();
        logger.info('server stopped');
      })()),
  };
}
