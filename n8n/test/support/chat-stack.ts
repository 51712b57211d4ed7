import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@app/db';
import { freePort } from '@app/test-support';
import { startFakeLlmServer, type FakeLlmServer } from '../../../packages/server/test/support/fake-llm-server.js';
import { setupN8n, WEBHOOK_PATH } from '../../scripts/setup.mjs';
import { createChatDatabase, type ChatDatabase } from './chat-database.js';
import { startN8n, n8nEnv, type N8nProcess, type N8nSharedEnv } from './n8n-process.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { deleteQueueKeys } from './redis.js';

export interface QueueModeOptions {
  workers: number;
  redisDb: number;
}

export interface ChatStackOptions {
  queue?: QueueModeOptions;
  /** Reference server replicas on the one database (default 1), as behind a load balancer. */
  servers?: number;
}

export interface ChatStack {
  db: ChatDatabase;
  llm: FakeLlmServer;
  /** The first replica. */
  server: ReferenceServer;
  servers: ReferenceServer[];
  main: N8nProcess;
  workers: N8nProcess[];
  webhookUrl: string;
  webhookSecret: string;
  /** Kills the main n8n process (SIGKILL: no graceful shutdown, like a crashed host). */
  killMain(): Promise<void>;
  /** Starts the main n8n process again on the same port, user folder and database. */
  restartMain(): Promise<void>;
  /** Everything n8n printed so far (for diagnosing a failure). */
  n8nOutput(): string;
  stop(): Promise<void>;
}

/**
 * Starts the whole chain on 127.0.0.1: a throwaway database, a fake LLM, n8n with the workflows
 * imported and activated by scripts/setup.mjs (regular mode on SQLite, or queue mode: main + workers
 * over Redis with n8n's own database on PostgreSQL), and the reference server dispatching to n8n.
 * Whatever started is stopped again when a later step fails.
 */
export async function startChatStack(bin: string, { queue, servers: replicas = 1 }: ChatStackOptions = {}): Promise<ChatStack> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => console.warn(`[n8n e2e] cleanup: ${error.message}`));
    cleanups.length = 0;
  };
  try {
    const db = await createChatDatabase();
    cleanups.push(() => db.drop());
    const llm = await startFakeLlmServer();
    cleanups.push(() => llm.close());

    const userFolder = mkdtempSync(join(tmpdir(), 'async-chat-n8n-'));
    cleanups.push(async () => rmSync(userFolder, { recursive: true, force: true }));
    const webhookSecret = randomBytes(24).toString('base64url');
    const env: Record<string, string> = {
      WEBHOOK_SECRET: webhookSecret,
      LLM_BASE_URL: llm.url,
      LLM_MODEL: 'fake-model',
      // The placeholder is empty without metadata (the prompt is then exactly the sentence).
      LLM_SYSTEM_PROMPT: 'You are the test assistant.{{metadata.testNote}}',
    };
    if (queue) {
      // n8n's own tables on PostgreSQL (SQLite cannot be shared by several processes).
      const n8nDb = await createTestDatabase();
      cleanups.push(() => n8nDb.drop());
      const url = new URL(n8nDb.url);
      Object.assign(env, {
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_HOST: url.hostname,
        DB_POSTGRESDB_PORT: url.port || '5432',
        DB_POSTGRESDB_DATABASE: url.pathname.slice(1),
        DB_POSTGRESDB_USER: decodeURIComponent(url.username),
        DB_POSTGRESDB_PASSWORD: decodeURIComponent(url.password),
        EXECUTIONS_MODE: 'queue',
        QUEUE_BULL_REDIS_HOST: '127.0.0.1',
        QUEUE_BULL_REDIS_PORT: '6379',
        QUEUE_BULL_REDIS_DB: String(queue.redisDb),
        QUEUE_BULL_PREFIX: `async-chat-e2e-${randomBytes(4).toString('hex')}`,
        OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
      });
      const prefix = env.QUEUE_BULL_PREFIX!;
      cleanups.push(() => deleteQueueKeys(queue.redisDb, prefix)); // runs after the n8n processes stopped
    }
    const shared: N8nSharedEnv = { env, userFolder };

    const port = await freePort();
    await setupN8n({
      bin,
      env: n8nEnv(shared, port, await freePort()),
      databaseUrl: db.workerUrl,
      llmApiKey: 'test-llm-key',
      log: () => undefined,
    });

    // n8n main, its workers and the server start side by side (each takes seconds to boot).
    const webhookUrl = `http://127.0.0.1:${port}/webhook/${WEBHOOK_PATH}`;
    const mainBrokerPort = await freePort();
    const serverPorts = await Promise.all(Array.from({ length: replicas }, () => freePort()));
    const workerPorts = await Promise.all(
      Array.from({ length: queue?.workers ?? 0 }, async () => [await freePort(), await freePort()] as const),
    );
    const jwtSecret = randomBytes(24).toString('hex');
    const starting = await Promise.allSettled([
      startN8n(bin, shared, { port, brokerPort: mainBrokerPort }),
      ...workerPorts.map(([workerPort, brokerPort]) => startN8n(bin, shared, { port: workerPort, brokerPort, role: 'worker' })),
      ...serverPorts.map((serverPort) =>
        startReferenceServer({
          port: serverPort,
          databaseUrl: db.adminUrl,
          n8nWebhookUrl: webhookUrl,
          webhookSecret,
          llmBaseUrl: llm.url,
          jwtSecret,
        }),
      ),
    ]);
    for (const result of starting) if (result.status === 'fulfilled') cleanups.push(() => result.value.stop());
    const failed = starting.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const [mainStarted, ...rest] = starting.map((r) => (r as PromiseFulfilledResult<unknown>).value);
    let main = mainStarted as N8nProcess;
    let mainLog = '';
    cleanups.push(() => main.stop()); // the restarted main, when there is one
    const workers = rest.slice(0, workerPorts.length) as N8nProcess[];
    const servers = rest.slice(workerPorts.length) as ReferenceServer[];

    return {
      db,
      llm,
      server: servers[0]!,
      servers,
      get main() {
        return main;
      },
      workers,
      webhookUrl,
      webhookSecret,
      killMain: async () => {
        mainLog += main.output();
        await main.stop('SIGKILL');
      },
      restartMain: async () => {
        main = await startN8n(bin, shared, { port, brokerPort: await freePort() });
      },
      n8nOutput: () => [mainLog + main.output(), ...workers.map((w, i) => `--- worker ${i + 1}\n${w.output()}`)].join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
