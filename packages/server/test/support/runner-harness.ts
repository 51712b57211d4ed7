import type { Database } from '@app/db';
import { createLlmClient } from '../../src/llm/llm-client.js';
import { createLogger } from '../../src/logger.js';
import { createChatReplyHandler } from '../../src/runner/chat-reply.js';
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

/** In-memory database, app, fake LLM and the built-in runner wired to it. */
export async function runnerHarness({ maxRetries = 2, db: given }: { maxRetries?: number; db?: Database } = {}): Promise<RunnerHarness> {
  const db = given ?? (await memoryDatabase());
  const app = await testApp(db);
  const llm = await startFakeLlmServer();
  const model = createLlmClient({ baseUrl: llm.url, apiKey: 'test-key', model: 'fake', maxRetries, baseDelayMs: 10, maxDelayMs: 50 });
  const runner = createRunner({
    db,
    hub: app.hub,
    logger: createLogger('silent'),
    concurrency: 2,
    pollIntervalMs: 100,
    handlers: { 'chat.reply': createChatReplyHandler({ model, systemPrompt: 'Be brief.' }) },
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
