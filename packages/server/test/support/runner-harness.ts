import type { Database } from '@app/db';
import type { Logger } from 'pino';
import type { ServerDatabase } from '../../src/db/types.js';
import { createLlmClient } from '../../src/llm/llm-client.js';
import { createLogger } from '../../src/logger.js';
import { createChatReplyHandler, type ReplyModel } from '../../src/runner/chat-reply.js';
import { createRunner } from '../../src/runner/runner.js';
import { startFakeLlmServer, type FakeLlmServer } from './fake-llm-server.js';
import { memoryDatabase, testApp, type TestApp } from './test-app.js';

export interface RunnerHarness extends TestApp {
  llm: FakeLlmServer;
  runner: ReturnType<typeof createRunner>;
  /** The task row as the service role sees it. */
  task(id: string): Promise<Record<string, any>>;
  assistantMessages(taskId: string): Promise<number>;
  dispose(): Promise<void>;
}

export interface RunnerHarnessOptions {
  maxRetries?: number;
  /** The database (default: a private PGlite, closed by dispose()). */
  db?: Database;
  /** How often the runner writes a streamed reply at most (default 100 ms, as configured by default). */
  streamFlushIntervalMs?: number;
  logger?: Logger;
  /** The reply model (default: the LLM client, calling the fake LLM). */
  model?: ReplyModel;
  /** Sees every statement the runner runs as the worker role, before it runs. */
  onWorkerQuery?: (sql: string, params: unknown[]) => void;
  /** Settings for the app (attachments: UPLOAD_*, LLM_ACCEPTS_IMAGES, S3_*). */
  env?: Record<string, string>;
}

/** In-memory database, app, fake LLM and the built-in runner wired to it. */
export async function runnerHarness({
  maxRetries = 2,
  db: given,
  streamFlushIntervalMs,
  logger = createLogger('silent'),
  onWorkerQuery,
  model: givenModel,
  env = {},
}: RunnerHarnessOptions = {}): Promise<RunnerHarness> {
  const db = given ?? (await memoryDatabase());
  const app = await testApp(db, env);
  const llm = await startFakeLlmServer();
  const model =
    givenModel ?? createLlmClient({ baseUrl: llm.url, apiKey: 'test-key', model: 'fake', maxRetries, baseDelayMs: 10, maxDelayMs: 50 });
  const runnerDb: ServerDatabase = onWorkerQuery
    ? {
        ...db,
        asWorker: (fn) =>
          db.asWorker((tx) =>
            fn({
              query: (sql, params = []) => {
                onWorkerQuery(sql, params);
                return tx.query(sql, params);
              },
            }),
          ),
        asWorkerStatement: (sql, params = []) => {
          onWorkerQuery(sql, params);
          return db.asWorkerStatement(sql, params);
        },
      }
    : db;
  const runner = createRunner({
    db: runnerDb,
    hub: app.hub,
    logger,
    concurrency: 2,
    pollIntervalMs: 100,
    streamFlushIntervalMs,
    handlers: {
      'chat.reply': createChatReplyHandler({
        model,
        systemPrompt: 'Be brief.',
        attachments: { storage: app.uploads.storage, modelTakesImages: app.config.uploads.modelTakesImages, textBudgetChars: 12_000 },
      }),
    },
  });
  return {
    ...app,
    llm,
    runner,
    async task(id) {
      const { rows } = await db.asService((tx) => tx.query<Record<string, any>>('select * from async_tasks where id = $1', [id]));
      return rows[0]!;
    },
    async assistantMessages(taskId) {
      const { rows } = await db.query<{ n: number }>(
        "select count(*)::int as n from chat_messages where async_task_id = $1 and role = 'assistant'",
        [taskId],
      );
      return rows[0]!.n;
    },
    async dispose() {
      await runner.stop(0);
      await app.hub.stop();
      await llm.close();
      if (!given) await db.close();
    },
  };
}
